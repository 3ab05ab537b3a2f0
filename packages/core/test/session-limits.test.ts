/**
 * The session's safety limits against a real socket: the inbound message size, the outbound
 * buffer once open, the close handshake (the server's close frame ends the stream at once),
 * reading paused on demand, and the close report's reason redacted.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import { ManualClock, waitFor } from "@earshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIAGNOSTICS_CHANNELS } from "../src/diagnostics.ts";
import { BufferOverflowError, MessageTooLargeError, StateError } from "../src/errors.ts";
import type { CloseReport } from "../src/session.ts";
import { API_KEY, closeOf, METADATA, RESULTS, recordEvents, testSession } from "./session-helpers.ts";
import { startTestServer, type TestServer } from "./session-ws-server.ts";

let server: TestServer;

/** TCP sockets open in this process (both ends of a loopback connection count). */
function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
}
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

/** A Results message of about `bytes` bytes: one long final with many timed words, as Deepgram sends for a long utterance. */
function longResults(bytes: number): string {
  const base = JSON.parse(RESULTS) as {
    channel: { alternatives: { words: object[]; transcript: string }[] };
  };
  const words: object[] = [];
  const texts: string[] = [];
  let size = RESULTS.length;
  for (let index = 0; size < bytes; index++) {
    const word = {
      word: "word",
      start: index * 0.3,
      end: index * 0.3 + 0.25,
      confidence: 0.98,
      punctuated_word: "Word,",
      speaker: 0,
      speaker_confidence: 0.7,
    };
    words.push(word);
    texts.push("word,");
    size += JSON.stringify(word).length + 7;
  }
  const alternative = base.channel.alternatives[0];
  if (alternative === undefined) throw new Error("fixture has no alternative");
  alternative.words = words;
  alternative.transcript = texts.join(" ");
  return JSON.stringify(base);
}

describe("LiveSession limits: inbound message size", () => {
  it("passes a 1.2 MB Results with the default maxMessageBytes (16 MiB)", async () => {
    const big = longResults(1_200_000);
    expect(big.length).toBeGreaterThan(1_200_000);
    server.onConnection = (connection) => connection.socket.send(big);
    const s = testSession(server.url);
    const texts: string[] = [];
    s.on("message", (_message, info) => texts.push(info.text));
    await s.connect();
    await waitFor(() => texts.length === 1, "the long Results");
    expect(texts[0]).toBe(big);
    s.abort();
  });

  it("closes with MessageTooLargeError at the frame header of a message over the limit; nothing is delivered", async () => {
    const limit = 64 * 1024;
    server.onConnection = (connection) => {
      connection.socket.send(RESULTS);
      connection.socket.send("x".repeat(limit + 1));
      connection.socket.send(RESULTS);
    };
    const s = testSession(server.url, { maxMessageBytes: limit });
    const events = recordEvents(s);
    const closed = closeOf(s);
    await s.connect();
    const report = await closed;
    expect(report.error).toBeInstanceOf(MessageTooLargeError);
    expect(report.error).toMatchObject({
      code: "ERR_MESSAGE_TOO_LARGE",
      limitBytes: limit,
      retryable: false,
    });
    expect(report.error?.message).toContain("maxMessageBytes");
    expect(events).toEqual(["open", "message:Results", `close:${report.code}`]);
    expect(() => s.send(new Uint8Array(2))).toThrow(StateError);
  });

  it("rejects a 64 MiB message with the default limit without buffering it (heap stays bounded)", async () => {
    const huge = Buffer.alloc(64 * 1024 * 1024, 0x61);
    server.onConnection = (connection) => connection.socket.send(huge);
    const s = testSession(server.url);
    const closed = closeOf(s);
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    await s.connect();
    const report = await closed;
    const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    expect(report.error).toBeInstanceOf(MessageTooLargeError);
    expect(report.error).toMatchObject({ limitBytes: 16 * 1024 * 1024 });
    // The server's own 64 MiB buffer existed before `before` was taken; the client read at most a few socket chunks.
    expect(after - before).toBeLessThan(32 * 1024 * 1024);
  });
});

