/**
 * The blocked-thread guarantee: while the application's thread is busy, the engine keeps the
 * socket alive (KeepAlive from the worker, so no NET-0001) and buffers what arrives; then
 * everything is delivered in order. (NET-0001 with and without keepalive: faces.test.ts.)
 */

import { type ServerThread, startServerThread } from "@earshot/server";
import { waitFor } from "@earshot/testkit";
import { LiveClient } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, finalTranscripts, PCM, payloads, record, speech } from "./support/harness.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("LiveClient with a blocked thread", () => {
  it("a blocked thread: the engine sends KeepAlive and buffers results; all are delivered in order afterwards", async () => {
    server = await startServerThread({ inactivityTimeoutMs: 2_000 });
    const client = new LiveClient({ url: server.url, keepAlive: 500 });
    const log = record(client);
    expect(client.start({ ...PCM, interim_results: true })).toBe(true);
    for (const piece of speech()) client.send(piece);

    // Block this thread for 5 s: no event loop, no callback, no timer on this side.
    const blockedUntil = Date.now() + 5_000;
    let spins = 0;
    while (Date.now() < blockedUntil) spins++;
    expect(spins).toBeGreaterThan(0);
    expect(log.names()).toEqual(["open"]); // nothing could be delivered meanwhile

    // Once free, everything the engine received arrives, in order, and the stream is alive.
    await waitFor(() => finalTranscripts(log.events).length > 0, "the buffered finals");
    expect(client.isConnected()).toBe(true);
    expect(log.names()).not.toContain("error");
    expect(client.finish()).toBe(true);
    const names = log.names();
    expect(names.slice(-2)).toEqual(["Metadata", "close"]);
    expect(payloads(log.events, "close")[0]).toMatchObject({ code: 1000 });
    const starts = payloads(log.events, "Results")
      .filter((result) => result.is_final)
      .map((result) => result.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});
