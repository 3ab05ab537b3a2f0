/** finish() from inside a callback, and callbacks that throw. */
import { CallbackError } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { waitFor } from "@earshot/testkit";
import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, PCM, payloads, record, speech } from "./support/harness.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("LiveClient callbacks", () => {
  it("finish() inside a Transcript callback neither deadlocks nor re-enters; every event comes once, in order", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url });
    const log = record(client);
    let depth = 0;
    let maxDepth = 0;
    let finishResult: boolean | undefined;
    let eventsWhenFinishReturned = -1;
    for (const event of Object.values(LiveTranscriptionEvents)) {
      client.on(event, () => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        depth--;
      });
    }
    client.once(LiveTranscriptionEvents.Transcript, () => {
      depth++;
      finishResult = client.finish();
      eventsWhenFinishReturned = log.events.length;
      depth--;
    });
    expect(client.start(PCM)).toBe(true);
    for (const piece of speech()) client.send(piece);
    await waitFor(() => log.names().includes("close"), "Close after the nested finish()");

    expect(finishResult).toBe(true);
    expect(maxDepth).toBe(1); // no callback ran inside another
    // Inside the callback nothing else was delivered; the rest came after it returned.
    expect(eventsWhenFinishReturned).toBe(log.names().indexOf("Results") + 1);
    const names = log.names();
    expect(names.slice(-2)).toEqual(["Metadata", "close"]);
    expect(names.filter((name) => name === "close")).toHaveLength(1);
    expect(names.filter((name) => name === "Metadata")).toHaveLength(1);
  });

  it("a throwing callback becomes an Error event (CallbackError) and the stream goes on", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url });
    const boom = new Error("handler bug");
    let throws = 0;
    client.on(LiveTranscriptionEvents.Transcript, () => {
      throws++;
      throw boom;
    });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    for (const piece of speech()) expect(client.send(piece)).toBe(true);
    expect(client.finish()).toBe(true);

    expect(throws).toBeGreaterThan(0);
    const errors = payloads(log.events, "error");
    expect(errors).toHaveLength(throws);
    for (const error of errors) {
      expect(error).toBeInstanceOf(CallbackError);
      expect(error.cause).toBe(boom);
    }
    // Each CallbackError directly follows the event whose handler threw.
    const names = log.names();
    names.forEach((name, index) => {
      if (name === "error") expect(names[index - 1]).toBe("Results");
    });
    expect(names.slice(-2)).toEqual(["Metadata", "close"]);
  });

  it("off() and once() behave like EventEmitter's", async () => {
    server = await startServerThread();
    const client = new LiveClient({ url: server.url });
    let onceCount = 0;
    let offCount = 0;
    const removed = () => {
      offCount++;
    };
    client.once(LiveTranscriptionEvents.Transcript, () => {
      onceCount++;
    });
    client.on(LiveTranscriptionEvents.Transcript, removed).off(LiveTranscriptionEvents.Transcript, removed);
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    for (const piece of speech()) client.send(piece);
    expect(client.finish()).toBe(true);
    expect(payloads(log.events, "Results").length).toBeGreaterThan(1);
    expect(onceCount).toBe(1);
    expect(offCount).toBe(0);
  });
});
