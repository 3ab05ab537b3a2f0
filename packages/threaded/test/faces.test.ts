/**
 * One list of scenarios, two adapters: the threaded and the async client must behave the same
 * on flow, ordering, refusal, a late final and the server's idle timeout (NET-0001), with and
 * without keepalive.
 */
import { ConnectionClosedError, HandshakeError } from "@earshot/core";
import { waitFor } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { asyncFace, threadedFace } from "./support/faces.ts";
import { expectNoEngineLeft, finalTranscripts, PCM, payloads, speech } from "./support/harness.ts";
import { type ServerThread, startServerThread } from "./support/server-thread.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

const names = (events: readonly { event: string }[]) => events.map((logged) => logged.event);

describe.each([threadedFace, asyncFace])("$name", (face) => {
  it("flow: open, audio, finish → finals, then Metadata, then Close once", async () => {
    server = await startServerThread();
    const client = face.create({ url: server.url });
    expect(await client.start(PCM)).toBe(true);
    expect(client.isConnected()).toBe(true);
    for (const piece of speech()) await client.send(piece);
    expect(await client.finish()).toBe(true);
    const seen = names(client.events);
    expect(seen[0]).toBe("open");
    expect(seen.slice(-2)).toEqual(["Metadata", "close"]);
    expect(seen.filter((name) => name === "close")).toHaveLength(1);
    expect(seen).not.toContain("error");
    expect(finalTranscripts(client.events).length).toBeGreaterThan(0);
    expect(payloads(client.events, "close")[0]).toMatchObject({ code: 1000, wasClean: true });
    expect(client.isConnected()).toBe(false);
  });

  it("ordering: interim and final results in stream order, all before Metadata", async () => {
    server = await startServerThread();
    const client = face.create({ url: server.url });
    expect(await client.start({ ...PCM, interim_results: true })).toBe(true);
    for (const piece of speech()) await client.send(piece);
    expect(await client.finish()).toBe(true);
    const seen = names(client.events);
    expect(seen.lastIndexOf("Results")).toBeLessThan(seen.indexOf("Metadata"));
    const finals = payloads(client.events, "Results").filter((result) => result.is_final);
    const starts = finals.map((result) => result.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("refusal: start fails with Error (HandshakeError 401) then Close", async () => {
    server = await startServerThread({ apiKeys: ["right-key"] });
    const client = face.create({ url: server.url, apiKey: "wrong-key" });
    expect(await client.start(PCM)).toBe(false);
    expect(names(client.events)).toEqual(["error", "close"]);
    const [error] = payloads(client.events, "error");
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error).toMatchObject({ status: 401, code: "ERR_HANDSHAKE_REFUSED" });
    expect(error?.message).not.toContain("wrong-key");
  });

  it("late final: finish waits 1.5 s for the flushed final and delivers it before Metadata", async () => {
    server = await startServerThread({ faults: { finalDelayMs: 1_500 } });
    const client = face.create({ url: server.url });
    expect(await client.start(PCM)).toBe(true);
    for (const piece of speech().slice(0, 50)) await client.send(piece);
    expect(await client.finish()).toBe(true);
    expect(names(client.events).slice(-2)).toEqual(["Metadata", "close"]);
    expect(finalTranscripts(client.events).length).toBeGreaterThan(0);
  });

  it("NET-0001 without keepalive: Error (ConnectionClosedError NET-0001) then Close", async () => {
    server = await startServerThread({ inactivityTimeoutMs: 500 });
    const client = face.create({ url: server.url });
    expect(await client.start(PCM)).toBe(true);
    await waitFor(() => names(client.events).includes("close"), "the idle close");
    const [error] = payloads(client.events, "error");
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ dgCode: "NET-0001", closeCode: 1011 });
    expect(names(client.events).at(-1)).toBe("close");
  });

  it("NET-0001 prevented by keepalive: idle past the server's timeout, still open, clean finish", async () => {
    server = await startServerThread({ inactivityTimeoutMs: 1_000 });
    const client = face.create({ url: server.url, keepAlive: 200 });
    expect(await client.start(PCM)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(client.isConnected()).toBe(true);
    expect(await client.finish()).toBe(true);
    expect(names(client.events)).not.toContain("error");
  });
});
