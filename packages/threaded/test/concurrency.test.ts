/**
 * Many threaded sessions share a few engine workers: a stream is not a thread, and many streams
 * are not one saturated thread either.
 */
import { availableParallelism } from "node:os";

import { type ServerThread, startServerThread } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { engineStats, LiveClient, setEnginePoolSize } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, PCM, record } from "./support/harness.ts";

let server: ServerThread | undefined;

/** The pool's default size: one engine per core, at most 8. */
const DEFAULT_POOL_SIZE = Math.min(availableParallelism(), 8);

afterEach(async () => {
  setEnginePoolSize(DEFAULT_POOL_SIZE);
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("LiveClient concurrency", () => {
  it("200 concurrent sessions: 16 share the first worker, the rest spread over the pool, each complete", async () => {
    expect(engineStats().size).toBe(DEFAULT_POOL_SIZE);
    // A pool of 3 whatever the machine: the spreading is the same on every core count.
    setEnginePoolSize(3);
    server = await startServerThread();
    const audio = chunk(Buffer.concat([tone(0.3), silence(0.3)]), 0.02);
    // Small rings keep 200 sessions' shared memory modest (audio per session is tiny).
    const clients = Array.from(
      { length: 200 },
      () => new LiveClient({ url: server?.url, ringBytes: 16_384 }),
    );
    const logs = clients.map((client) => record(client));
    for (const [index, client] of clients.entries()) {
      expect(client.start(PCM)).toBe(true);
      // One worker until it hosts 16; then a new one per start while the pool has room.
      if (index === 15) expect(engineStats()).toMatchObject({ workers: 1, sessions: 16 });
      if (index === 16) expect(engineStats()).toMatchObject({ workers: 2, sessions: 17 });
    }
    expect(engineStats()).toMatchObject({ workers: 3, sessions: 200 });
    for (const piece of audio) for (const client of clients) expect(client.send(piece)).toBe(true);
    for (const client of clients) expect(client.finish()).toBe(true);
    for (const log of logs) {
      const names = log.names();
      expect(names[0]).toBe("open");
      expect(names.slice(-2)).toEqual(["Metadata", "close"]);
      expect(names).not.toContain("error");
    }
    expect(engineStats()).toMatchObject({ workers: 3, sessions: 0 });
  }, 60_000);
});
