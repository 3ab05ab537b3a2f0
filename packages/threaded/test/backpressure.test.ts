/**
 * Bounds on both directions: send() waits (bounded) for room when the network is slower than
 * the producer, and the engine buffers only so many events for a thread that does not take them.
 */
import { BufferOverflowError, SlowConsumerError } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { waitFor } from "@earshot/testkit";
import { LiveClient } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, PCM, payloads, record } from "./support/harness.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("LiveClient bounds", () => {
  it("a full ring makes send() wait, then return false with BufferOverflowError; the stream recovers", async () => {
    // The server stops reading: TCP backs up, the session passes its high-water mark, the
    // engine stops draining the ring, and the ring fills.
    server = await startServerThread({ faults: { stopReadingAfterBytes: 16_000 } });
    const client = new LiveClient({
      url: server.url,
      ringBytes: 4_096,
      sendTimeoutMs: 200,
      highWaterMarkBytes: 8_192,
    });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    const chunk = Buffer.alloc(640, 1);
    let accepted = 0;
    while (accepted < 20_000 && client.send(chunk)) accepted++;
    // Memory stayed bounded: far fewer chunks were taken than offered.
    expect(accepted).toBeLessThan(20_000);
    const [error] = payloads(log.events, "error");
    expect(error).toBeInstanceOf(BufferOverflowError);
    expect(client.isConnected()).toBe(true);

    await server.resumeReading();
    await waitFor(() => client.send(chunk), "room in the ring once the server reads again", {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    expect(client.finish()).toBe(true);
    expect(log.names().at(-1)).toBe("close");
  });

  it("a blocked thread makes the engine stop reading the socket instead of failing: every message arrives afterwards", async () => {
    // 3,000 Results (~0.5 kB each) against a limit of 1,000 untaken events: without the pause
    // the backlog would pass the limit while the thread is blocked. The engine pauses at 500
    // untaken; what it already read past that (one socket read, ~130 messages) stays far below
    // the limit, and TCP holds the rest at the server until the thread takes its events.
    server = await startServerThread({ faults: { flood: { count: 3_000 } } });
    const client = new LiveClient({ url: server.url, maxBufferedEvents: 1_000 });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    const blockedUntil = Date.now() + 1_500;
    while (Date.now() < blockedUntil) {
      // busy, as a thread doing synchronous work would be
    }
    await waitFor(() => payloads(log.events, "Results").length === 3_000, "all 3,000 Results", {
      timeoutMs: 15_000,
    });
    expect(payloads(log.events, "error")).toEqual([]);
    expect(client.finish()).toBe(true);
    expect(log.names().at(-1)).toBe("close");
  });

  it("a thread that leaves more than maxBufferedEvents untaken gets Error (SlowConsumerError) + Close", async () => {
    server = await startServerThread({ faults: { flood: { count: 500 } } });
    // A limit below one socket read's worth of messages: the engine pauses reading at 2 untaken,
    // but the messages of the read in progress still arrive and pass the limit.
    const client = new LiveClient({ url: server.url, maxBufferedEvents: 4 });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    // Blocked: the engine holds up to 4 events for this thread, then gives up on the stream.
    const blockedUntil = Date.now() + 1_000;
    while (Date.now() < blockedUntil) {
      // busy, as a thread doing synchronous work would be
    }
    await waitFor(() => log.names().includes("close"), "the close after the overflow");
    expect(log.names().slice(-2)).toEqual(["error", "close"]);
    expect(payloads(log.events, "error")[0]).toBeInstanceOf(SlowConsumerError);
    expect(payloads(log.events, "Results").length).toBeLessThan(500);
  });
});
