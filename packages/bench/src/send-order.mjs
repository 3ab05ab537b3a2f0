// Ordered sending: LiveSession's FIFO-then-direct send path vs p-queue (concurrency 1) vs bare
// ws.send, on a real loopback socket. Each run sends FRAMES audio frames of FRAME_BYTES with a
// Finalize every 50 frames and a CloseStream at the end, and stops the clock when the server
// has received the CloseStream (so every frame has crossed the socket, in order).
//
//   pnpm build && pnpm bench   (or: node packages/bench/src/send-order.mjs)
//
// Reports, per strategy: the median wall time of ROUNDS runs, frames/s, and the time spent in
// the synchronous send loop (what the caller's thread pays).
import { performance } from "node:perf_hooks";
import { LiveSession } from "@earshot/core";
import PQueue from "p-queue";
import WebSocket, { WebSocketServer } from "ws";

const FRAMES = Number(process.env.FRAMES ?? 20_000);
const FRAME_BYTES = Number(process.env.FRAME_BYTES ?? 640); // 20 ms of 16 kHz linear16
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const FINALIZE = '{"type":"Finalize"}';
const CLOSE_STREAM = '{"type":"CloseStream"}';

const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
await new Promise((resolve) => server.once("listening", resolve));
const { port } = server.address();
let onDone;
server.on("connection", (socket) => {
  let expectedIndex = 0;
  socket.on("message", (data, isBinary) => {
    if (isBinary) {
      const index = data.readUInt32LE(0);
      if (index !== expectedIndex) throw new Error(`out of order: ${index} after ${expectedIndex - 1}`);
      expectedIndex++;
    } else if (data.toString() === CLOSE_STREAM) {
      if (expectedIndex !== FRAMES) throw new Error(`only ${expectedIndex} frames before CloseStream`);
      onDone?.();
      socket.close(1000);
    }
  });
});

const frames = Array.from({ length: FRAMES }, (_, i) => {
  const frame = new Uint8Array(FRAME_BYTES);
  new DataView(frame.buffer).setUint32(0, i, true);
  return frame;
});
const url = `ws://127.0.0.1:${port}`;

async function rawSocket() {
  const ws = new WebSocket(`${url}/v1/listen`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return ws;
}

const strategies = {
  async "LiveSession (FIFO, then direct)"() {
    const session = new LiveSession({ options: {}, client: { url, apiKey: "bench-key-0000" } });
    await session.connect();
    const done = new Promise((resolve) => (onDone = resolve));
    const t0 = performance.now();
    for (let i = 0; i < FRAMES; i++) {
      session.send(frames[i]);
      if (i % 50 === 49) session.finalize();
    }
    const finished = session.finish();
    const loop = performance.now() - t0;
    await done;
    const total = performance.now() - t0;
    await finished;
    return { loop, total };
  },
  async "p-queue (concurrency 1)"() {
    const ws = await rawSocket();
    const queue = new PQueue({ concurrency: 1 });
    const done = new Promise((resolve) => (onDone = resolve));
    const t0 = performance.now();
    for (let i = 0; i < FRAMES; i++) {
      const frame = frames[i];
      queue.add(() => ws.send(frame, { binary: true }));
      if (i % 50 === 49) queue.add(() => ws.send(FINALIZE));
    }
    queue.add(() => ws.send(CLOSE_STREAM));
    const loop = performance.now() - t0;
    await done;
    const total = performance.now() - t0;
    await new Promise((resolve) => ws.once("close", resolve));
    return { loop, total };
  },
  async "bare ws.send (no queue)"() {
    const ws = await rawSocket();
    const done = new Promise((resolve) => (onDone = resolve));
    const t0 = performance.now();
    for (let i = 0; i < FRAMES; i++) {
      ws.send(frames[i], { binary: true });
      if (i % 50 === 49) ws.send(FINALIZE);
    }
    ws.send(CLOSE_STREAM);
    const loop = performance.now() - t0;
    await done;
    const total = performance.now() - t0;
    await new Promise((resolve) => ws.once("close", resolve));
    return { loop, total };
  },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `${FRAMES} frames × ${FRAME_BYTES} B (+ Finalize every 50, CloseStream), ${ROUNDS} rounds, node ${process.version}`,
);
const results = Object.fromEntries(Object.keys(strategies).map((name) => [name, { loops: [], totals: [] }]));
for (const run of Object.values(strategies)) await run(); // warm-up
// Rounds interleave the strategies, so a shared machine's load drifts over all of them alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(strategies)) {
    const { loop, total } = await run();
    results[name].loops.push(loop);
    results[name].totals.push(total);
  }
}
// The baseline is bare ws.send: the least any ordered sender can cost on this machine, now.
const baseline = median(results["bare ws.send (no queue)"].totals);
for (const [name, { loops, totals }] of Object.entries(results)) {
  const total = median(totals);
  console.log(
    `${name.padEnd(34)} total ${total.toFixed(1).padStart(7)} ms  ×${(total / baseline).toFixed(2)} of bare ws.send  ${Math.round(
      FRAMES / (total / 1000),
    )
      .toLocaleString("en")
      .padStart(9)} frames/s  send loop ${median(loops).toFixed(1).padStart(6)} ms`,
  );
}
server.close();
