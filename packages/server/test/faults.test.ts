import { ManualClock, silence, tone, waitFor } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { type LocalServer, scriptedEngine, startServer } from "../src/index.ts";
import { flood } from "../src/session/flood.ts";
import { SessionTimers } from "../src/session/timers.ts";
import { connect, sendAudio, sendText } from "./helpers/ws-client.ts";

const LINEAR16 = "encoding=linear16&sample_rate=16000";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("fault injection", () => {
  it("drops the TCP connection (no close frame) after N audio bytes", async () => {
    server = await startServer({ faults: { dropAfterBytes: 16_000 } });
    const client = await connect(server.url, LINEAR16);
    client.ws.on("error", () => {});
    await sendAudio(client.ws, tone(1), 3_200).catch(() => {});
    expect((await client.closed).code).toBe(1006);
  });

  it("resets the TCP connection (RST: ECONNRESET, no close frame) after N audio bytes", async () => {
    server = await startServer({ faults: { resetAfterBytes: 16_000 } });
    const errors: Error[] = [];
    // ws keeps TCP errors to itself: listen on the socket the upgrade came on.
    const client = await connect(server.url, LINEAR16, {
      onUpgrade: (response) => response.socket.on("error", (error) => errors.push(error)),
    });
    await sendAudio(client.ws, tone(0.4), 3_200).catch(() => {});
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    await sendAudio(client.ws, tone(0.2), 3_200).catch(() => {});
    expect((await client.closed).code).toBe(1006);
    expect(errors.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(["ECONNRESET"]);
  });

  it("drops the TCP connection after N ms", async () => {
    server = await startServer({ faults: { dropAfterMs: 50 } });
    const client = await connect(server.url, LINEAR16);
    client.ws.on("error", () => {});
    expect((await client.closed).code).toBe(1006);
  });

  it("closes with a chosen code and reason: at once, after N ms, after N bytes", async () => {
    const reason =
      "Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000";
    server = await startServer({
      faults: (request) => {
        const after = new URL(request.url ?? "", "http://x").searchParams.get("after");
        if (after === "ms") return { closeWith: { code: 1011, reason, afterMs: 30 } };
        if (after === "bytes") return { closeWith: { code: 4000, reason: "custom", afterBytes: 6_400 } };
        return { closeWith: { code: 1011, reason } };
      },
    });
    expect(await (await connect(server.url, `${LINEAR16}&after=now`)).closed).toEqual({ code: 1011, reason });
    expect(await (await connect(server.url, `${LINEAR16}&after=ms`)).closed).toEqual({ code: 1011, reason });
    const byBytes = await connect(server.url, `${LINEAR16}&after=bytes`);
    await sendAudio(byBytes.ws, tone(0.1));
    expect(byBytes.ws.readyState).toBe(WebSocket.OPEN);
    await sendAudio(byBytes.ws, tone(0.1));
    expect(await byBytes.closed).toEqual({ code: 4000, reason: "custom" });
  });

  it("drops the connection when asked to close with a code that cannot be sent (1006)", async () => {
    server = await startServer({ faults: { closeWith: { code: 1006, reason: "abnormal" } } });
    const client = await connect(server.url, LINEAR16);
    client.ws.on("error", () => {});
    expect((await client.closed).code).toBe(1006);
  });

  it("sends the planned raw text frames right after open", async () => {
    server = await startServer({ faults: { sendAfterOpen: ["{broken", '{"type":"Mystery","x":1}'] } });
    const client = await connect(server.url, LINEAR16);
    await waitFor(() => client.texts.length === 2, "the planned frames");
    expect(client.texts).toEqual(["{broken", '{"type":"Mystery","x":1}']);
    client.ws.close();
    await client.closed;
  });

  it("delays every message by responseDelayMs, keeping their order", async () => {
    server = await startServer({
      engine: scriptedEngine({ transcript: "a b c d" }),
      faults: { responseDelayMs: 150 },
    });
    const client = await connect(server.url, LINEAR16);
    await sendAudio(client.ws, Buffer.concat([tone(0.4), silence(0.1), tone(0.4), silence(0.1)]));
    const sentAt = performance.now();
    await sendText(client.ws, '{"type":"CloseStream"}');
    await client.waitForType("Metadata");
    // Timers never fire early: the Metadata cannot come before the delay has passed.
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(140);
    // Two endpoint finals, the (empty) final flushed by CloseStream, then Metadata.
    expect(client.messages.map((message) => message.type)).toEqual([
      "Results",
      "Results",
      "Results",
      "Metadata",
    ]);
    expect((await client.closed).code).toBe(1000);
  });

  it("holds the last finals for finalDelayMs after CloseStream, then Metadata and 1000", async () => {
    server = await startServer({
      engine: scriptedEngine({ transcript: "late words" }),
      faults: { finalDelayMs: 300 },
    });
    const client = await connect(server.url, LINEAR16);
    await sendAudio(client.ws, tone(0.8));
    const sentAt = performance.now();
    await sendText(client.ws, '{"type":"CloseStream"}');
    const [final] = await client.waitForType("Results");
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(290);
    expect(final).toMatchObject({
      is_final: true,
      channel: { alternatives: [{ transcript: "late words" }] },
    });
    expect((await client.closed).code).toBe(1000);
    expect(client.messages.at(-1)?.type).toBe("Metadata");
  });

  it("stops reading after N bytes so the client meets TCP backpressure, until resumeReading()", async () => {
    const clock = new ManualClock();
    server = await startServer({
      faults: { stopReadingAfterBytes: 64_000 },
      inactivityTimeoutMs: 1_000,
      clock,
    });
    const client = await connect(server.url, LINEAR16);
    const frame = Buffer.alloc(64 * 1024);
    const total = 512; // 32 MiB: more than loopback socket buffers hold
    for (let i = 0; i < total; i++) client.ws.send(frame);
    // Once the server stops reading, the kernel buffers fill and the client's queue stops shrinking.
    let last = -1;
    let unchanged = 0;
    await waitFor(
      () => {
        const buffered = client.ws.bufferedAmount;
        unchanged = buffered === last ? unchanged + 1 : 0;
        last = buffered;
        return unchanged >= 5 && buffered > 8 * 1024 * 1024;
      },
      "client-side backpressure",
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    // The inactivity timer is suspended while the server does not read: no timer is pending.
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(client.ws.bufferedAmount).toBeGreaterThan(8 * 1024 * 1024);
    server.resumeReading();
    await waitFor(() => client.ws.bufferedAmount === 0, "the client's buffer to drain", {
      timeoutMs: 15_000,
    });
    await sendText(client.ws, '{"type":"CloseStream"}');
    const [metadata] = await client.waitForType("Metadata", 1, 15_000);
    expect(metadata?.duration).toBeCloseTo((total * frame.length) / 32_000, 6);
    expect((await client.closed).code).toBe(1000);
  });

  it("floods 100 000 Results that all arrive, in order", async () => {
    server = await startServer({ faults: { flood: { count: 100_000 } } });
    const client = await connect(server.url, LINEAR16);
    await waitFor(() => client.texts.length === 100_000, "100 000 Results", {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    expect(JSON.parse(client.texts[0] as string)).toMatchObject({ type: "Results", start: 0 });
    expect(JSON.parse(client.texts[99_999] as string)).toMatchObject({ type: "Results", start: 999.99 });
    client.ws.close();
    await client.closed;
  }, 70_000);

  it("floods at intervalMs", async () => {
    server = await startServer({ faults: { flood: { count: 3, intervalMs: 20 } } });
    const client = await connect(server.url, LINEAR16);
    const results = await client.waitForType("Results", 3);
    expect(results.map((message) => message.start)).toEqual([0, 0.01, 0.02]);
    client.ws.close();
    await client.closed;
  });
});

describe("flood backpressure", () => {
  it("keeps the server's socket buffer bounded while the client does not read", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((resolve) => wss.once("listening", resolve));
    const address = wss.address() as { port: number };
    const serverSide = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
    const client = new WebSocket(`ws://127.0.0.1:${address.port}`);
    await new Promise((resolve) => client.once("open", resolve));
    const ws = await serverSide;
    client.pause();
    const timers = new SessionTimers();
    let sent = 0;
    let received = 0;
    client.on("message", () => received++);
    const text = "x".repeat(4_000);
    let closedResolve = (): void => {};
    const closed = new Promise<void>((resolve) => {
      closedResolve = resolve;
    });
    const done = flood({
      ws,
      count: 20_000,
      intervalMs: undefined,
      timers,
      message: () => {
        sent++;
        return text;
      },
      active: () => true,
      closed,
    });
    // 80 MB offered; the flood must stall at the high-water mark instead of buffering it all.
    await waitFor(() => ws.bufferedAmount >= 1024 * 1024, "the high-water mark", { timeoutMs: 10_000 });
    // At the mark the flood may still be handing over one last message: let it settle, then watch.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stalledAt = sent;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent).toBe(stalledAt);
    expect(sent).toBeLessThan(20_000);
    expect(ws.bufferedAmount).toBeLessThan(1024 * 1024 + 2 * text.length);
    client.resume();
    await done;
    await waitFor(() => received === 20_000, "every message", { timeoutMs: 20_000 });
    timers.clearAll();
    closedResolve();
    client.close();
    await new Promise((resolve) => client.once("close", resolve));
    await new Promise((resolve) => wss.close(resolve));
  }, 30_000);
});
