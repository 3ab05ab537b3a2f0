import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SlowConsumerError } from "@earshot/core";
import { type LocalServer, startServer } from "@earshot/server";
import { waitFor } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncLiveClient, DEFAULT_ITERATOR_MAX_MESSAGES } from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const FLOOD = 100_000;
/**
 * The documented bound: one iterator holds at most 1,000 messages (16 MiB of text). Parsed, a
 * Results message weighs a few KiB, so two unread iterators stay well under this; an unbounded
 * buffer of 100,000 messages would take hundreds of MiB.
 */
const HEAP_GROWTH_LIMIT = 48 * 1024 * 1024;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ faults: { flood: { count: FLOOD } } });
});
afterAll(async () => {
  await server.close();
});

describe("a consumer that never reads", () => {
  it(`keeps memory bounded while the server sends ${FLOOD.toLocaleString("en")} messages, and applies the policy`, async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    let received = 0;
    let interim = 0;
    client.on("Results", (result) => {
      received++;
      if (!result.is_final) interim++;
    });
    const before = heapUsed();
    let peakBuffered = 0;
    let peakHeap = before;
    // Two consumers that never read: every message, and final results only.
    const everything = client[Symbol.asyncIterator]();
    const finals = client.finals();
    // And one that keeps up, for contrast.
    const reading = (async () => {
      let count = 0;
      for await (const message of client.transcripts()) {
        if (message.is_final) count++;
        if (count === FLOOD) break;
      }
      return count;
    })();
    // Attached before start(): the flood begins the moment the socket opens.
    await client.start({ encoding: "linear16", sample_rate: 16_000, interim_results: true });
    await waitFor(
      () => {
        peakBuffered = Math.max(peakBuffered, everything.buffered, finals.buffered);
        // Sampled without a GC: garbage counts too, and still stays under the bound.
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        return received >= FLOOD;
      },
      `${FLOOD} Results`,
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    const growth = heapUsed() - before;
    expect(peakBuffered).toBeLessThanOrEqual(DEFAULT_ITERATOR_MAX_MESSAGES);
    expect(everything.buffered).toBeLessThanOrEqual(DEFAULT_ITERATOR_MAX_MESSAGES);
    expect(finals.buffered).toBeLessThanOrEqual(DEFAULT_ITERATOR_MAX_MESSAGES);
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(peakHeap - before).toBeLessThan(HEAP_GROWTH_LIMIT);

    // The flood is all final results, so the policy's second step applies: dropping interim
    // results cannot make room, and each unread iterator fails with SlowConsumerError.
    expect(interim).toBe(0);
    await expect(finals.next()).rejects.toBeInstanceOf(SlowConsumerError);
    await expect(everything.next()).rejects.toBeInstanceOf(SlowConsumerError);
    // Meanwhile a consumer that keeps reading got every message: the slow ones cost it nothing.
    expect(await reading).toBe(FLOOD);
    await client.finish();
    await everything.return();
    await finals.return();
    console.log(
      `flood: ${received} Results (${interim} interim), heap growth ${(growth / 1024 / 1024).toFixed(1)} MiB after, peak ${((peakHeap - before) / 1024 / 1024).toFixed(1)} MiB during, peak buffered ${peakBuffered}`,
    );
  }, 90_000);

  it("honours iteratorBounds from the client options", async () => {
    const small = await startServer({ faults: { flood: { count: 2_000 } } });
    try {
      const client = new AsyncLiveClient({
        url: small.url,
        apiKey: "test-key",
        iteratorBounds: { maxMessages: 50 },
      });
      let received = 0;
      client.on("Results", () => received++);
      const unread = client.finals();
      await client.start({ encoding: "linear16", sample_rate: 16_000 });
      await waitFor(() => received >= 2_000, "2000 Results", { timeoutMs: 30_000 });
      expect(unread.buffered).toBe(0);
      const failure = await unread.next().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SlowConsumerError);
      expect((failure as SlowConsumerError).limit).toBe(50);
      await client.finish();
    } finally {
      await small.close();
    }
  });

  it("a client nobody iterates buffers nothing", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    let received = 0;
    client.on("Results", () => received++);
    const before = heapUsed();
    await client.start({ encoding: "linear16", sample_rate: 16_000 });
    await waitFor(() => received >= FLOOD, `${FLOOD} Results`, { timeoutMs: 60_000, intervalMs: 20 });
    const growth = heapUsed() - before;
    await client.finish();
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT / 4);
  }, 90_000);
});
