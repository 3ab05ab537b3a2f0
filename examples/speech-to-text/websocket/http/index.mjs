// Live transcription of an HTTP audio stream (an internet radio station, say) with the threaded
// client (@earshot/threaded).
//
//   node examples/speech-to-text/websocket/http/index.mjs [URL]
//
// Without a URL it starts a small local "radio station" that plays the bundled recording at
// its real speed (RADIO_SPEED=4 plays it four times faster).
// With DEEPGRAM_API_KEY set it talks to Deepgram; without, to a local server on this machine.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { startServerThread } from "@earshot/server";
import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";

/** Serves a WAV file over HTTP no faster than it plays, like a live stream. */
async function startRadio(file, speed) {
  const audio = readFileSync(file);
  const bytesPerSecond = audio.readUInt32LE(28); // the WAV header's byte rate
  const slice = Math.round(bytesPerSecond / 10 / 2) * 2; // 100 ms of 16-bit audio
  const station = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "audio/wav" });
    let offset = 0;
    const timer = setInterval(() => {
      response.write(audio.subarray(offset, offset + slice));
      offset += slice;
      if (offset >= audio.length) {
        clearInterval(timer);
        response.end();
      }
    }, 100 / speed);
    response.once("close", () => clearInterval(timer));
  });
  await new Promise((resolve) => station.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${station.address().port}/radio.wav`, close: () => station.close() };
}

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
