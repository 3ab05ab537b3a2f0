import { createHash } from "node:crypto";
import { inspect } from "node:util";
import type { CloseReport, EarshotError, ServerMessage } from "@earshot/core";
import { CallbackError, StateError } from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncLiveClient, LiveTranscriptionEvents } from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const LINEAR16 = { encoding: "linear16", sample_rate: 16_000 } as const;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({
    engine: scriptedEngine({ transcript: "Hello there. General Kenobi.", wordsPerSecond: 2.5 }),
  });
});
afterAll(async () => {
  await server.close();
});

/** Two sentences: 0.8 s of speech (2 words), a pause that ends the utterance, 0.8 s more, a pause. */
function speech(): Buffer {
  return Buffer.concat([tone(0.8), silence(0.6), tone(0.8), silence(0.6)]);
}

describe("the full flow", () => {
  it("start → send → interim and final Results in order → finish → Metadata → Close once and last", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    const log: string[] = [];
    const finals: string[] = [];
    let closes = 0;
    let report: CloseReport | undefined;
    client.on(LiveTranscriptionEvents.Open, ({ requestId }) => log.push(`open:${typeof requestId}`));
    client.on(LiveTranscriptionEvents.Transcript, (result) => {
      log.push(result.is_final ? "final" : "interim");
      if (result.is_final && result.channel.alternatives[0]?.transcript)
        finals.push(result.channel.alternatives[0].transcript);
    });
    client.on(LiveTranscriptionEvents.Metadata, () => log.push("metadata"));
    client.on(LiveTranscriptionEvents.Close, (closeReport) => {
      closes++;
      report = closeReport;
      log.push("close");
    });
    client.on(LiveTranscriptionEvents.Error, (error) => log.push(`error:${error.code}`));

    expect(client.state).toBe("idle");
    await client.start({ ...LINEAR16, interim_results: true, punctuate: true });
    expect(client.isConnected()).toBe(true);
    expect(client.requestId).toEqual(expect.any(String));
    for (const part of chunk(speech(), 0.1)) await client.send(part);
    const metadata = await client.finish();

    expect(metadata?.type).toBe("Metadata");
    expect(metadata?.duration).toBeCloseTo(2.8, 1);
    expect(log[0]).toBe("open:string");
    expect(log.at(-1)).toBe("close");
    expect(log.at(-2)).toBe("metadata");
    expect(log).toContain("interim");
    expect(closes).toBe(1);
    expect(report?.code).toBe(1000);
    expect(report?.error).toBeUndefined();
    expect(finals.join(" ")).toBe("Hello there. General Kenobi.");
    expect(client.state).toBe("closed");
    expect(client.isConnected()).toBe(false);
  });

  it("keeps chunks sent before start() resolves, in order", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    const starting = client.start(LINEAR16);
    // Distinct chunks (a rising level each), so any reordering would change the server's hash.
    const parts = chunk(speech(), 0.2).map((part, i) => Buffer.from(part.map((byte) => (byte + i) & 0xff)));
    const early = parts.map((part) => client.send(part));
    expect(client.isConnected()).toBe(false);
    await starting;
    await Promise.all(early);
    const metadata = await client.finish();
    expect(metadata?.duration).toBeCloseTo(2.8, 1);
    expect(metadata?.sha256).toBe(createHash("sha256").update(Buffer.concat(parts)).digest("hex"));
  });

  it("reports a handler that throws through Error, and the stream goes on", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    const errors: EarshotError[] = [];
    let results = 0;
    client.on("Results", () => {
      results++;
      throw new Error("user bug");
    });
    client.on("error", (error) => errors.push(error));
    // An Error handler that throws must not loop: it becomes a process warning.
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    let errorHandlerCalls = 0;
    const throwingErrorHandler = () => {
      errorHandlerCalls++;
      throw new Error("error handler bug");
    };
    client.once("error", throwingErrorHandler);
    try {
      await client.start(LINEAR16);
      for (const part of chunk(speech(), 0.1)) await client.send(part);
      const metadata = await client.finish();
      expect(metadata?.type).toBe("Metadata");
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(results).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(results);
    expect(errors[0]).toBeInstanceOf(CallbackError);
    expect(errors[0]?.code).toBe("ERR_CALLBACK_FAILED");
    expect(errors[0]?.cause).toEqual(new Error("user bug"));
    expect(errorHandlerCalls).toBe(1);
    expect(warnings.some((warning) => warning instanceof CallbackError)).toBe(true);
  });

  it("a Close handler that throws becomes a process warning: nothing follows Close", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    const after: string[] = [];
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      client.on("close", () => {
        throw new Error("close handler bug");
      });
      client.on("close", () => after.push("second close handler"));
      client.on("error", (error) => after.push(`error ${error.code}`));
      await client.start(LINEAR16);
      await client.finish();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(after).toEqual(["second close handler"]);
    expect(warnings.filter((warning) => warning instanceof CallbackError)).toHaveLength(1);
  });

  it("never shows the API key: not in util.inspect of the client, not in its errors", async () => {
    const secret = "dg-secret-key-0123456789";
    const refusing = await startServer({ apiKeys: ["another-key"] });
    try {
      const client = new AsyncLiveClient({ url: refusing.url, apiKey: secret });
      expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(secret);
      const failure = await client.start(LINEAR16).catch((error: unknown) => error);
      expect((failure as EarshotError).code).toBe("ERR_HANDSHAKE_REFUSED");
      expect(inspect(failure, { depth: 10 })).not.toContain(secret);
      expect(JSON.stringify(failure)).not.toContain(secret);
    } finally {
      await refusing.close();
    }
  });

  it("on/once/off: once runs once, off removes", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    let onceCalls = 0;
    let offCalls = 0;
    const removed = () => offCalls++;
    client.once("Results", () => onceCalls++);
    client.on("Results", removed);
    client.off("Results", removed);
    await client.start(LINEAR16);
    for (const part of chunk(speech(), 0.1)) await client.send(part);
    await client.finish();
    expect(onceCalls).toBe(1);
    expect(offCalls).toBe(0);
  });

  it("delivers unknown and Error/Warning server messages through Unhandled and the iterator", async () => {
    const odd = await startServer({
      faults: {
        sendAfterOpen: [
          '{"type":"Mystery","x":1}',
          "not json",
          '{"type":"Warning","description":"slow down"}',
        ],
      },
    });
    try {
      const client = new AsyncLiveClient({ url: odd.url, apiKey: "test-key" });
      const unhandled: string[] = [];
      client.on(LiveTranscriptionEvents.Unhandled, (message) => unhandled.push(message.type));
      const iterator = client[Symbol.asyncIterator]();
      await client.start(LINEAR16);
      await client.send(tone(0.2));
      await client.finish();
      const seen: ServerMessage[] = [];
      for await (const message of iterator) seen.push(message);
      expect(unhandled).toEqual(["Unhandled", "Unhandled", "Warning"]);
      expect(seen.slice(0, 3).map((m) => m.type)).toEqual(["Unhandled", "Unhandled", "Warning"]);
      expect(seen.at(-1)?.type).toBe("Metadata");
    } finally {
      await odd.close();
    }
  });

  it("keepAlive(), finalize() and configure() go out behind audio; calls before start() are StateErrors", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    await expect(client.send(tone(0.1))).rejects.toBeInstanceOf(StateError);
    expect(() => client.keepAlive()).toThrow(StateError);
    expect(() => client.finalize()).toThrow(StateError);
    expect(() => client.configure({ numerals: true })).toThrow(StateError);
    await client.start(LINEAR16);
    const fromFinalize: boolean[] = [];
    client.on("Results", (result) => {
      if (result.is_final) fromFinalize.push(result.from_finalize);
    });
    await client.send(tone(0.8));
    client.keepAlive();
    client.configure({ numerals: true });
    client.finalize({ channel: 0 });
    await client.send(tone(0.8));
    client.finalize(0);
    await client.send(tone(0.8));
    client.finalize();
    await client.finish();
    expect(fromFinalize.slice(0, 3)).toEqual([true, true, true]);
    await expect(client.start(LINEAR16)).rejects.toBeInstanceOf(StateError);
    await expect(client.send(tone(0.1))).rejects.toBeInstanceOf(StateError);
  });

  it("rejects options that cannot work before connecting, and the client can start again", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    await expect(client.start({ encoding: "linear16" })).rejects.toMatchObject({
      code: "ERR_INVALID_OPTIONS",
    });
    expect(client.state).toBe("idle");
    await client.start(LINEAR16);
    await client.finish();
  });
});
