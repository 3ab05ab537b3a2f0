// A minimal voice-agent loop on Flux (/v2/listen): the reply is drafted on EagerEndOfTurn,
// dropped on TurnResumed and said on EndOfTurn, and for each turn the time from the end of the
// speech to EagerEndOfTurn and to EndOfTurn is printed (the latency the eager draft hides).
//
//   node examples/speech-to-text/websocket/flux_agent/index.mjs [--threaded] [file.wav]
//
// Without a file it replays the bundled recording in real time, as if spoken (REPLAY_SPEED=4
// replays four times faster; the latencies then mean little). --threaded uses the threaded
// FluxClient instead of the async AsyncFluxClient. With DEEPGRAM_API_KEY set it talks to
// Deepgram; without, to a local server on this machine (EARSHOT_ENGINE=scripted for a quick try).
import { readFileSync } from "node:fs";
import { AsyncFluxClient, FluxEvents, readWavHeader } from "@earshot/async";
import { startServerThread } from "@earshot/server";
import { FluxClient } from "@earshot/threaded";
import { Agent } from "./agent.mjs";
import { SpeechClock } from "./speech-clock.mjs";

const args = process.argv.slice(2);
const threaded = args.includes("--threaded");
const file =
  args.find((arg) => !arg.startsWith("--")) ?? new URL("../../../audio/recording.wav", import.meta.url);
const speed = Number(process.env.REPLAY_SPEED ?? 1);
const wav = readFileSync(file);
const info = readWavHeader(wav);
if (info?.format !== "linear16" || info.channels !== 1)
  throw new Error(`${file}: a mono 16-bit WAV file, please`);
const pcm = wav.subarray(info.dataOffset);

// The local server runs on its own thread: the threaded client blocks this one while it
// connects and finishes.
let server;
if (!process.env.DEEPGRAM_API_KEY) {
  server = await startServerThread({ engine: process.env.EARSHOT_ENGINE ?? "pocketsphinx" });
  console.error(`No DEEPGRAM_API_KEY: using the local server at ${server.url}`);
  // Its recognizer starts with the first stream: a short one first, so the figures below are
  // those of a running server (as Deepgram's would be), not of its start-up.
  const warmUp = new AsyncFluxClient({ url: server.url });
  await warmUp.start({ model: "flux-general-en", encoding: "linear16", sample_rate: info.sampleRate });
  await warmUp.send(pcm.subarray(0, info.sampleRate * 2));
  await warmUp.finish();
}

const clientOptions = server ? { url: server.url } : {};
const client = threaded ? new FluxClient(clientOptions) : new AsyncFluxClient(clientOptions);
const clock = new SpeechClock(info.sampleRate);
const agent = new Agent({ say: (line) => console.log(`  ${line}`) });
const latencies = { EagerEndOfTurn: [], EndOfTurn: [] };

client.on(FluxEvents.StartOfTurn, () => agent.cancel()); // the user speaks: the agent stops
client.on(FluxEvents.EagerEndOfTurn, (info) => {
  latencies.EagerEndOfTurn[info.turn_index] ??= clock.sinceEndOfSpeech(info.audio_window_end);
  agent.draft(info.transcript);
});
client.on(FluxEvents.TurnResumed, () => agent.cancel());
client.on(FluxEvents.EndOfTurn, (info) => {
  const ms = clock.sinceEndOfSpeech(info.audio_window_end);
  latencies.EndOfTurn[info.turn_index] = ms;
  const eager = latencies.EagerEndOfTurn[info.turn_index];
  const eagerText = eager === undefined ? "no EagerEndOfTurn" : `EagerEndOfTurn ${eager.toFixed(0)} ms`;
  console.log(`turn ${info.turn_index}: ${info.transcript}`);
  console.log(`  end of speech → ${eagerText}, EndOfTurn ${ms?.toFixed(0)} ms (${info.trigger})`);
  agent.commit(info.transcript);
});
client.on(FluxEvents.Error, (error) => console.error(`Error: ${error.message}`));

const options = {
  model: "flux-general-en",
  encoding: "linear16",
  sample_rate: info.sampleRate,
  eager_eot_threshold: 0.5,
  eot_threshold: 0.7,
};
const opened = threaded
  ? client.start(options)
  : await client.start(options).then(
      () => true,
      () => false,
    );
if (opened) {
  // 80 ms frames, each sent when its audio would have been spoken.
  const frameBytes = Math.round(info.sampleRate * 0.08) * 2;
  const started = performance.now();
  for (let offset = 0, index = 0; offset < pcm.length; offset += frameBytes, index++) {
    const due = started + (index * 80) / speed;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const frame = pcm.subarray(offset, offset + frameBytes);
    clock.sent(frame);
    if (threaded) client.send(frame);
    else await client.send(frame);
  }
  if (threaded) client.finish();
  else await client.finish();
  await agent.settled();
  const median = (values) => {
    const known = values.filter((value) => value !== undefined).sort((a, b) => a - b);
    return known.length === 0 ? "—" : `${known[Math.floor(known.length / 2)].toFixed(0)} ms`;
  };
  console.log(
    `${threaded ? "threaded" : "async"} face: ${latencies.EndOfTurn.length} turns; median end of speech → EagerEndOfTurn ${median(latencies.EagerEndOfTurn)}, → EndOfTurn ${median(latencies.EndOfTurn)}; replies drafted ${agent.drafted}, cancelled ${agent.cancelled}, said ${agent.committed}`,
  );
} else {
  process.exitCode = 1;
}
await server?.close();
