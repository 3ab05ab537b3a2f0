// Live transcription of the microphone with the threaded client (@earshot/threaded).
//
//   node examples/speech-to-text/websocket/microphone/index.mjs
//
// Audio comes from a capture command's stdout: arecord by default, or whatever MIC_COMMAND
// says (it must print raw 16-bit little-endian PCM, 16 kHz, mono), e.g.
//   MIC_COMMAND="sox -q -d -t raw -b 16 -e signed -r 16000 -c 1 -" node …/microphone/index.mjs
// With DEEPGRAM_API_KEY set it talks to Deepgram; without, to a local server on this machine.
// Stops when the capture command ends, or on Ctrl-C (the last words are still printed).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { startServerThread } from "@earshot/server";
import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";

const captureCommand = process.env.MIC_COMMAND ?? "arecord -q -f S16_LE -r 16000 -c 1 -t raw";

// Deepgram when there is a key; otherwise the local server, on its own thread: the threaded client
// blocks this thread while it connects and finishes, so the server must not live here.
// (EARSHOT_ENGINE=scripted picks a fake recognizer that speaks a fixed script, for quick tries.)
let localServer;
if (!process.env.DEEPGRAM_API_KEY) {
  localServer = await startServerThread({ engine: process.env.EARSHOT_ENGINE ?? "pocketsphinx" });
  console.error(`No DEEPGRAM_API_KEY: using the local server at ${localServer.url}`);
}

const client = new LiveClient(localServer ? { url: localServer.url } : {});
client.on(LiveTranscriptionEvents.Open, () => console.error("Connected. Speak now (Ctrl-C to stop)."));
client.on(LiveTranscriptionEvents.Transcript, (result) => {
  const transcript = result.channel.alternatives[0]?.transcript;
  if (result.is_final && transcript) console.log(transcript);
});
client.on(LiveTranscriptionEvents.Error, (error) => console.error(`Error: ${error.message}`));
client.on(LiveTranscriptionEvents.Close, () => console.error("Connection closed."));

const connected = client.start({
  model: "nova-3",
  encoding: "linear16",
  sample_rate: 16000,
  channels: 1,
  interim_results: true,
  smart_format: true,
});

if (connected) {
  const microphone = spawn(captureCommand, { shell: true, stdio: ["ignore", "pipe", "inherit"] });
  // send() never waits on the network: the audio goes to the client's engine thread.
  microphone.stdout.on("data", (chunk) => client.send(chunk));
  process.once("SIGINT", () => microphone.kill("SIGTERM"));
  await once(microphone, "close");
  // Returns once every final result has been delivered to the callbacks above.
  client.finish();
} else {
  process.exitCode = 1;
}
await localServer?.close();
