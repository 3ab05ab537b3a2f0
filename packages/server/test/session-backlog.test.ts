import { afterEach, expect, it } from "vitest";
import type { Engine, EngineStream } from "../src/engine.ts";
import { type LocalServer, startServer } from "../src/index.ts";
import { connect, sendText } from "./helpers/ws-client.ts";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An engine whose Finalize flush waits until the test releases it, recording every write. */
function slowFlushEngine() {
  const writes: number[] = [];
  let release: () => void = () => {};
  let flushStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    flushStarted = resolve;
  });
  const engine: Engine = {
    name: "slow-flush",
    createStream(): EngineStream {
      return {
        write(samples) {
          writes.push(samples[0] ?? -1);
        },
        flush(reason) {
          if (reason !== "finalize") return Promise.resolve();
          flushStarted();
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        },
        close() {},
      };
    },
    async close() {},
  };
  return { factory: () => engine, writes, started, release: () => release() };
}

it("frames that pile up behind a slow flush are all handled, in order, after it (reading pauses meanwhile)", async () => {
  const engine = slowFlushEngine();
  server = await startServer({ engine: engine.factory });
  const client = await connect(server.url, "encoding=linear16&sample_rate=16000");
  client.ws.send(Buffer.alloc(320));
  await sendText(client.ws, '{"type":"Finalize"}');
  await engine.started;
  // Far more frames than the session queues before it stops reading the socket.
  const frames = 1_000;
  for (let index = 0; index < frames; index++) {
    const frame = Buffer.alloc(320);
    frame.writeInt16LE(index % 30_000, 0);
    client.ws.send(frame);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(engine.writes).toHaveLength(1);
  engine.release();
  await sendText(client.ws, '{"type":"CloseStream"}');
  expect((await client.closed).code).toBe(1000);
  expect(engine.writes).toEqual([0, ...Array.from({ length: frames }, (_, index) => index % 30_000)]);
});
