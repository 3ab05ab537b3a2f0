/**
 * Shared by this package's tests: building server messages from the recorded fixtures, and a
 * trap that fails a test file on any unhandled promise rejection.
 */
import {
  type MetadataMessage,
  parseServerMessage,
  type ResultsMessage,
  type UtteranceEndMessage,
} from "@earshot/core";
import { readFixture } from "@earshot/testkit";
import { afterAll, beforeAll, expect } from "vitest";

const resultsTemplate = parseServerMessage(
  readFixture("messages/Results.final-speech_final.capture.json"),
) as ResultsMessage;

/** A Results message with the given text, timing and flags (shape from a recorded capture). */
export function results(init: {
  transcript: string;
  start?: number;
  duration?: number;
  isFinal?: boolean;
  speechFinal?: boolean;
  channel?: number;
}): ResultsMessage {
  const { transcript, start = 0, duration = 1, isFinal = true, speechFinal = false, channel = 0 } = init;
  const words = transcript
    .split(" ")
    .filter(Boolean)
    .map((word, i, all) => ({
      word,
      start: start + (duration * i) / all.length,
      end: start + (duration * (i + 1)) / all.length,
      confidence: 0.9,
    }));
  return {
    ...resultsTemplate,
    channel_index: [channel, 1],
    start,
    duration,
    is_final: isFinal,
    speech_final: speechFinal,
    channel: { alternatives: [{ transcript, confidence: 0.9, words }] },
  };
}

/** A Metadata message (from a recorded capture). */
export function metadata(): MetadataMessage {
  return parseServerMessage(readFixture("messages/Metadata.full.capture.json")) as MetadataMessage;
}

/** An UtteranceEnd message for `channel`. */
export function utteranceEnd(channel = 0, lastWordEnd = 1): UtteranceEndMessage {
  return { type: "UtteranceEnd", channel: [channel, 1], last_word_end: lastWordEnd };
}

/**
 * Fails the test file if any promise rejection goes unhandled while it runs. Vitest reports
 * them too, but only as a run-level error; this names the file and the reason.
 */
export function trapUnhandledRejections(): void {
  const seen: unknown[] = [];
  const trap = (reason: unknown): void => {
    seen.push(reason);
  };
  beforeAll(() => {
    process.on("unhandledRejection", trap);
  });
  afterAll(async () => {
    // Rejections are reported after the microtask queue drains: give them a turn to surface.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", trap);
    expect(seen, "unhandled promise rejections").toEqual([]);
  });
}
