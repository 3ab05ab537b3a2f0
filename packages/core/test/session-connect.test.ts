import { inspect } from "node:util";
import { ManualClock } from "@earshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AbortedError, ConnectionError, HandshakeError, StateError, TimeoutError } from "../src/errors.ts";
import { LiveSession } from "../src/session.ts";
import { API_KEY, closeOf, recordEvents, testSession } from "./session-helpers.ts";
import { startTestServer, type TestServer } from "./session-ws-server.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function session(extra: Record<string, unknown> = {}, clock?: ManualClock): LiveSession {
  return testSession(server.url, extra, clock, { model: "nova-3" });
}

describe("LiveSession.connect", () => {
  it("opens with the key in the Authorization header, never in the URL", async () => {
    const s = session();
    const events = recordEvents(s);
    const closed = closeOf(s);
    await s.connect();
    expect(s.state).toBe("open");
    expect(events).toEqual(["open"]);
    const request = server.requests[0];
    expect(request?.headers.authorization).toBe(`Token ${API_KEY}`);
    expect(request?.url).toBe("/v1/listen?model=nova-3&encoding=linear16&sample_rate=16000");
    expect(s.url).not.toContain(API_KEY);
    expect(s.requestId).toBe("11111111-2222-3333-4444-555555555555");
    s.abort();
    await closed;
  });

  it("opens with the key as a subprotocol when asked", async () => {
    const s = session({ authTransport: "subprotocol" });
    const closed = closeOf(s);
    await s.connect();
    const offered = server.requests[0]?.headers["sec-websocket-protocol"]?.split(",").map((p) => p.trim());
    expect(offered).toEqual(["token", API_KEY]);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    s.abort();
    await closed;
  });

  it("turns a refused upgrade into a HandshakeError with status, dg-error, err_msg and request id, and no open", async () => {
    server.decide = () => ({
      kind: "refuse",
      status: 401,
      headers: { "dg-error": "Invalid credentials.", "dg-request-id": "req-401" },
      body: JSON.stringify({
        err_code: "INVALID_AUTH",
        err_msg: "Invalid credentials.",
        request_id: "req-401",
      }),
    });
    const s = session();
    const events = recordEvents(s);
    const closed = closeOf(s);
    const error = await s.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HandshakeError);
    const refusal = error as HandshakeError;
    expect(refusal.status).toBe(401);
    expect(refusal.dgError).toBe("Invalid credentials.");
    expect(refusal.errCode).toBe("INVALID_AUTH");
    expect(refusal.errMsg).toBe("Invalid credentials.");
    expect(refusal.requestId).toBe("req-401");
    expect(refusal.retryable).toBe(false);
    const report = await closed;
    expect(events).toEqual(["close:1006"]);
    expect(report.error).toBe(refusal);
    expect(report.requestId).toBe("req-401");
    expect(s.state).toBe("closed");
    for (const text of [
      refusal.message,
      refusal.stack ?? "",
      inspect(refusal),
      inspect(report),
      inspect(s),
    ]) {
      expect(text).not.toContain(API_KEY);
    }
  });

  it("redacts the key when a server echoes it in its refusal", async () => {
    server.decide = () => ({
      kind: "refuse",
      status: 401,
      headers: { "dg-error": `bad key ${API_KEY}` },
      body: JSON.stringify({ err_code: "INVALID_AUTH", err_msg: `key ${API_KEY} is not valid` }),
    });
    const s = session();
    const error = (await s.connect().catch((e: unknown) => e)) as HandshakeError;
    expect(error.status).toBe(401);
    expect(inspect(error)).not.toContain(API_KEY);
    expect(error.dgError).not.toContain(API_KEY);
    expect(error.errMsg).not.toContain(API_KEY);
  });

  it("reports a 429 as retryable, and a non-JSON body by its status alone", async () => {
    server.decide = () => ({ kind: "refuse", status: 429, body: "<html>slow down</html>" });
    const error = (await session()
      .connect()
      .catch((e: unknown) => e)) as HandshakeError;
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
  });

  it("times out a connection whose upgrade never answers (fake clock)", async () => {
    server.decide = () => ({ kind: "hang" });
    const clock = new ManualClock(1_000_000);
    const s = session({ connectTimeoutMs: 5_000 }, clock);
    const closed = closeOf(s);
    const connecting = s.connect().catch((e: unknown) => e);
    await new Promise<void>((resolve) => {
      const poll = () => (server.requests.length > 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    clock.advance(4_999);
    expect(s.state).toBe("connecting");
    clock.advance(1);
    const error = (await connecting) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.code).toBe("ERR_CONNECT_TIMEOUT");
    expect((await closed).error).toBe(error);
    expect(clock.pendingTimers).toBe(0);
  });

  it("fails with ConnectionError when nothing listens", async () => {
    const url = server.url;
    await server.close();
    server = await startTestServer();
    const s = new LiveSession({ options: {}, client: { url, apiKey: API_KEY } });
    const error = await s.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).retryable).toBe(true);
    expect(s.closeReport?.code).toBe(1006);
  });

  it("is cancelled by an AbortSignal while connecting", async () => {
    server.decide = () => ({ kind: "hang" });
    const s = session();
    const events = recordEvents(s);
    const controller = new AbortController();
    const connecting = s.connect({ signal: controller.signal }).catch((e: unknown) => e);
    await new Promise<void>((resolve) => {
      const poll = () => (server.requests.length > 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    controller.abort(new Error("user gave up"));
    const error = (await connecting) as AbortedError;
    expect(error).toBeInstanceOf(AbortedError);
    expect((error.cause as Error).message).toBe("user gave up");
    expect(events).toEqual(["close:1006"]);
  });

  it("rejects at once with an already-aborted signal, without connecting", async () => {
    const s = session();
    const closed = closeOf(s);
    await expect(s.connect({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    expect((await closed).error).toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(0);
  });

  it("aborts a running session when the connect signal aborts later", async () => {
    const controller = new AbortController();
    const s = session();
    const closed = closeOf(s);
    await s.connect({ signal: controller.signal });
    controller.abort();
    const report = await closed;
    expect(report.error).toBeInstanceOf(AbortedError);
    expect(s.state).toBe("closed");
  });

  it("refuses a second connect()", async () => {
    const s = session();
    const closed = closeOf(s);
    await s.connect();
    await expect(s.connect()).rejects.toBeInstanceOf(StateError);
    s.abort();
    await closed;
  });
});
