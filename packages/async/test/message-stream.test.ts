import { ConnectionClosedError, SlowConsumerError } from "@earshot/core";
import { describe, expect, it } from "vitest";
import { MessageHub } from "../src/message-stream.ts";
import { isFinalResults, isUtterancePart, UtteranceIterator } from "../src/views.ts";
import { metadata, results, trapUnhandledRejections, utteranceEnd } from "./helpers.ts";

trapUnhandledRejections();

async function drain<T>(iterator: AsyncIterator<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < 10_000; i++) {
    const next = await iterator.next();
    if (next.done) return out;
    out.push(next.value);
  }
  throw new Error("iterator did not end");
}

describe("MessageHub fan-out", () => {
  it("gives every iterator every message from the moment it attaches, in order", async () => {
    const hub = new MessageHub();
    const early = hub.subscribe();
    hub.publish(results({ transcript: "one" }), 100);
    const late = hub.subscribe();
    hub.publish(results({ transcript: "two" }), 100);
    hub.publish(metadata(), 100);
    hub.end();
    const transcripts = (list: { type: string }[]) =>
      list.map((m) =>
        m.type === "Results" ? (m as ReturnType<typeof results>).channel.alternatives[0]?.transcript : m.type,
      );
    expect(transcripts(await drain(early))).toEqual(["one", "two", "Metadata"]);
    expect(transcripts(await drain(late))).toEqual(["two", "Metadata"]);
  });

  it("resolves a waiting next() as soon as a message is published", async () => {
    const hub = new MessageHub();
    const iterator = hub.subscribe();
    const pending = iterator.next();
    hub.publish(results({ transcript: "now" }), 10);
    await expect(pending).resolves.toMatchObject({ done: false, value: { type: "Results" } });
  });

  it("serves concurrent next() calls in call order", async () => {
    const hub = new MessageHub();
    const iterator = hub.subscribe();
    const first = iterator.next();
    const second = iterator.next();
    const third = iterator.next();
    hub.publish(results({ transcript: "a" }), 10);
    hub.publish(metadata(), 10);
    hub.end();
    await expect(first).resolves.toMatchObject({ value: { type: "Results" } });
    await expect(second).resolves.toMatchObject({ value: { type: "Metadata" } });
    await expect(third).resolves.toEqual({ value: undefined, done: true });
  });

  it("delivers what arrived before a failure, then rejects once with the error, then is done", async () => {
    const hub = new MessageHub();
    const iterator = hub.subscribe();
    hub.publish(results({ transcript: "kept" }), 10);
    const error = new ConnectionClosedError({ closeCode: 1006, reason: "" });
    hub.end(error);
    await expect(iterator.next()).resolves.toMatchObject({ done: false });
    await expect(iterator.next()).rejects.toBe(error);
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("rejects a next() already waiting when the stream fails", async () => {
    const hub = new MessageHub();
    const iterator = hub.subscribe();
    const waiting = iterator.next();
    const error = new ConnectionClosedError({ closeCode: 1011, reason: "NET-0000" });
    hub.end(error);
    await expect(waiting).rejects.toBe(error);
  });

  it("return() (what break calls) detaches one iterator and leaves the others and the hub going", async () => {
    const hub = new MessageHub();
    const leaving = hub.subscribe();
    const staying = hub.subscribe();
    hub.publish(results({ transcript: "a" }), 10);
    expect(hub.size).toBe(2);
    await expect(leaving.return()).resolves.toEqual({ value: undefined, done: true });
    expect(hub.size).toBe(1);
    expect(leaving.buffered).toBe(0);
    hub.publish(results({ transcript: "b" }), 10);
    hub.end();
    expect(await drain(leaving)).toEqual([]);
    expect(await drain(staying)).toHaveLength(2);
  });

  it("ends an iterator attached after the stream ended at once (done, or the error)", async () => {
    const clean = new MessageHub();
    clean.end();
    await expect(clean.subscribe().next()).resolves.toEqual({ value: undefined, done: true });
    const failed = new MessageHub();
    const error = new ConnectionClosedError({ closeCode: 1006, reason: "" });
    failed.end(error);
    await expect(failed.subscribe().next()).rejects.toBe(error);
  });

  it("filters per iterator: a finals iterator never buffers interim results", async () => {
    const hub = new MessageHub({ maxMessages: 10 });
    const finals = hub.subscribe(isFinalResults);
    for (let i = 0; i < 1_000; i++) hub.publish(results({ transcript: `interim ${i}`, isFinal: false }), 10);
    hub.publish(results({ transcript: "final" }), 10);
    hub.end();
    const got = await drain(finals);
    expect(got.map((m) => m.channel.alternatives[0]?.transcript)).toEqual(["final"]);
  });
});

describe("slow-consumer policy", () => {
  it("drops interim results first and keeps every final result while they fit", async () => {
    const hub = new MessageHub({ maxMessages: 100 });
    const iterator = hub.subscribe();
    for (let i = 0; i < 1_000; i++) {
      hub.publish(results({ transcript: `interim ${i}`, isFinal: false }), 10);
      if (i % 20 === 19) hub.publish(results({ transcript: `final ${i}` }), 10);
      expect(iterator.buffered).toBeLessThanOrEqual(100);
    }
    hub.publish(metadata(), 10);
    hub.end();
    expect(iterator.droppedInterimResults).toBeGreaterThan(0);
    const got = await drain(iterator);
    const finals = got.filter((m) => m.type === "Results" && m.is_final);
    expect(finals).toHaveLength(50);
    expect(got.at(-1)?.type).toBe("Metadata");
  });

  it("fails the iterator with SlowConsumerError when final results alone overflow it, and frees its buffer", async () => {
    const hub = new MessageHub({ maxMessages: 100 });
    const slow = hub.subscribe();
    const reader = hub.subscribe();
    const readerGot: string[] = [];
    for (let i = 0; i < 500; i++) {
      hub.publish(results({ transcript: `final ${i}` }), 10);
      expect(slow.buffered).toBeLessThanOrEqual(100);
      const next = await reader.next();
      if (!next.done && next.value.type === "Results")
        readerGot.push(next.value.channel.alternatives[0]?.transcript ?? "");
    }
    expect(slow.buffered).toBe(0);
    const failure = await slow.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlowConsumerError);
    expect((failure as SlowConsumerError).code).toBe("ERR_SLOW_CONSUMER");
    await expect(slow.next()).resolves.toEqual({ value: undefined, done: true });
    // The failing iterator cost the one that keeps up nothing.
    expect(readerGot).toHaveLength(500);
    expect(hub.size).toBe(1);
    hub.end();
  });

  it("bounds bytes as well as messages", async () => {
    const hub = new MessageHub({ maxMessages: 1_000, maxBytes: 10_000 });
    const iterator = hub.subscribe();
    for (let i = 0; i < 20; i++) hub.publish(results({ transcript: `big ${i}` }), 1_000);
    await expect(iterator.next()).rejects.toBeInstanceOf(SlowConsumerError);
    hub.end();
  });

  it("rejects bounds that cannot work", () => {
    expect(() => new MessageHub({ maxMessages: 0 })).toThrow(RangeError);
    expect(() => new MessageHub({ maxBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe("utterances view", () => {
  it("joins finals up to speech_final or UtteranceEnd, per channel, and flushes the rest at the end", async () => {
    const hub = new MessageHub();
    const utterances = new UtteranceIterator(hub.subscribe(isUtterancePart));
    hub.publish(results({ transcript: "hello there", start: 0, duration: 1 }), 10);
    hub.publish(results({ transcript: "", start: 1, duration: 0.5, isFinal: false }), 10);
    hub.publish(results({ transcript: "general kenobi", start: 1, duration: 1, speechFinal: true }), 10);
    hub.publish(results({ transcript: "", start: 2, duration: 1, speechFinal: true }), 10);
    hub.publish(results({ transcript: "second", start: 3, duration: 1, channel: 1 }), 10);
    hub.publish(results({ transcript: "third", start: 3, duration: 0.5 }), 10);
    hub.publish(utteranceEnd(0, 3.5), 10);
    hub.publish(results({ transcript: "tail", start: 5, duration: 1, channel: 1 }), 10);
    hub.end();
    const got = await drain(utterances);
    expect(got.map((u) => [u.transcript, u.start, u.end, u.channel])).toEqual([
      ["hello there general kenobi", 0, 2, 0],
      ["third", 3, 3.5, 0],
      ["second tail", 3, 6, 1],
    ]);
    expect(got[0]?.words.map((w) => w.word)).toEqual(["hello", "there", "general", "kenobi"]);
  });

  it("hands out the unfinished utterance before the stream's error", async () => {
    const hub = new MessageHub();
    const utterances = new UtteranceIterator(hub.subscribe(isUtterancePart));
    hub.publish(results({ transcript: "cut off", start: 0, duration: 1 }), 10);
    const error = new ConnectionClosedError({ closeCode: 1006, reason: "" });
    hub.end(error);
    await expect(utterances.next()).resolves.toMatchObject({ value: { transcript: "cut off" } });
    await expect(utterances.next()).rejects.toBe(error);
    await expect(utterances.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("return() releases the underlying subscription", async () => {
    const hub = new MessageHub();
    const utterances = new UtteranceIterator(hub.subscribe(isUtterancePart));
    expect(hub.size).toBe(1);
    await utterances.return();
    expect(hub.size).toBe(0);
    hub.end();
  });
});
