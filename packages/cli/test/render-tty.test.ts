/** The terminal renderer and the caption formatting, drawn into a string. */
import { Writable } from "node:stream";
import type { ResultsMessage, Word } from "@earshot/core";
import { describe, expect, it } from "vitest";
import { formatClock, formatFinal } from "../src/format-final.ts";
import { formatProgress, TtyRenderer } from "../src/render-tty.ts";

const clearLine = "\r\x1b[2K";

function results(
  transcript: string,
  init: Partial<ResultsMessage> & { words?: Word[] } = {},
): ResultsMessage {
  const { words, ...rest } = init;
  return {
    type: "Results",
    channel_index: [0, 1],
    duration: 1.5,
    start: 2,
    is_final: true,
    speech_final: true,
    from_finalize: false,
    channel: { alternatives: [{ transcript, confidence: 0.9, words: words ?? [] }] },
    metadata: { request_id: "r", model_info: { name: "m", version: "1", arch: "a" }, model_uuid: "u" },
    ...rest,
  };
}

function screen() {
  let text = "";
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

describe("TtyRenderer", () => {
  it("rewrites interim text in place, then prints the final as a line and clears the status", () => {
    const { out, text } = screen();
    const renderer = new TtyRenderer(out, { timestamps: false, speakers: false, color: false });
    renderer.message(results("good", { is_final: false, speech_final: false }));
    renderer.message(results("good morning", { is_final: false, speech_final: false }));
    renderer.message(results("Good morning.", {}));
    renderer.end();
    expect(text()).toBe(`${clearLine}good${clearLine}good morning${clearLine}Good morning.\n`);
  });

  it("keeps the progress bar on the status line, below the finals, and throttles its redraws", () => {
    const { out, text } = screen();
    let now = 0;
    const renderer = new TtyRenderer(out, {
      timestamps: false,
      speakers: false,
      color: false,
      now: () => now,
    });
    renderer.progress({ positionSeconds: 1, durationSeconds: 4, speed: undefined });
    now = 50;
    renderer.progress({ positionSeconds: 1.1, durationSeconds: 4, speed: undefined });
    expect(text()).toBe(`${clearLine}▕█████░░░░░░░░░░░░░░░▏ 0:01.0 / 0:04.0`);
    renderer.message(results("hello", { is_final: false, speech_final: false }));
    // The throttled update still counts: the next draw shows it.
    const bar = "▕██████░░░░░░░░░░░░░░▏ 0:01.1 / 0:04.0";
    expect(text().endsWith(`${clearLine}${bar}  hello`)).toBe(true);
    renderer.message(results("hello there"));
    expect(text().endsWith(`${clearLine}hello there\n${clearLine}${bar}`)).toBe(true);
    renderer.end();
    expect(text().endsWith(clearLine)).toBe(true);
  });

  it("shows the newest words of a long interim within the terminal width", () => {
    const { out, text } = screen();
    const renderer = new TtyRenderer(out, {
      timestamps: false,
      speakers: false,
      color: false,
      columns: () => 21,
    });
    renderer.message(results("one two three four five six seven", { is_final: false, speech_final: false }));
    // 21 columns: 20 characters drawn (the last column stays free so the line never wraps).
    expect(text()).toBe(`${clearLine}…four five six seven`);
  });

  it("dims interim text unless colour is off; empty finals print nothing", () => {
    const { out, text } = screen();
    const renderer = new TtyRenderer(out, { timestamps: false, speakers: false });
    renderer.message(results("maybe", { is_final: false, speech_final: false }));
    renderer.message(results(""));
    expect(text()).toBe(`${clearLine}\x1b[2mmaybe\x1b[22m${clearLine}`);
  });
});

describe("formatFinal", () => {
  const words: Word[] = [
    { word: "hi", punctuated_word: "Hi,", start: 2, end: 2.3, confidence: 1, speaker: 0 },
    { word: "there", punctuated_word: "there.", start: 2.3, end: 2.6, confidence: 1, speaker: 0 },
    { word: "hello", punctuated_word: "Hello.", start: 3, end: 3.4, confidence: 1, speaker: 1 },
  ];

  it("plain, with the time span, per speaker, per channel", () => {
    const result = results("Hi, there. Hello.", { words });
    expect(formatFinal(result, { timestamps: false, speakers: false })).toEqual(["Hi, there. Hello."]);
    expect(formatFinal(result, { timestamps: true, speakers: false })).toEqual([
      "[0:02.0 → 0:03.5] Hi, there. Hello.",
    ]);
    expect(formatFinal(result, { timestamps: true, speakers: true })).toEqual([
      "[0:02.0 → 0:02.6] Speaker 0: Hi, there.",
      "[0:03.0 → 0:03.4] Speaker 1: Hello.",
    ]);
    expect(
      formatFinal(results("hola", { channel_index: [1, 2] }), { timestamps: false, speakers: false }),
    ).toEqual(["[channel 1] hola"]);
    expect(formatFinal(results("   "), { timestamps: true, speakers: true })).toEqual([]);
  });

  it("clock and progress formats", () => {
    expect(formatClock(0)).toBe("0:00.0");
    expect(formatClock(75.26)).toBe("1:15.3");
    expect(formatProgress({ positionSeconds: 12, durationSeconds: undefined, speed: 1.04 })).toBe(
      "0:12.0  1.0×",
    );
    expect(formatProgress({ positionSeconds: 8, durationSeconds: 8, speed: 2 })).toBe(
      `▕${"█".repeat(20)}▏ 0:08.0 / 0:08.0  2.0×`,
    );
  });
});
