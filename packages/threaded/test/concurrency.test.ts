/** Many threaded sessions share one engine worker: a stream is not a thread. */

import { type ServerThread, startServerThread } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { engineStats, LiveClient } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, PCM, record } from "./support/harness.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("LiveClient concurrency", () => {
  it("200 concurrent sessions run on the one default engine worker, each complete", async () => {
    server = await startServerThread();
    const audio = chunk(Buffer.concat([tone(0.3), silence(0.3)]), 0.02);
    // Small rings keep 200 sessions' shared memory modest (audio per session is tiny).
    const clients = Array.from(
      { length: 200 },
      () => new LiveClient({ url: server?.url, ringBytes: 16_384 }),
    );
    const logs = clients.map((client) => record(client));
    for (const client of clients) expect(client.start(PCM)).toBe(true);
    expect(engineStats()).toMatchObject({ workers: 1, sessions: 200 });
    for (const piece of audio) for (const client of clients) expect(client.send(piece)).toBe(true);
    for (const client of clients) expect(client.finish()).toBe(true);
    for (const log of logs) {
      const names = log.names();
      expect(names[0]).toBe("open");
      expect(names.slice(-2)).toEqual(["Metadata", "close"]);
      expect(names).not.toContain("error");
    }
    expect(engineStats()).toMatchObject({ workers: 1, sessions: 0 });
  }, 60_000);
});
