import type { ResultsMessage, ServerMessage } from "@earshot/core";
import { AbortedError, ConnectionClosedError, ConnectionError, HandshakeError } from "@earshot/core";
import { ManualClock } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { backoffDelay, isReconnectable, resolveReconnect, waitOnClock } from "../src/reconnect.ts";
import { rebaseTimestamps } from "../src/timestamp-rebase.ts";
import { results, utteranceEnd } from "./helpers.ts";

describe("rebaseTimestamps", () => {
  it("shifts a Results span and every word, leaving the original untouched", () => {
    const original = results({ transcript: "hello there", start: 0.5, duration: 1 });
    const shifted = rebaseTimestamps(original, 10) as ResultsMessage;
    expect(shifted.start).toBeCloseTo(10.5, 9);
    expect(shifted.duration).toBe(1);
    expect(shifted.channel.alternatives[0]?.words.map((w) => [w.start, w.end])).toEqual([
      [10.5, 11],
      [11, 11.5],
    ]);
    expect(shifted.channel.alternatives[0]?.transcript).toBe("hello there");
    expect(original.start).toBe(0.5);
    expect(original.channel.alternatives[0]?.words[0]?.start).toBe(0.5);
  });

  it("shifts UtteranceEnd and SpeechStarted, and passes other messages through", () => {
    expect(rebaseTimestamps(utteranceEnd(0, 1.25), 2)).toMatchObject({ last_word_end: 3.25 });
    const started: ServerMessage = { type: "SpeechStarted", channel: [0, 1], timestamp: 0.5 };
    expect(rebaseTimestamps(started, 2)).toMatchObject({ timestamp: 2.5 });
    const unknown: ServerMessage = { type: "Unhandled", raw: "{}", problem: "x" } as unknown as ServerMessage;
    expect(rebaseTimestamps(unknown, 2)).toBe(unknown);
    const atZero = results({ transcript: "a" });
    expect(rebaseTimestamps(atZero, 0)).toBe(atZero);
  });
});

describe("the reconnect policy", () => {
  it("is off unless asked, with documented defaults when on", () => {
    expect(resolveReconnect(undefined)).toBeUndefined();
    expect(resolveReconnect(false)).toBeUndefined();
    expect(resolveReconnect(true)).toMatchObject({ attempts: 3, initialDelayMs: 250, maxDelayMs: 4000 });
    expect(resolveReconnect({ attempts: 7 })).toMatchObject({ attempts: 7, initialDelayMs: 250 });
  });

  it("refuses attempt counts and delays that cannot work", () => {
    expect(() => resolveReconnect({ attempts: 0 })).toThrow(RangeError);
    expect(() => resolveReconnect({ attempts: 1.5 })).toThrow(RangeError);
    expect(() => resolveReconnect({ initialDelayMs: -1 })).toThrow(RangeError);
    expect(() => resolveReconnect({ maxDelayMs: Number.NaN })).toThrow(RangeError);
  });

  it("doubles the wait from initialDelayMs up to maxDelayMs", () => {
    const policy = { initialDelayMs: 250, maxDelayMs: 4000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(policy, attempt))).toEqual([
      250, 500, 1000, 2000, 4000, 4000, 4000,
    ]);
  });

  it("reconnects on retryable failures only: drops, server timeouts, failed connections", () => {
    expect(isReconnectable(new ConnectionClosedError({ closeCode: 1006, reason: "" }))).toBe(true);
    expect(
      isReconnectable(new ConnectionClosedError({ closeCode: 1011, reason: "See https://dpgr.am/net0000" })),
    ).toBe(true);
    expect(isReconnectable(new ConnectionError("refused"))).toBe(true);
    expect(isReconnectable(new ConnectionClosedError({ closeCode: 1008, reason: "DATA-0000" }))).toBe(false);
    expect(isReconnectable(new HandshakeError({ status: 401 }))).toBe(false);
    expect(isReconnectable(new AbortedError("stop"))).toBe(false);
    expect(isReconnectable(undefined)).toBe(false);
  });

  it("waits on the injected clock, and an abort cancels the wait and its timer", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let done = false;
    const waiting = waitOnClock(clock, 100, controller.signal).then(() => {
      done = true;
    });
    clock.advance(99);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await waiting;
    expect(done).toBe(true);

    const cancelled = waitOnClock(clock, 100, controller.signal);
    controller.abort();
    await expect(cancelled).rejects.toThrow();
    expect(clock.pendingTimers).toBe(0);
  });
});
