/**
 * The threaded face's own promises about a stream: events delivered inside start() and
 * finish(), nothing after finish() returns, control messages behind audio, refused calls, big
 * chunks, restarts. (The scenarios shared with the async face are in faces.test.ts.)
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

describe("LiveClient flow", () => {
  it("opens, streams, and finish() delivers the last finals, Metadata and Close before returning", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url });
    const log = record(client);

    expect(client.start(PCM)).toBe(true);
    expect(log.names()).toEqual(["open"]);
    expect(payloads(log.events, "open")[0]?.requestId).toEqual(expect.any(String));
    expect(client.isConnected()).toBe(true);

    for (const piece of speech()) expect(client.send(piece)).toBe(true);
    expect(client.finish()).toBe(true);
    expect(client.isConnected()).toBe(false);

    const names = log.names();
    expect(names.at(-1)).toBe("close");
    expect(names.at(-2)).toBe("Metadata");
    expect(names.filter((name) => name === "close")).toHaveLength(1);
    expect(names).not.toContain("error");
    expect(finalTranscripts(log.events).length).toBeGreaterThan(0);
    const close = payloads(log.events, "close")[0];
    expect(close).toMatchObject({ code: 1000, wasClean: true });

    // Nothing arrives after finish() returned: it delivered everything.
    const delivered = log.events.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.events.length).toBe(delivered);
  });

  it("keeps control messages behind the audio sent before them (finalize flushes that audio)", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    // Speech without a closing silence: only Finalize can make it final, and only if the
    // Finalize travels behind this audio.
    for (const piece of speech().slice(0, 50)) client.send(piece);
    expect(client.finalize()).toBe(true);
    expect(client.keepAlive()).toBe(true);
    expect(client.configure({ numerals: true })).toBe(true);
    await waitFor(
      () => payloads(log.events, "Results").some((result) => result.from_finalize),
      "a from_finalize result",
    );
    expect(client.finish()).toBe(true);
    expect(log.names().at(-1)).toBe("close");
  });

  it("send() before start() returns false with a StateError event; after Close, false and no event at all", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url });
    const log = record(client);
    expect(client.send(Buffer.alloc(640))).toBe(false);
    expect(payloads(log.events, "error")[0]?.code).toBe("ERR_INVALID_STATE");
    expect(client.finish()).toBe(false);

    expect(client.start(PCM)).toBe(true);
    expect(client.send(new Uint8Array(0))).toBe(true); // empty chunks are dropped, not refused
    expect(client.finish()).toBe(true);
    const eventsAtClose = log.events.length;
    expect(client.send(Buffer.alloc(640))).toBe(false);
    expect(client.keepAlive()).toBe(false);
    expect(client.finalize()).toBe(false);
    // Nothing after Close: the refused calls emit no Error.
    expect(log.events.length).toBe(eventsAtClose);
    expect(log.names().at(-1)).toBe("close");
    const errors = payloads(log.events, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe("ERR_INVALID_STATE");
    expect(() => client.send("not audio" as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_AUDIO" }),
    );
  });

  it("a chunk larger than the whole ring goes through, split into records", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url, ringBytes: 4_096 });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    const audio = Buffer.concat(speech());
    expect(audio.byteLength).toBeGreaterThan(10 * 4_096);
    expect(client.send(audio)).toBe(true);
    expect(client.finish()).toBe(true);
    expect(finalTranscripts(log.events).length).toBeGreaterThan(0);
    expect(payloads(log.events, "Metadata")[0]?.duration).toBeCloseTo(audio.byteLength / 32_000, 1);
  });

  it("a client can start again after its stream closed", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url });
    const log = record(client);
    for (let round = 0; round < 2; round++) {
      expect(client.start(PCM)).toBe(true);
      for (const piece of speech().slice(0, 20)) client.send(piece);
      expect(client.finish()).toBe(true);
    }
    expect(log.names().filter((name) => name === "open")).toHaveLength(2);
    expect(log.names().filter((name) => name === "close")).toHaveLength(2);
  });
});
