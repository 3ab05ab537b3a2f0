/**
 * The terminal renderer, drawn into a fake terminal (@xterm/headless) of 20, 40 and 120 columns
 * with ASCII, CJK and emoji transcripts; the assertions read the SCREEN, not the bytes.
 */
import type { ResultsMessage, Word } from "@earshot/core";
import { afterEach, describe, expect, it } from "vitest";
import { formatClock, formatFinal } from "../src/format-final.ts";
import { formatProgress, TtyRenderer } from "../src/render-tty.ts";
import { displayWidth } from "../src/terminal/cells.ts";
import { useColor } from "../src/terminal/color.ts";
import { LiveLines } from "../src/terminal/live-lines.ts";
import { fakeTerminal } from "./fake-terminal.ts";

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

const interim = (transcript: string) => results(transcript, { is_final: false, speech_final: false });

const scripts = {
  ascii: [
    "the quick brown fox jumps over the lazy dog",
    "and then it ran far away into the woods never to be seen again",
  ],
  cjk: ["我们 今天 一起 去 公园 散步", "然后 在 河边 的 餐厅 吃 晚饭 聊天 到 深夜"],
  emoji: ["hello 👋 world 🌍 rockets 🚀 go", "thumbs 👍🏽 family 👨‍👩‍👧 flags 🇯🇵 done ✅"],
} as const;

const terminals: ReturnType<typeof fakeTerminal>[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.dispose();
});

function setUp(columns: number, color = true) {
  const terminal = fakeTerminal(columns);
  terminals.push(terminal);
  let now = 0;
  const renderer = new TtyRenderer(terminal.out, {
    timestamps: false,
    speakers: false,
    color,
    columns: () => columns,
    now: () => now,
  });
  return { terminal, renderer, tick: (ms: number) => (now += ms) };
}

const squash = (text: string) => text.replace(/\s+/g, "");

describe.each([20, 40, 120])("TtyRenderer at %i columns", (columns) => {
  it.each(Object.keys(scripts) as (keyof typeof scripts)[])(
    "%s: finals above, one status line that never wraps, no stale copies",
    async (script) => {
      const { terminal, renderer, tick } = setUp(columns);
      let position = 0;
      for (const utterance of scripts[script]) {
        const words = utterance.split(" ");
        for (let count = 1; count <= words.length; count++) {
          position += 0.4;
          tick(150);
          renderer.progress({ positionSeconds: position, durationSeconds: 12, speed: 1 });
          renderer.message(interim(words.slice(0, count).join(" ")));

          const screen = await terminal.screen();
          const status = screen.lines[screen.cursorLine] ?? "";
          // The status line never wraps (xterm draws emoji sequences a code point at a time,
          // as many terminals do), and nothing is below it.
          expect(screen.cursorLineRows).toBe(1);
          expect(screen.lines.length).toBe(screen.cursorLine + 1);
          if (script !== "emoji") expect(displayWidth(status)).toBeLessThanOrEqual(columns - 1);
          // The newest word is always in view, at the end of the line.
          expect(status.endsWith(words[count - 1] as string)).toBe(true);
          // From the second hypothesis on, the tail (at least the newest word) is dimmed.
          if (count >= 2) expect(screen.dimText.endsWith(squash(words[count - 1] as string))).toBe(true);
        }
        renderer.message(results(utterance));
      }
      renderer.end();

      const screen = await terminal.screen();
      // Exactly the finals, in order, then an empty line with the cursor: no stale status line,
      // no progress bar left behind.
      expect(screen.lines.slice(0, screen.cursorLine).map(squash)).toEqual(scripts[script].map(squash));
      expect(screen.lines[screen.cursorLine]).toBe("");
      expect(screen.rows.join("\n")).not.toContain("▕");
    },
  );

  it("the progress shows as fully as the width allows beside the words", async () => {
    const { terminal, renderer } = setUp(columns);
    renderer.progress({ positionSeconds: 6, durationSeconds: 12, speed: 1 });
    renderer.message(interim("hello"));
    const status = (await terminal.screen()).lines.at(-1) ?? "";
    if (columns >= 120)
      expect(status).toBe(`${formatProgress({ positionSeconds: 6, durationSeconds: 12, speed: 1 })}  hello`);
    else if (columns >= 40) expect(status).toBe("▕█████░░░░░▏ 0:06.0 / 0:12.0  hello");
    else expect(status).toBe("0:06.0  hello");
  });
});

