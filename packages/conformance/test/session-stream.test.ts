/**
 * The core LiveSession against the real local server: ordering, Finalize, CloseStream with a
 * slow last final, undecodable audio, and the one close report.
 */
import { createHash } from "node:crypto";
import {
  type CloseReport,
  ConnectionClosedError,
  LiveSession,
  type ResultsMessage,
  type ServerMessage,
} from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";

let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function record(session: LiveSession): { messages: ServerMessage[]; events: string[] } {
  const messages: ServerMessage[] = [];
  const events: string[] = [];
  session.on("open", () => events.push("open"));
  session.on("message", (message) => {
    messages.push(message);
    events.push(message.type);
  });
  session.on("close", (report) => events.push(`close:${report.code}`));
  return { messages, events };
}

function closeOf(session: LiveSession): Promise<CloseReport> {
  return new Promise((resolve) => session.once("close", resolve));
}

const linear16 = { encoding: "linear16", sample_rate: 16_000 } as const;

describe("LiveSession ⇄ local server: streaming", () => {
  it("flushes audio sent before open in order (the server's sha256 matches the bytes in send order)", async () => {
    server = await startServer();
    const session = new LiveSession({ options: linear16, client: { url: server.url } });
    const audio = Buffer.concat([tone(0.6), silence(0.2), tone(0.4)]);
    const chunks = chunk(audio, 0.1);
    // Half the chunks before connect(), the rest while connecting, then more after open.
    const half = Math.floor(chunks.length / 2);
    for (const piece of chunks.slice(0, half)) session.send(piece);
    const connecting = session.connect();
    for (const piece of chunks.slice(half)) session.send(piece);
    expect(session.bufferedBytes).toBe(audio.length);
    await connecting;
    const tail = tone(0.3);
    session.send(tail);
    const metadata = await session.finish();
    const expected = createHash("sha256").update(audio).update(tail).digest("hex");
    expect(metadata?.sha256).toBe(expected);
    expect(metadata?.duration).toBeCloseTo(1.5, 3);
  });

  it("Finalize flushes the current utterance as Results with from_finalize", async () => {
    server = await startServer({
      engine: scriptedEngine({ transcript: "alpha bravo charlie delta echo", wordsPerSecond: 2 }),
    });
    const session = new LiveSession({
      options: { ...linear16, interim_results: true },
      client: { url: server.url },
    });
    const { messages } = record(session);
    await session.connect();
    // 1.2 s of speech and no silence: no endpoint yet, so words are pending until Finalize.
    for (const piece of chunk(tone(1.2), 0.1)) session.send(piece);
    session.finalize();
    for (let i = 0; i < 400 && !messages.some((m) => m.type === "Results" && m.from_finalize); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const flushed = messages.filter((m): m is ResultsMessage => m.type === "Results" && m.from_finalize);
    expect(flushed.length).toBeGreaterThan(0);
    expect(flushed.every((m) => m.is_final)).toBe(true);
    expect(flushed.map((m) => m.channel.alternatives[0]?.transcript).join(" ")).toContain("alpha");
    expect(session.state).toBe("open");
    await session.finish();
  });

  it("finish() still gets the last final when the server delays it by 1.5 s after CloseStream; close exactly once, last", async () => {
    server = await startServer({
      engine: scriptedEngine({ transcript: "one two three four", wordsPerSecond: 2 }),
      faults: { finalDelayMs: 1_500 },
    });
    const session = new LiveSession({
      options: linear16,
      client: { url: server.url, finishTimeoutMs: 10_000 },
    });
    const { messages, events } = record(session);
    let closes = 0;
    session.on("close", () => closes++);
    await session.connect();
    for (const piece of chunk(tone(2), 0.1)) session.send(piece);
    const metadata = await session.finish();
    expect(metadata?.type).toBe("Metadata");
    const finals = messages.filter((m): m is ResultsMessage => m.type === "Results" && m.is_final);
    const words = finals.flatMap((m) => m.channel.alternatives[0]?.words.map((w) => w.word) ?? []);
    expect(words).toEqual(["one", "two", "three", "four"]);
    expect(events.at(-2)).toBe("Metadata");
    expect(events.at(-1)).toBe("close:1000");
    expect(closes).toBe(1);
    expect(session.closeReport).toMatchObject({ code: 1000, wasClean: true });
    session.abort();
    await expect(session.finish()).resolves.toBe(metadata);
    expect(closes).toBe(1);
  });

  it("reports undecodable audio as a 1008 DATA-0000 close (JSON sent as a binary frame)", async () => {
    server = await startServer();
    const session = new LiveSession({ options: linear16, client: { url: server.url } });
    const closed = closeOf(session);
    await session.connect();
    session.send(Buffer.from('{"type":"KeepAlive"}'));
    const report = await closed;
    expect(report.code).toBe(1008);
    expect(report.dgCode).toBe("DATA-0000");
    expect(report.error).toBeInstanceOf(ConnectionClosedError);
    expect(report.error?.retryable).toBe(false);
    await expect(session.finish()).rejects.toBe(report.error);
  });

  it("reports a dropped connection as 1006 with a retryable error, once", async () => {
    server = await startServer({ faults: { dropAfterBytes: 16_000 } });
    const session = new LiveSession({ options: linear16, client: { url: server.url } });
    let closes = 0;
    session.on("close", () => closes++);
    const closed = closeOf(session);
    await session.connect();
    for (const piece of chunk(tone(1), 0.1)) {
      if (session.state !== "open") break;
      session.send(piece);
    }
    const report = await closed;
    expect(report.code).toBe(1006);
    expect(report.error?.retryable).toBe(true);
    expect(closes).toBe(1);
  });
});