describe("LiveSession limits: outbound buffer once open", () => {
  it("refuses audio past maxBufferedBytes with BufferOverflowError; everything accepted still arrives", async () => {
    server.onConnection = (connection) => connection.socket.pause();
    const maxBufferedBytes = 256 * 1024;
    const s = testSession(server.url, { highWaterMarkBytes: 64 * 1024, maxBufferedBytes });
    await s.connect();
    const piece = new Uint8Array(32 * 1024).fill(7);
    let accepted = 0;
    let refusal: unknown;
    // The server reads nothing: the kernel's buffers fill, then the session's; 4096 pieces (128 MiB) bound the loop.
    for (let index = 0; index < 4096 && refusal === undefined; index++) {
      try {
        s.send(piece);
        accepted += piece.length;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(BufferOverflowError);
    expect(refusal).toMatchObject({ code: "ERR_BUFFER_OVERFLOW", limitBytes: maxBufferedBytes });
    expect((refusal as Error).message).toContain("maxBufferedBytes");
    expect(s.bufferedBytes).toBeLessThanOrEqual(maxBufferedBytes);
    expect(s.state).toBe("open");
    // Control messages are never refused: the stream can still be finished.
    const connection = server.connections[0];
    if (connection === undefined) throw new Error("no connection");
    connection.socket.on("message", (data, isBinary) => {
      if (!isBinary && data.toString() === '{"type":"CloseStream"}') {
        connection.socket.send(METADATA);
        connection.socket.close(1000);
      }
    });
    const finishing = s.finish();
    connection.socket.resume();
    await finishing;
    const received = connection.frames.filter((frame) => frame.binary).reduce((n, f) => n + f.data.length, 0);
    expect(received).toBe(accepted);
  });
});

describe("LiveSession limits: the close handshake", () => {
  it("finish() resolves with the Metadata at the server's close frame although the server keeps TCP open", async () => {
    server.onConnection = (connection) => {
      connection.socket.on("message", (data, isBinary) => {
        if (isBinary || data.toString() !== '{"type":"CloseStream"}') return;
        connection.socket.send(METADATA);
        // Not reading the client's answering close frame, the server never ends TCP itself.
        connection.socket.pause();
        connection.socket.close(1000);
      });
    };
    // A manual clock: finishTimeoutMs can never fire, so only the close frame can end finish().
    const clock = new ManualClock();
    const s = testSession(server.url, { closeTimeoutMs: 100 }, clock);
    const events = recordEvents(s);
    await s.connect();
    s.send(new Uint8Array(640));
    const metadata = await s.finish();
    const socketsAtFinish = tcpSockets();
    expect(metadata?.type).toBe("Metadata");
    expect(events).toEqual(["open", "message:Metadata", "close:1000"]);
    expect(s.closeReport).toMatchObject({ code: 1000, wasClean: true });
    expect(s.closeReport?.error).toBeUndefined();
    // closeTimeoutMs later, the client destroys its socket (the server's paused end stays open).
    await waitFor(() => tcpSockets() === socketsAtFinish - 1, "the client tearing its socket down");
  });

  it("nothing the server sends after its close frame is delivered", async () => {
    server.onConnection = (connection) => {
      connection.socket.send(RESULTS);
      connection.socket.close(1000);
    };
    const s = testSession(server.url);
    const events = recordEvents(s);
    const closed = closeOf(s);
    await s.connect();
    await closed;
    expect(events).toEqual(["open", "message:Results", "close:1000"]);
  });
});

describe("LiveSession limits: reading paused", () => {
  it("pauseReading() stops reading (the server's socket backs up); resumeReading() delivers everything in order", async () => {
    const payload = "r".repeat(64 * 1024);
    let sent = 0;
    let backedUp = false;
    server.onConnection = (connection) => {
      // Until the client's kernel buffers are full and the server's own buffer holds over 1 MiB.
      for (; sent < 2_000 && connection.socket.bufferedAmount < 1024 * 1024; sent++) {
        connection.socket.send(JSON.stringify({ type: "Burst", n: sent, payload }));
      }
      backedUp = connection.socket.bufferedAmount >= 1024 * 1024;
    };
    const s = testSession(server.url);
    const received: number[] = [];
    s.on("message", (message) => received.push((message as unknown as { raw: string }).raw.length));
    s.pauseReading();
    expect(s.readingPaused).toBe(true);
    await s.connect();
    await waitFor(() => sent > 0, "the server's burst");
    expect(backedUp).toBe(true);
    expect(received).toEqual([]);
    s.resumeReading();
    await waitFor(() => received.length === sent, "every message after resuming");
    s.abort();
  });
});

describe("LiveSession: what the close tells", () => {
  it("redacts a credential the server echoes in its close reason, in the report and the diagnostics event", async () => {
    server.onConnection = (connection) => connection.socket.close(1011, `bad key ${API_KEY}`);
    const published: CloseReport[] = [];
    const onClose = (message: unknown): void => {
      published.push((message as { report: CloseReport }).report);
    };
    diagnosticsChannel.subscribe(DIAGNOSTICS_CHANNELS.close, onClose);
    try {
      const s = testSession(server.url);
      const closed = closeOf(s);
      await s.connect();
      const report = await closed;
      expect(report.reason).toBe("bad key [redacted]");
      expect(report.error?.message).not.toContain(API_KEY);
      expect(JSON.stringify(published)).not.toContain(API_KEY);
      expect(published.at(-1)?.reason).toBe("bad key [redacted]");
    } finally {
      diagnosticsChannel.unsubscribe(DIAGNOSTICS_CHANNELS.close, onClose);
    }
  });

  it("a call after the stream ended carries the ending error as cause", async () => {
    server.onConnection = (connection) => connection.socket.close(1008, "DATA-0000 bad audio");
    const s = testSession(server.url);
    const closed = closeOf(s);
    await s.connect();
    const report = await closed;
    let thrown: unknown;
    try {
      s.send(new Uint8Array(2));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StateError);
    expect((thrown as Error).cause).toBe(report.error);
    expect(report.error).toMatchObject({ closeCode: 1008, dgCode: "DATA-0000" });
  });
});
