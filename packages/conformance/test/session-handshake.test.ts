/**
 * The core LiveSession against the real local server: authentication and refused upgrades.
 */
import { inspect } from "node:util";
import {
  AbortedError,
  type CloseReport,
  HandshakeError,
  LiveSession,
  type LiveSessionInit,
  serializeError,
} from "@earshot/core";
import { type LocalServer, startServer } from "@earshot/server";
import { tone } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";

const KEY = "conformance-key-4c1d9e7a2b";
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function closeOf(session: LiveSession): Promise<CloseReport> {
  return new Promise((resolve) => session.once("close", resolve));
}

function newSession(client: LiveSessionInit["client"]): LiveSession {
  return new LiveSession({ options: { encoding: "linear16", sample_rate: 16_000 }, client });
}

describe("LiveSession ⇄ local server: handshake", () => {
  it.each(["header", "subprotocol"] as const)(
    "opens with the key sent by %s, and finishes with the server's Metadata",
    async (authTransport) => {
      server = await startServer({ apiKeys: [KEY] });
      const session = newSession({ url: server.url, apiKey: KEY, authTransport });
      const events: string[] = [];
      session.on("open", () => events.push("open"));
      session.on("close", (report) => events.push(`close:${report.code}`));
      await session.connect();
      expect(session.requestId).toMatch(/^[0-9a-f-]{36}$/);
      session.send(tone(0.5));
      const metadata = await session.finish();
      expect(metadata?.request_id).toBe(session.requestId);
      expect(metadata?.duration).toBeCloseTo(0.5, 3);
      expect(events).toEqual(["open", "close:1000"]);
      expect(session.closeReport?.error).toBeUndefined();
    },
  );

  it("opens with an access token (Bearer)", async () => {
    const token = "eyJhbGciOiJIUzI1NiJ9.conformance.token";
    server = await startServer({ apiKeys: [token] });
    const session = newSession({ url: server.url, accessToken: token });
    await session.connect();
    expect(session.state).toBe("open");
    session.abort();
  });

  it("reports a wrong key as a 401 HandshakeError with dg-error and request id, the key in none of it", async () => {
    server = await startServer({ apiKeys: ["the-right-key-000"] });
    const session = newSession({ url: server.url, apiKey: KEY });
    const opened: unknown[] = [];
    session.on("open", (info) => opened.push(info));
    const closed = closeOf(session);
    const error = await session.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeError);
    const refusal = error as HandshakeError;
    expect(refusal.code).toBe("ERR_HANDSHAKE_REFUSED");
    expect(refusal.status).toBe(401);
    expect(refusal.dgError).toBeTruthy();
    expect(refusal.errCode).toBe("INVALID_AUTH");
    expect(refusal.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(refusal.retryable).toBe(false);
    expect(refusal.message).toContain("401");
    const report = await closed;
    expect(opened).toEqual([]);
    expect(report.error).toBe(refusal);
    expect(report.requestId).toBe(refusal.requestId);
    const surfaces = [
      refusal.message,
      refusal.stack ?? "",
      inspect(refusal, { depth: 5 }),
      JSON.stringify(serializeError(refusal)),
      inspect(report, { depth: 5 }),
      inspect(session),
      session.url,
    ];
    for (const text of surfaces) expect(text).not.toContain(KEY);
  });

  it("reports a bad query as a 400 HandshakeError naming the parameter", async () => {
    server = await startServer();
    // A base URL carrying a query the server cannot accept (the client passes it through as is).
    const session = newSession({ url: `${server.url}/v1/listen?endpointing=soon`, apiKey: KEY });
    const error = (await session.connect().catch((e: unknown) => e)) as HandshakeError;
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error.status).toBe(400);
    expect(error.errMsg).toContain("endpointing");
    expect(error.requestId).toBeTruthy();
    expect(error.retryable).toBe(false);
    expect(session.state).toBe("closed");
  });

  it("reports a 429 from the server as retryable", async () => {
    server = await startServer({ faults: { refuseWith: { status: 429 } } });
    const error = (await newSession({ url: server.url, apiKey: KEY })
      .connect()
      .catch((e: unknown) => e)) as HandshakeError;
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
  });

  it("aborts while connecting and while open; the server sees the session end", async () => {
    server = await startServer();
    const early = newSession({ url: server.url, apiKey: KEY });
    const controller = new AbortController();
    const connecting = early.connect({ signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await connecting).toBeInstanceOf(AbortedError);

    const running = newSession({ url: server.url, apiKey: KEY });
    const closed = closeOf(running);
    await running.connect();
    running.send(tone(0.2));
    running.abort(new Error("user stop"));
    const report = await closed;
    expect(report.error).toBeInstanceOf(AbortedError);
    expect(report.wasClean).toBe(false);
    const local = server;
    for (let i = 0; i < 400 && local.sessionCount > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(local.sessionCount).toBe(0);
  });
});
