// A minimal /v1/listen endpoint for benchmarks: it discards audio (so only the client's cost is
// measured, not a recognizer's), answers CloseStream with Metadata + 1000, and, when the query
// has tag=flood:N, sends N Results messages right after the upgrade. It runs on its own thread:
// LiveClient blocks the caller's thread in start()/finish(), as a remote server would not mind.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { WebSocketServer } from "ws";

const RESULTS = JSON.stringify({
  type: "Results",
  channel_index: [0, 1],
  duration: 1.02,
  start: 0,
  is_final: true,
  speech_final: true,
  from_finalize: false,
  channel: {
    alternatives: [
      {
        transcript: "the quick brown fox",
        confidence: 0.98,
        words: ["the", "quick", "brown", "fox"].map((word, i) => ({
          word,
          start: i * 0.25,
          end: i * 0.25 + 0.2,
          confidence: 0.98,
        })),
      },
    ],
  },
  metadata: {
    request_id: "bench",
    model_info: { name: "bench", version: "1", arch: "sink" },
    model_uuid: "bench",
  },
});

async function serve() {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("headers", (headers) => headers.push(`dg-request-id: ${randomUUID()}`));
  wss.on("connection", (ws, request) => {
    const flood = /tag=flood%3A(\d+)|tag=flood:(\d+)/.exec(request.url ?? "");
    const count = flood ? Number(flood[1] ?? flood[2]) : 0;
    for (let i = 0; i < count; i++) ws.send(RESULTS);
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text.includes("CloseStream")) {
        ws.send(
          JSON.stringify({
            type: "Metadata",
            transaction_key: "deprecated",
            request_id: "bench",
            sha256: "",
            created: new Date().toISOString(),
            duration: 0,
            channels: 1,
          }),
        );
        ws.close(1000);
      }
    });
  });
  await new Promise((resolve) => wss.once("listening", resolve));
  const { port } = wss.address();
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

if (!isMainThread) {
  const server = await serve();
  parentPort.postMessage(server.url);
  parentPort.once("message", async () => {
    await server.close();
    parentPort.close();
  });
}

/** Starts the sink on a worker thread; resolves with its url and a close(). */
export async function startSinkServer() {
  const worker = new Worker(new URL(import.meta.url));
  const [url] = await once(worker, "message");
  return {
    url,
    async close() {
      worker.postMessage("close");
      await once(worker, "exit");
    },
  };
}
