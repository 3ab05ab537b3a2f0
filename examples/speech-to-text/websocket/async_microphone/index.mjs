// Live transcription of the microphone with the async client (@earshot/async).
//
//   node examples/speech-to-text/websocket/async_microphone/index.mjs
//
// Audio comes from a capture command's stdout: arecord by default, or whatever MIC_COMMAND
// says (it must print raw 16-bit little-endian PCM, 16 kHz, mono).
// With DEEPGRAM_API_KEY set it talks to Deepgram; without, to a local server on this machine.
// Stops when the capture command ends, or on Ctrl-C (the last words are still printed).
import { spawn } from "node:child_process";
import { AsyncLiveClient } from "@earshot/async";
import { resolveEngine, startServer } from "@earshot/server";

const captureCommand = process.env.MIC_COMMAND ?? "arecord -q -f S16_LE -r 16000 -c 1 -t raw";

// Deepgram when there is a key; otherwise an offline server (EARSHOT_ENGINE=scripted picks a fake
// recognizer that speaks a fixed script — quick, for trying things out).
let server;
if (!process.env.DEEPGRAM_API_KEY) {
  server = await startServer({
    engine: resolveEngine(process.env.EARSHOT_ENGINE ?? "pocketsphinx"),
  });
  console.error(`No DEEPGRAM_API_KEY: using the local server at ${server.url}`);
}

const client = new AsyncLiveClient(server ? { url: server.url } : {});
try {
  await client.start({
    model: "nova-3",
    encoding: "linear16",
    sample_rate: 16000,
    channels: 1,
    interim_results: true,
    smart_format: true,
  });
  console.error("Connected. Speak now (Ctrl-C to stop).");

  // Print each final result as it arrives, while the audio is being sent.
  const printing = (async () => {
    for await (const result of client.finals()) {
      const transcript = result.channel.alternatives[0]?.transcript;
      if (transcript) console.log(transcript);
    }
  })();
  printing.catch(() => {}); // a lost connection is reported by finish() below

  const microphone = spawn(captureCommand, { shell: true, stdio: ["ignore", "pipe", "inherit"] });
  process.once("SIGINT", () => microphone.kill("SIGTERM"));
  // Resolves when the capture ends; waits whenever the socket is behind (backpressure).
  await client.sendFrom(microphone.stdout);
  await client.finish(); // every final result has arrived when this resolves
  await printing;
} catch (error) {
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
} finally {
  await server?.close();
}
