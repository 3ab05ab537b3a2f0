// Flux latency on the bundled recording through the local server (pocketsphinx): the recording
// is streamed in real time (80 ms frames, paced by the wall clock) to /v2/listen with
// eager_eot_threshold=0.5 (eot_threshold at its default 0.7), and for each sentence the time
// from the end of its speech to the arrival of EagerEndOfTurn and of EndOfTurn is printed.
// "End of speech" is read from the audio itself: the end of the last 10 ms window whose peak
// reaches 500 before a pause of at least 1 s. A raw `ws` client receives the messages, so the
// figures are the server's and the wire's, with no client library's cost in them.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { readWavHeader } from "@earshot/core";
import { pocketsphinxEngine, startServer } from "@earshot/server";
import WebSocket from "ws";

const FRAME_SECONDS = 0.08;
const wav = readFileSync(new URL("../../../examples/audio/recording.wav", import.meta.url));
const header = readWavHeader(wav);
const pcm = wav.subarray(header.dataOffset);
const rate = header.sampleRate;
const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));

/** Ends of speech (seconds): each last speech window before ≥ 1 s of silence, and the last one. */
function speechEnds() {
  const window = rate / 100;
  const ends = [];
  let lastSpeechEnd = -1;
  for (let start = 0; start < samples.length; start += window) {
    let peak = 0;
    for (let i = start; i < Math.min(start + window, samples.length); i++)
      peak = Math.max(peak, Math.abs(samples[i]));
    if (peak < 500) continue;
    if (lastSpeechEnd >= 0 && start / rate - lastSpeechEnd >= 1) ends.push(lastSpeechEnd);
    lastSpeechEnd = (start + window) / rate;
  }
  if (lastSpeechEnd >= 0) ends.push(lastSpeechEnd);
  return ends;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const ends = speechEnds();
const server = await startServer({ engine: pocketsphinxEngine() });
try {
  // A first stream waits for the decoder's warm-up; the figures are those of a warm server.
  const warm = new WebSocket(`${server.url}/v1/listen`);
  await once(warm, "open");
  warm.send(wav.subarray(0, header.dataOffset + rate * 2));
  warm.send('{"type":"CloseStream"}');
  await once(warm, "close");
  const ws = new WebSocket(`${server.url}/v2/listen?model=flux-general-en&eager_eot_threshold=0.5`);
  await once(ws, "open");
  const arrivals = [];
  ws.on("message", (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === "TurnInfo" && (message.event === "EagerEndOfTurn" || message.event === "EndOfTurn"))
      arrivals.push({ at: performance.now(), message });
  });
  ws.send(wav.subarray(0, header.dataOffset));
  const frameBytes = Math.round(rate * FRAME_SECONDS) * 2;
  const t0 = performance.now();
  for (let offset = 0, frame = 0; offset < pcm.length; offset += frameBytes, frame++) {
    await sleep(t0 + frame * FRAME_SECONDS * 1000 - performance.now());
    ws.send(pcm.subarray(offset, offset + frameBytes));
  }
  // The frame holding audio up to time a leaves at t0 + (a − 80 ms) at the latest: measure from t0 + a.
  ws.send('{"type":"CloseStream"}');
  await once(ws, "close");
  const latency = { EagerEndOfTurn: [], EndOfTurn: [] };
  for (const { at, message } of arrivals) {
    const end = ends.filter((time) => time <= message.audio_window_end).at(-1);
    if (end === undefined) continue;
    if (message.event === "EagerEndOfTurn" && latency.EagerEndOfTurn.length > message.turn_index) continue;
    latency[message.event].push(at - (t0 + end * 1000));
  }
  const turns = arrivals.filter(({ message }) => message.event === "EndOfTurn");
  console.log(
    `sentences (speech ends found in the audio): ${ends.length}; EndOfTurn received: ${turns.length}`,
  );
  for (const [event, values] of Object.entries(latency)) {
    const shown = values.map((ms) => ms.toFixed(0)).join(", ");
    console.log(
      `end of speech → ${event}: median ${median(values).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms (${shown})`,
    );
  }
} finally {
  await server.close();
}
