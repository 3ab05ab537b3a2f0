/**
 * NET-0001 (the server's idle timeout) with and without the engine's keepalive, and the
 * blocked-thread guarantee: the engine keeps the socket alive and buffers what arrives while
 * the application's thread is busy, then everything is delivered in order.
 */
import { ConnectionClosedError } from "@earshot/core";
import { waitFor } from "@earshot/testkit";
import { LiveClient } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, finalTranscripts, PCM, payloads, record, speech } from "./support/harness.ts";
import { type ServerThread, startServerThread } from "./support/server-thread.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("LiveClient idle timeout", () => {
  it("without keepalive the server closes an idle stream: Error (NET-0001) then Close", async () => {
    server = await startServerThread({ inactivityTimeoutMs: 500 });
    const client = new LiveClient({ url: server.url });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    await waitFor(() => log.names().includes("close"), "the server's idle close", { timeoutMs: 5_000 });
    const [error] = payloads(log.events, "error");
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ dgCode: "NET-0001", closeCode: 1011 });
    expect(payloads(log.events, "close")[0]).toMatchObject({ code: 1011, dgCode: "NET-0001" });
    expect(log.names().at(-1)).toBe("close");
    expect(client.isConnected()).toBe(false);
    expect(client.finish()).toBe(false);
  });

  it("with keepalive the engine keeps an idle stream open past the server's timeout", async () => {
    server = await startServerThread({ inactivityTimeoutMs: 1_000 });
    const client = new LiveClient({ url: server.url, keepAlive: 200 });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    // Idle for two and a half of the server's timeouts, with this thread's event loop free.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(client.isConnected()).toBe(true);
    expect(log.names()).toEqual(["open"]);
    expect(client.finish()).toBe(true);
  });

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
