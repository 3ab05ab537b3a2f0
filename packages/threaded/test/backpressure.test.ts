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

  it("a thread that leaves more than maxBufferedEvents untaken gets Error (SlowConsumerError) + Close", async () => {
    server = await startServerThread({ faults: { flood: { count: 500 } } });
    const client = new LiveClient({ url: server.url, maxBufferedEvents: 50 });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    // Blocked: the engine holds up to 50 events for this thread, then gives up on the stream.
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
