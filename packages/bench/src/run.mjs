// Benchmarks of the threaded client, each next to a baseline measured in the same run, so the
// figures are ratios that survive a noisy machine:
//   1. the cost of one send() of a 640-byte chunk (20 ms of 16 kHz linear16):
//        baseline: a raw `ws` client's ws.send();
//        LiveClient.send() through the shared ring (what the package does);
//        copy + postMessage with a transferred ArrayBuffer to a worker (the alternative design);
//   2. the cost of delivering one event to a callback on the application thread:
//        baseline: a raw `ws` client's 'message' handler with JSON.parse;
//        LiveClient: port message → typed event → callback.
// Both delivery measurements let the messages pile up while the thread is blocked, then time
// how fast the thread works through them: the thread's own cost per event, not network time.
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { LiveClient, LiveTranscriptionEvents, shutdownEngines } from "@earshot/threaded";
import WebSocket from "ws";
import { startSinkServer } from "./sink-server.mjs";

const CHUNK = Buffer.alloc(640, 7);
const SENDS = Number(process.env.BENCH_SENDS ?? 20_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000);
const ROUNDS = 5;
const PCM = { encoding: "linear16", sample_rate: 16_000 };

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread without burning CPU, so other threads get the cores. */
const block = (ms) => Atomics.wait(sleepCell, 0, 0, ms);

function nsPer(start, count) {
  return Number(process.hrtime.bigint() - start) / count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function rawWsSend(url) {
  const ws = new WebSocket(`${url}/v1/listen?encoding=linear16&sample_rate=16000`);
  await once(ws, "open");
  const start = process.hrtime.bigint();
  for (let i = 0; i < SENDS; i++) ws.send(CHUNK);
  const ns = nsPer(start, SENDS);
  ws.close();
  await once(ws, "close");
  return ns;
}

function liveClientSend(url) {
  // A ring large enough for the whole burst measures send() itself, not the network's pace.
  const client = new LiveClient({ url, ringBytes: 32 * 1024 * 1024 });
  if (!client.start(PCM)) throw new Error("LiveClient did not open");
  const start = process.hrtime.bigint();
  for (let i = 0; i < SENDS; i++) client.send(CHUNK);
  const ns = nsPer(start, SENDS);
  client.finish();
  return ns;
}

async function transferSend() {
  const worker = new Worker(new URL("./transfer-worker.mjs", import.meta.url));
  await new Promise((resolve) => setImmediate(resolve));
  const start = process.hrtime.bigint();
  for (let i = 0; i < SENDS; i++) {
    // The caller keeps its buffer, so a transfer needs a private copy first.
    const copy = new Uint8Array(CHUNK.byteLength);
    copy.set(CHUNK);
    worker.postMessage(copy.buffer, [copy.buffer]);
  }
  const ns = nsPer(start, SENDS);
  worker.postMessage("done");
  const [bytes] = await once(worker, "message");
  if (bytes !== SENDS * CHUNK.byteLength) throw new Error(`transfer lost bytes: ${bytes}`);
  await worker.terminate();
  return ns;
}

/**
 * Times how fast this thread works through `total` events that piled up while it was blocked:
 * returns a `count(when)` to call from the handler and `result()` once all arrived. Events
 * handled before the block ended (some may come with the open) are not counted.
 */
function pileTimer(total) {
  let unblockedAt = 0n;
  let seen = 0;
  let counted = 0;
  let last = 0n;
  let resolve;
  const done = new Promise((r) => {
    resolve = r;
  });
  return {
    done,
    unblocked() {
      unblockedAt = process.hrtime.bigint();
    },
    count() {
      seen++;
      if (unblockedAt !== 0n) counted++;
      if (seen === total) {
        last = process.hrtime.bigint();
        resolve();
      }
    },
    nsPerEvent: () => Number(last - unblockedAt) / counted,
  };
}

async function rawWsDelivery(url) {
  const ws = new WebSocket(`${url}/v1/listen?tag=flood:${EVENTS}`);
  const timer = pileTimer(EVENTS);
  ws.on("message", (data) => {
    if (JSON.parse(data.toString()).type === "Results") timer.count();
  });
  await once(ws, "open");
  block(1_000); // let every message arrive in the socket's buffer
  timer.unblocked();
  await timer.done;
  ws.close();
  await once(ws, "close");
  return timer.nsPerEvent();
}

async function liveClientDelivery(url) {
  const client = new LiveClient({ url, maxBufferedEvents: EVENTS * 2 });
  const timer = pileTimer(EVENTS);
  client.on(LiveTranscriptionEvents.Transcript, () => timer.count());
  if (!client.start({ ...PCM, tag: [`flood:${EVENTS}`] })) throw new Error("LiveClient did not open");
  block(1_000); // the engine receives and posts every message meanwhile
  timer.unblocked();
  await timer.done;
  client.finish();
  return timer.nsPerEvent();
}

async function measure(name, fn) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) samples.push(await fn());
  return { name, ns: median(samples) };
}

const server = await startSinkServer();
try {
  // Warm-up: start the engine worker and JIT the paths once.
  await liveClientSend(server.url);
  await rawWsSend(server.url);
  const sendBaseline = await measure("ws.send() (raw ws client, baseline)", () => rawWsSend(server.url));
  const sendRing = await measure("LiveClient.send() — shared ring", () => liveClientSend(server.url));
  const sendTransfer = await measure("copy + postMessage(transfer) to a worker", transferSend);
  const deliveryBaseline = await measure("ws 'message' + JSON.parse (baseline)", () =>
    rawWsDelivery(server.url),
  );
  const deliveryLive = await measure("LiveClient Transcript callback", () => liveClientDelivery(server.url));

  const row = (m, base) =>
    `  ${m.name.padEnd(44)} ${m.ns.toFixed(0).padStart(7)} ns   ×${(m.ns / base.ns).toFixed(2)}`;
  console.log(
    `node ${process.version}, ${SENDS} sends of ${CHUNK.byteLength} B, ${EVENTS} events, median of ${ROUNDS} rounds`,
  );
  console.log("send() per 640-byte chunk (ratio to the raw ws baseline):");
  for (const m of [sendBaseline, sendRing, sendTransfer]) console.log(row(m, sendBaseline));
  console.log("one event delivered to a callback (ratio to the raw ws baseline):");
  for (const m of [deliveryBaseline, deliveryLive]) console.log(row(m, deliveryBaseline));
} finally {
  await server.close();
  await shutdownEngines();
}
