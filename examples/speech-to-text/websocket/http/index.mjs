// Live transcription of an HTTP audio stream (an internet radio station, say) with the threaded
// client (@earshot/threaded).
//
//   node examples/speech-to-text/websocket/http/index.mjs [URL]
//
// Without a URL it starts a small local "radio station" that plays the bundled recording at
// its real speed (RADIO_SPEED=4 plays it four times faster).
// With DEEPGRAM_API_KEY set it talks to Deepgram; without, to a local server on this machine.
import { startServerThread } from "@earshot/server";
import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
import { startRadio } from "../radio-station.mjs";

const radio = process.argv[2]
  ? undefined
  : await startRadio(
      new URL("../../../audio/recording.wav", import.meta.url),
      Number(process.env.RADIO_SPEED ?? 1),
    );
const url = process.argv[2] ?? radio.url;

// Deepgram when there is a key; otherwise the local server, on its own thread: the threaded client
// blocks this thread while it connects and finishes, so the server must not live here.
// (EARSHOT_ENGINE=scripted picks a fake recognizer that speaks a fixed script, for quick tries.)
let localServer;
if (!process.env.DEEPGRAM_API_KEY) {
  localServer = await startServerThread({ engine: process.env.EARSHOT_ENGINE ?? "pocketsphinx" });
  console.error(`No DEEPGRAM_API_KEY: using the local server at ${localServer.url}`);
}

const client = new LiveClient(localServer ? { url: localServer.url } : {});
client.on(LiveTranscriptionEvents.Transcript, (result) => {
  const transcript = result.channel.alternatives[0]?.transcript;
  if (result.is_final && transcript) console.log(transcript);
});
client.on(LiveTranscriptionEvents.Error, (error) => console.error(`Error: ${error.message}`));

// No encoding: the stream is a WAV (MP3, Ogg… too on Deepgram), and the server reads its header.
if (client.start({ model: "nova-3", smart_format: true })) {
  console.error(`Listening to ${url}`);
  const response = await fetch(url);
  for await (const chunk of response.body) client.send(chunk);
  client.finish(); // returns once every final result has been printed
} else {
  process.exitCode = 1;
}
radio?.close();
await localServer?.close();
