/**
 * The core LiveSession against the real local server: the server's inactivity timeout
 * (NET-0001), and the keepalive scheduler keeping an idle stream alive.
 */
import { type CloseReport, ConnectionClosedError, LiveSession, type ServerMessage } from "@earshot/core";
import { type LocalServer, NET_0001_REASON, startServer } from "@earshot/server";
import { tone } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";

const INACTIVITY_MS = 300;
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function closeOf(session: LiveSession): Promise<CloseReport> {
  return new Promise((resolve) => session.once("close", resolve));
}

describe("LiveSession ⇄ local server: idle streams", () => {
  it("without keepalive, an idle stream gets Metadata then 1011 NET-0001", async () => {
    server = await startServer({ inactivityTimeoutMs: INACTIVITY_MS });
    const session = new LiveSession({
      options: { encoding: "linear16", sample_rate: 16_000 },
      client: { url: server.url },
    });
    const messages: ServerMessage[] = [];
    session.on("message", (message) => messages.push(message));
    const closed = closeOf(session);
    await session.connect();
    session.send(tone(0.1));
    const report = await closed;
    expect(report.code).toBe(1011);
    expect(report.reason).toBe(NET_0001_REASON);
    expect(report.dgCode).toBe("NET-0001");
    expect(report.error).toBeInstanceOf(ConnectionClosedError);
    expect(report.error?.dgCode).toBe("NET-0001");
    expect(report.error?.retryable).toBe(true);
    expect(messages.at(-1)?.type).toBe("Metadata");
  });

  it("with keepalive, an idle stream outlives several inactivity timeouts, then finishes cleanly", async () => {
    server = await startServer({ inactivityTimeoutMs: INACTIVITY_MS });
    const session = new LiveSession({
      options: { encoding: "linear16", sample_rate: 16_000 },
      client: { url: server.url, keepAlive: INACTIVITY_MS / 3 },
    });
    const closes: CloseReport[] = [];
    session.on("close", (report) => closes.push(report));
    await session.connect();
    session.send(tone(0.1));
    // Five timeouts' worth of silence from the application: only KeepAlives go out.
    await new Promise((resolve) => setTimeout(resolve, INACTIVITY_MS * 5));
    expect(closes).toEqual([]);
    expect(session.state).toBe("open");
    const metadata = await session.finish();
    expect(metadata?.type).toBe("Metadata");
    expect(closes).toHaveLength(1);
    expect(closes[0]?.code).toBe(1000);
  });
});
