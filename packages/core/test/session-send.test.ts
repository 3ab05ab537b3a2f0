import { ManualClock } from "@earshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AudioChunkError, BufferOverflowError, ConnectionClosedError, StateError } from "../src/errors.ts";
import type { LiveSession } from "../src/session.ts";
import { closeOf, testSession } from "./session-helpers.ts";
import { startTestServer, type TestServer } from "./session-ws-server.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function session(extra: Record<string, unknown> = {}, clock?: ManualClock): LiveSession {
  return testSession(server.url, extra, clock);
}

function frame(index: number, bytes = 320): Uint8Array {
  const data = new Uint8Array(bytes);
  new DataView(data.buffer).setUint32(0, index, true);
  return data;
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("LiveSession sending", () => {
  it("keeps frames sent before open (and before connect) in order, flushed on open, controls not overtaking audio", async () => {
    const s = session();
    const closed = closeOf(s);
    s.send(frame(0));
    s.send(new Uint8Array(0)); // never sent
    s.finalize();
    const connecting = s.connect();
    s.send(frame(1));
    s.configure({ numerals: true });
    s.send(frame(2));
    s.keepAlive();
    expect(s.bufferedBytes).toBe(
      3 * 320 +
        '{"type":"Finalize"}'.length +
        '{"type":"Configure","features":{"numerals":true}}'.length +
        '{"type":"KeepAlive"}'.length,
    );
    await connecting;
    s.send(frame(3));
    s.finalize(1);
    await until(() => (server.connections[0]?.frames.length ?? 0) >= 8, "8 frames");
    const got = server.connections[0]?.frames.map((f) =>
      f.binary ? `audio:${f.data.readUInt32LE(0)}` : f.data.toString(),
    );
    expect(got).toEqual([
      "audio:0",
      '{"type":"Finalize"}',
      "audio:1",
      '{"type":"Configure","features":{"numerals":true}}',
      "audio:2",
      '{"type":"KeepAlive"}',
      "audio:3",
      '{"type":"Finalize","channel":1}',
    ]);
    expect(server.connections[0]?.frames.every((f) => f.data.length > 0)).toBe(true);
    s.abort();
    await closed;
  });

  it("throws BufferOverflowError past maxPendingBytes before open, dropping nothing already accepted", async () => {
    const s = session({ maxPendingBytes: 1_000 });
    const closed = closeOf(s);
    s.send(frame(0, 400));
    s.send(frame(1, 400));
    expect(() => s.send(frame(2, 400))).toThrow(BufferOverflowError);
    // A control frame still fits (the stream must stay finishable), and so does a smaller chunk.
    s.finalize();
    s.send(frame(3, 150));
    await s.connect();
    await until(() => (server.connections[0]?.frames.length ?? 0) >= 4, "4 frames");
    const got = server.connections[0]?.frames.map((f) =>
      f.binary ? f.data.readUInt32LE(0) : f.data.toString(),
    );
    expect(got).toEqual([0, 1, '{"type":"Finalize"}', 3]);
    s.abort();
    await closed;
  });

  it("throws AudioChunkError for non-bytes and StateError after finish", async () => {
    server.onConnection = (connection) => {
      connection.socket.on("message", (data) => {
        if (data.toString() === '{"type":"CloseStream"}') connection.socket.close(1000);
      });
    };
    const s = session();
    expect(() => s.send("audio" as never)).toThrow(AudioChunkError);
    await s.connect();
    const finishing = s.finish();
    expect(() => s.send(frame(0))).toThrow(StateError);
    expect(() => s.finalize()).toThrow(StateError);
    await finishing;
    expect(() => s.send(frame(0))).toThrow(StateError);
  });

  it("applies backpressure: send() returns false over the high-water mark, drained() resolves once the server reads again", async () => {
    const s = session({ highWaterMarkBytes: 64 * 1024 });
    const closed = closeOf(s);
    let paused = false;
    server.onConnection = (connection) => {
      // Stop reading: the kernel buffers fill, then ws.bufferedAmount grows on the client.
      (connection.socket as unknown as { _socket: import("node:net").Socket })._socket.pause();
      paused = true;
    };
    await s.connect();
    await until(() => paused, "the server to pause");
    const chunk = new Uint8Array(64 * 1024);
    let accepted = 0;
    let belowMark = true;
    // Frames sent in one tick are held for one write at its end (and count as buffered until
    // then): the network is backed up once bytes stay buffered after the tick.
    for (let i = 0; i < 400 && s.bufferedBytes < 64 * 1024; i++) {
      belowMark = s.send(chunk);
      accepted++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(belowMark).toBe(false);
    expect(s.bufferedBytes).toBeGreaterThanOrEqual(64 * 1024);
    let drained = false;
    const draining = s.drained().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    const serverSide = server.connections[0]?.socket as unknown as { _socket: import("node:net").Socket };
    serverSide._socket.resume();
    await draining;
    expect(s.bufferedBytes).toBeLessThan(64 * 1024);
    await until(() => server.connections[0]?.frames.length === accepted, "every chunk to arrive");
    s.abort();
    await closed;
  });

  it("holds the frames sent in one tick for one write at its end, in order, all of them", async () => {
    const s = session({});
    const closed = closeOf(s);
    await s.connect();
    const frames = Array.from({ length: 50 }, (_, i) => new Uint8Array(640).fill(i));
    for (const piece of frames) expect(s.send(piece)).toBe(true);
    // Still held in this tick: 50 frames of 640 bytes plus their 6- or 8-byte headers.
    expect(s.bufferedBytes).toBeGreaterThanOrEqual(50 * 640);
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.bufferedBytes).toBe(0);
    await until(() => server.connections[0]?.frames.length === 50, "every frame to arrive");
    const arrived = server.connections[0]?.frames.map((received) => Buffer.from(received.data)[0]);
    expect(arrived).toEqual(frames.map((_, i) => i));
    s.abort();
    await closed;
  });

  it("rejects a pending drained() with the close error when the connection drops", async () => {
    const s = session({ highWaterMarkBytes: 1024 * 1024 });
    const closed = closeOf(s);
    server.onConnection = (connection) => {
      (connection.socket as unknown as { _socket: import("node:net").Socket })._socket.pause();
    };
    await s.connect();
    const chunk = new Uint8Array(1024 * 1024);
    // Fill the kernel buffers first, so the bytes really stay buffered in the process.
    for (let i = 0; i < 200 && s.bufferedBytes < 4 * 1024 * 1024; i++) {
      s.send(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(s.bufferedBytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    const draining = s.drained().catch((e: unknown) => e);
    server.connections[0]?.socket.terminate();
    const error = await draining;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((await closed).code).toBe(1006);
    await expect(s.drained()).rejects.toBe(error);
  });

  it("sends KeepAlive only after the idle interval when keepAlive is on (fake clock)", async () => {
    const clock = new ManualClock(1_000_000);
    const s = session({ keepAlive: 3_000 }, clock);
    const closed = closeOf(s);
    await s.connect();
    const connection = server.connections[0];
    clock.advance(2_000);
    s.send(frame(0));
    clock.advance(2_999); // 2999 ms idle since the audio frame: not yet
    await until(() => connection?.frames.length === 1, "the audio frame");
    clock.advance(1);
    await until(() => connection?.frames.length === 2, "a KeepAlive");
    expect(connection?.texts()).toEqual(['{"type":"KeepAlive"}']);
    clock.advance(3_000);
    await until(() => connection?.frames.length === 3, "a second KeepAlive");
    s.abort();
    await closed;
    clock.advance(30_000);
    expect(clock.pendingTimers).toBe(0);
    expect(connection?.frames).toHaveLength(3);
  });

  it("sends no KeepAlive when keepAlive is off", async () => {
    const clock = new ManualClock(1_000_000);
    const s = session({}, clock);
    const closed = closeOf(s);
    await s.connect();
    clock.advance(60_000);
    s.send(frame(0));
    await until(() => server.connections[0]?.frames.length === 1, "the audio frame");
    expect(server.connections[0]?.texts()).toEqual([]);
    s.abort();
    await closed;
  });

  it("refuses audio and control frames right after abort(), before the socket has closed: nothing is taken to be lost", async () => {
    const s = session();
    const closed = closeOf(s);
    await s.connect();
    s.abort("stop");
    expect(s.closeReport).toBeUndefined();
    let refusal: unknown;
    try {
      s.send(frame(0));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StateError);
    expect((refusal as StateError).message).toMatch(/closing \(ERR_ABORTED/);
    expect(() => s.finalize()).toThrow(StateError);
    const report = await closed;
    expect((refusal as StateError).cause).toBe(report.error);
  });
});
