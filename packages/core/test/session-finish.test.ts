import { ManualClock } from "@earshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AbortedError,
  ConnectionClosedError,
  ConnectionError,
  StateError,
  TimeoutError,
} from "../src/errors.ts";
import type { LiveSession } from "../src/session.ts";
import { closeOf, METADATA, RESULTS, recordEvents, testSession } from "./session-helpers.ts";
import { type Connection, startTestServer, type TestServer } from "./session-ws-server.ts";

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

/** On CloseStream: a final after `delayMs`, then Metadata, then close 1000. */
function answerCloseStream(delayMs: number): (connection: Connection) => void {
  return (connection) => {
    connection.socket.on("message", (data, isBinary) => {
      if (isBinary || data.toString() !== '{"type":"CloseStream"}') return;
      setTimeout(() => {
        connection.socket.send(RESULTS);
        connection.socket.send(METADATA);
        connection.socket.close(1000);
      }, delayMs);
    });
  };
}

describe("LiveSession.finish", () => {
  it("sends CloseStream behind the audio and resolves with the Metadata after a late final; close once, last", async () => {
    server.onConnection = answerCloseStream(300);
    const s = session();
    const events = recordEvents(s);
    let closes = 0;
    s.on("close", () => closes++);
    await s.connect();
    s.send(new Uint8Array(3_200));
    const metadata = await s.finish();
    expect(metadata?.type).toBe("Metadata");
    expect(metadata?.request_id).toBe("11111111-2222-3333-4444-555555555555");
    expect(events).toEqual(["open", "message:Results", "message:Metadata", "close:1000"]);
    expect(closes).toBe(1);
    expect(s.closeReport).toMatchObject({
      code: 1000,
      wasClean: true,
      requestId: "11111111-2222-3333-4444-555555555555",
    });
    expect(s.closeReport?.error).toBeUndefined();
    const frames = server.connections[0]?.frames ?? [];
    expect(frames.map((f) => f.binary)).toEqual([true, false]);
    expect(frames[1]?.data.toString()).toBe('{"type":"CloseStream"}');
    // Calling again, and abort() after close, change nothing.
    await expect(s.finish()).resolves.toBe(metadata);
    s.abort();
    expect(closes).toBe(1);
  });

  it("queues CloseStream when finish() is called while connecting", async () => {
    server.onConnection = answerCloseStream(0);
    const s = session();
    const connecting = s.connect();
    s.send(new Uint8Array(640));
    const finishing = s.finish();
    expect(s.state).toBe("connecting");
    await connecting;
    expect(s.state).toBe("closing");
    expect((await finishing)?.type).toBe("Metadata");
  });

  it("closes the socket and rejects with ERR_FINISH_TIMEOUT when the server never closes (fake clock)", async () => {
    const clock = new ManualClock(1_000_000);
    const s = session({ finishTimeoutMs: 2_000 }, clock);
    const closed = closeOf(s);
    await s.connect();
    const finishing = s.finish().catch((e: unknown) => e);
    clock.advance(1_999);
    expect(s.state).toBe("closing");
    clock.advance(1);
    const error = (await finishing) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.code).toBe("ERR_FINISH_TIMEOUT");
    const report = await closed;
    expect(report.error).toBe(error);
    expect(clock.pendingTimers).toBe(0);
  });

  it("honours a per-call timeoutMs", async () => {
    const clock = new ManualClock(1_000_000);
    const s = session({}, clock);
    await s.connect();
    const finishing = s.finish({ timeoutMs: 100 }).catch((e: unknown) => e);
    clock.advance(100);
    expect(((await finishing) as TimeoutError).timeoutMs).toBe(100);
  });

  it("rejects with the close error when the server closes abnormally (1011 NET-0001)", async () => {
    const reason =
      "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001";
    server.onConnection = (connection) => connection.socket.close(1011, reason);
    const s = session();
    const closed = closeOf(s);
    await s.connect();
    const report = await closed;
    expect(report).toMatchObject({ code: 1011, reason, dgCode: "NET-0001", wasClean: true });
    expect(report.error).toBeInstanceOf(ConnectionClosedError);
    expect(report.error?.dgCode).toBe("NET-0001");
    await expect(s.finish()).rejects.toBe(report.error);
  });

  it("reports 1008 DATA-0000 as a non-retryable ConnectionClosedError", async () => {
    server.onConnection = (connection) => {
      connection.socket.once("message", () =>
        connection.socket.close(1008, "DATA-0000 the payload cannot be decoded as audio"),
      );
    };
    const s = session();
    const closed = closeOf(s);
    await s.connect();
    s.send(new Uint8Array(10));
    const report = await closed;
    expect(report.code).toBe(1008);
    expect(report.dgCode).toBe("DATA-0000");
    expect(report.error?.retryable).toBe(false);
  });

  it("reports a dropped TCP connection as 1006, not clean", async () => {
    server.onConnection = (connection) => connection.socket.terminate();
    const s = session();
    const closed = closeOf(s);
    await s.connect();
    const report = await closed;
    expect(report.code).toBe(1006);
    expect(report.wasClean).toBe(false);
    expect(report.error).toBeInstanceOf(ConnectionClosedError);
    expect(report.error?.retryable).toBe(true);
  });

  it("reports a protocol error from the server's side as a ConnectionError in the close report", async () => {
    server.onConnection = (connection) => {
      // A frame with a reserved opcode (0x3): ws on the client side refuses it with an error.
      const raw = (connection.socket as unknown as { _socket: import("node:net").Socket })._socket;
      raw.write(Buffer.from([0x83, 0x00]));
    };
    const s = session();
    const closed = closeOf(s);
    await s.connect();
    const report = await closed;
    expect(report.error).toBeInstanceOf(ConnectionError);
    expect(report.error?.code).toBe("ERR_CONNECTION_FAILED");
    expect(report.error?.cause).toMatchObject({ code: "WS_ERR_INVALID_OPCODE" });
    expect(report.code).toBe(1006);
  });

  it("aborts a finish when its signal aborts", async () => {
    const s = session();
    await s.connect();
    const controller = new AbortController();
    const finishing = s.finish({ signal: controller.signal }).catch((e: unknown) => e);
    controller.abort("enough");
    const error = (await finishing) as AbortedError;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.cause).toBe("enough");
  });

  it("refuses finish() before connect()", async () => {
    await expect(session().finish()).rejects.toBeInstanceOf(StateError);
  });
});
