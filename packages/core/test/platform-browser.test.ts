/**
 * The browser platform (src/platform/browser.ts) under the real `LiveSession`, in Node: the
 * module the `browser` export condition selects stands in for `#platform`, and the page's
 * WHATWG `WebSocket` is played by the `ws` package's client class (it implements the same
 * `onopen`/`onmessage`/`bufferedAmount`/`binaryType` interface), over real sockets to a server
 * on 127.0.0.1. The page itself runs in Chromium in examples/browser's test; this covers what
 * a page cannot easily provoke (a stalled reader, secrets in causes).
 */
import type { Socket } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { diagnosticsChannel } from "../src/diagnostics.ts";
import { ConnectionError, HandshakeError, OptionsError } from "../src/errors.ts";
import { LiveSession } from "../src/session.ts";
import { API_KEY, closeOf, RESULTS } from "./session-helpers.ts";
import { startTestServer, type TestServer } from "./session-ws-server.ts";

vi.mock("#platform", () => import("../src/platform/browser.ts"));

const OPTIONS = { model: "nova-3", encoding: "linear16", sample_rate: 16000 } as const;

let server: TestServer;
beforeAll(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
});
afterAll(() => {
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
});
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function session(client: Record<string, unknown> = {}): LiveSession {
  return new LiveSession({ options: OPTIONS, client: { url: server.url, apiKey: API_KEY, ...client } });
}

describe("LiveSession on the browser platform", () => {
  it("sends the credential as subprotocols (no headers), and reads text messages", async () => {
    server.onConnection = (connection) => connection.socket.send(RESULTS);
    const s = session();
    const closed = closeOf(s);
    const message = new Promise((resolve) => s.once("message", resolve));
    await s.connect();
    expect(server.requests[0]?.headers["sec-websocket-protocol"]?.split(/,\s*/)).toEqual(["token", API_KEY]);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(await message).toMatchObject({ type: "Results", is_final: true });
    // A browser cannot read the 101's headers.
    expect(s.requestId).toBeUndefined();
    s.abort("done");
    expect((await closed).code).toBe(1006);
  });

  it("refuses handshake headers at construction, naming each option", () => {
    let thrown: unknown;
    try {
      session({ authTransport: "header", headers: { "x-trace": "1" } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OptionsError);
    expect((thrown as OptionsError).problems.map((problem) => problem.option).sort()).toEqual([
      "authTransport",
      "headers",
    ]);
  });

  it("reports a refused upgrade as a ConnectionError (a browser hides the status), key redacted", async () => {
    server.decide = () => ({ kind: "refuse", status: 401, body: '{"err_code":"INVALID_AUTH"}' });
    const s = session();
    const closed = closeOf(s);
    const failure = await s.connect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(failure).not.toBeInstanceOf(HandshakeError);
    const report = await closed;
    expect(report.code).toBe(1006);
    expect(JSON.stringify(report)).not.toContain(API_KEY);
  });

  it("applies backpressure from bufferedAmount: send() turns false and drained() waits for the socket", async () => {
    let serverSocket: Socket | undefined;
    server.onConnection = (connection) => {
      serverSocket = connection.request.socket;
      // The server stops reading: the client's bytes pile up in its socket's buffer.
      serverSocket.pause();
    };
    const s = session({ highWaterMarkBytes: 256 * 1024 });
    const closed = closeOf(s);
    await s.connect();
    const chunk = new Uint8Array(64 * 1024);
    let below = true;
    for (let sent = 0; below && sent < 64 * 1024 * 1024; sent += chunk.byteLength) below = s.send(chunk);
    expect(below).toBe(false);
    expect(s.bufferedBytes).toBeGreaterThanOrEqual(256 * 1024);
    let drained = false;
    const draining = s.drained().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drained).toBe(false);
    serverSocket?.resume();
    await draining;
    expect(s.bufferedBytes).toBeLessThan(256 * 1024);
    s.abort("done");
    await closed;
  });

  it("publishes diagnostics on in-page channels", async () => {
    const channel = diagnosticsChannel("earshot:session:open");
    const seen: unknown[] = [];
    const listener = (data: unknown): void => {
      seen.push(data);
    };
    channel.subscribe(listener);
    try {
      const s = session();
      const closed = closeOf(s);
      await s.connect();
      s.abort("done");
      await closed;
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ url: expect.stringContaining("/v1/listen") });
    } finally {
      channel.unsubscribe(listener);
    }
    expect(channel.hasSubscribers).toBe(false);
  });

  it("redacts a secret held deep inside an error's cause", () => {
    const cause = { request: { headers: new Map([["authorization", `Token ${API_KEY}`]]) } };
    const error = new ConnectionError("The connection failed.", { cause, secrets: [API_KEY] });
    expect(JSON.stringify(error.cause)).not.toContain(API_KEY);
    expect(String(error.cause)).toContain("[redacted]");
  });
});
