// Replays an audio file in real time, as if it were being spoken, with the async client
// (@earshot/async), and prints each utterance with its time.
//
//   node examples/speech-to-text/websocket/file/index.mjs [file.wav]
//
// Without a file it plays the bundled recording. REPLAY_SPEED=4 replays four times faster.
// With DEEPGRAM_API_KEY set it talks to Deepgram; without, to a local server on this machine.
import { createReadStream } from "node:fs";
import { AsyncLiveClient } from "@earshot/async";
import { resolveEngine, startServer } from "@earshot/server";

const file = process.argv[2] ?? new URL("../../../audio/recording.wav", import.meta.url);
const speed = Number(process.env.REPLAY_SPEED ?? 1);
// Real-time pacing follows a clock; one that runs `speed` times fast replays faster.
const clock = {
  now: () => performance.now() * speed,
  setTimeout: (fn, ms) => setTimeout(fn, ms / speed),
  clearTimeout,
};

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
  // The file is a WAV: no encoding needed, the server reads its header.
  await client.start({ model: "nova-3", smart_format: true, interim_results: true, utterance_end_ms: 1000 });

  // Final results joined into utterances (up to each pause), printed as they are spoken.
  const printing = (async () => {
    for await (const utterance of client.utterances()) {
      console.log(`[${utterance.start.toFixed(1)}s] ${utterance.transcript}`);
    }
  })();
  printing.catch(() => {}); // a lost connection is reported by finish() below

  await client.sendFrom(createReadStream(file), { pace: "realtime", clock });
  await client.finish(); // resolves with the Metadata once every final result has arrived
  await printing;
} catch (error) {
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
} finally {
  await server?.close();
}
