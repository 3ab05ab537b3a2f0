import type { ResultsMessage, ServerMessage } from "@earshot/core";
import { describe, expect, it } from "vitest";
import { rebaseTimestamps } from "../src/index.ts";
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
