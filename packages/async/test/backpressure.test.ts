import { AbortedError } from "@earshot/core";
import { type LocalServer, startServer } from "@earshot/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncLiveClient } from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const HIGH_WATER_MARK = 256 * 1024;
const CHUNK = 32 * 1024;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ faults: { stopReadingAfterBytes: 64 * 1024 } });
});
afterAll(async () => {
  await server.close();
});

/** Whether `promise` is still pending after `ms` (0: after one turn of the event loop). */
async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  const mark = (): void => {
    settled = true;
  };
  promise.then(mark, mark);
  await new Promise((resolve) => setImmediate(resolve));
  for (let waited = 0; waited < ms && !settled; waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return !settled;
}

describe("a producer faster than the socket", () => {
  it("send() stops resolving while the server does not read, and resumes when it does", async () => {
    const client = new AsyncLiveClient({
      url: server.url,
      apiKey: "test-key",
      highWaterMarkBytes: HIGH_WATER_MARK,
    });
    await client.start({ encoding: "linear16", sample_rate: 16_000 });
    const audio = Buffer.alloc(CHUNK, 1);
    let stalled: Promise<void> | undefined;
    let sent = 0;
    // Bounded: the kernel's socket buffers absorb a few MiB before backpressure reaches us.
    for (let i = 0; i < 4_000 && stalled === undefined; i++) {
      const sending = client.send(audio);
      sent++;
      // A send that is not settled at once may only wait for a flush; stalled means it stays so.
      if ((await stillPending(sending, 0)) && (await stillPending(sending, 200))) stalled = sending;
    }
    expect(stalled, "send() never stalled").toBeDefined();
    // Stalled for good while the server reads nothing: memory held is bounded by the mark.
    expect(await stillPending(stalled as Promise<void>, 300)).toBe(true);
    expect(client.bufferedBytes).toBeGreaterThanOrEqual(HIGH_WATER_MARK);
    expect(client.bufferedBytes).toBeLessThan(HIGH_WATER_MARK + CHUNK);
    const memoryWhileStalled = client.bufferedBytes;
    console.log(
      `backpressure: send() stalled after ${sent} chunks (${((sent * CHUNK) / 1024 / 1024).toFixed(1)} MiB offered), ${memoryWhileStalled} bytes buffered in the client`,
    );

    // A send that waits for the buffer to drain can be given up on; its chunk stays queued.
    const controller = new AbortController();
    const givenUp = client.send(audio, { signal: controller.signal });
    sent++;
    controller.abort();
    await expect(givenUp).rejects.toBeInstanceOf(AbortedError);
    expect(client.isConnected()).toBe(true);

    server.resumeReading();
    await stalled;
    for (let i = 0; i < 20; i++) await client.send(audio);
    const metadata = await client.finish({ timeout: 30_000 });
    expect(memoryWhileStalled).toBeLessThan(HIGH_WATER_MARK + CHUNK);
    expect(metadata?.duration).toBeCloseTo(((sent + 20) * CHUNK) / 32_000, 1);
  }, 60_000);
});