describe("TtyRenderer", () => {
  it("committed words stay plain, only the tail is dimmed; NO_COLOR dims nothing", async () => {
    const { terminal, renderer } = setUp(80);
    renderer.message(interim("good morning"));
    renderer.message(interim("good morning every"));
    const screen = await terminal.screen();
    expect(screen.lines.at(-1)).toBe("good morning every");
    expect(screen.dimText).toBe("every");

    const plain = setUp(80, false);
    plain.renderer.message(interim("good morning"));
    plain.renderer.message(interim("good morning every"));
    expect((await plain.terminal.screen()).dimText).toBe("");
  });

  it("a revised hypothesis never takes back committed words", async () => {
    const { terminal, renderer } = setUp(80);
    renderer.message(interim("I scream"));
    renderer.message(interim("I scream for"));
    renderer.message(interim("ice cream for you"));
    expect((await terminal.screen()).lines.at(-1)).toBe("I scream for you");
  });

  it("promotePending prints the caption in progress as a final (Finalize got no reply)", async () => {
    const { terminal, renderer } = setUp(80);
    renderer.message(interim("see you"));
    renderer.message(interim("see you soon"));
    renderer.promotePending();
    // The late final for the same audio is not printed twice.
    renderer.message(results("See you soon.", { start: 2, duration: 0.1 }));
    renderer.end();
    const screen = await terminal.screen();
    expect(screen.lines).toEqual(["see you soon", ""]);
  });

  it("escape sequences from the server are shown as text, never obeyed", async () => {
    const { terminal, renderer } = setUp(80);
    renderer.message(results("evil\x1b[2J\x1b[1Aline"));
    renderer.end();
    expect((await terminal.screen()).lines).toEqual(["evil [2J [1Aline", ""]);
  });

  it("live stats join the status line when there is room", async () => {
    const { terminal, renderer } = setUp(100);
    renderer.stats("first 0.40 s");
    renderer.message(interim("hello"));
    expect((await terminal.screen()).lines.at(-1)).toBe("first 0.40 s  hello");
  });
});

describe("LiveLines", () => {
  it("redraws only the cells after the first change", async () => {
    const terminal = fakeTerminal(40);
    terminals.push(terminal);
    const lines = new LiveLines(terminal.out, { columns: () => 40 });
    lines.status([{ text: "alpha beta" }]);
    const before = terminal.bytes().length;
    lines.status([{ text: "alpha beta gamma" }]);
    const update = terminal.bytes().slice(before);
    expect(update).not.toContain("alpha");
    expect(update).toContain("gamma");
    const again = terminal.bytes().length;
    lines.status([{ text: "alpha beta gamma" }]);
    expect(terminal.bytes().length).toBe(again);
    lines.status([{ text: "alpha" }]);
    expect((await terminal.screen()).lines).toEqual(["alpha"]);
  });

  it("follows a resize: the line is clipped to the new width", async () => {
    const terminal = fakeTerminal(30);
    terminals.push(terminal);
    let columns = 30;
    const lines = new LiveLines(terminal.out, { columns: () => columns });
    lines.status([{ text: "x".repeat(40) }]);
    expect((await terminal.screen()).lines).toEqual([`${"x".repeat(28)}…`]);
    columns = 20;
    lines.status([{ text: "y".repeat(40) }]);
    expect((await terminal.screen()).lines).toEqual([`${"y".repeat(18)}…`]);
  });
});

describe("useColor", () => {
  it("FORCE_COLOR wins, then NO_COLOR, then TERM=dumb, then whether it is a terminal", () => {
    expect(useColor({}, true)).toBe(true);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({ NO_COLOR: "1" }, true)).toBe(false);
    expect(useColor({ NO_COLOR: "" }, true)).toBe(true);
    expect(useColor({ TERM: "dumb" }, true)).toBe(false);
    expect(useColor({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: "0" }, true)).toBe(false);
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
