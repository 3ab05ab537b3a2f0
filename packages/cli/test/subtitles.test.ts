/**
 * Subtitles from finals: cue limits (two lines of 42 columns, 7 s), written incrementally, and
 * validated by parsing the output back (srt-parser-2 for SRT, webvtt-parser's validator for
 * WebVTT); end to end through the CLI on both faces.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { ResultsMessage, Word } from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, wav } from "@earshot/testkit";
import SrtParser from "srt-parser-2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebVTTParser } from "webvtt-parser";
import { cuesOf, SubtitleWriter } from "../src/subtitles.ts";
import { displayWidth } from "../src/terminal/cells.ts";
import { killChildren, runEarshot, tempDir, writeFile } from "./helpers.ts";

function final(text: string, start: number, secondsPerWord: number, withWords = true): ResultsMessage {
  const tokens = text.split(" ");
  const words: Word[] = tokens.map((word, index) => ({
    word: word.toLowerCase(),
    punctuated_word: word,
    start: start + index * secondsPerWord,
    end: start + (index + 1) * secondsPerWord,
    confidence: 1,
  }));
  return {
    type: "Results",
    channel_index: [0, 1],
    start,
    duration: tokens.length * secondsPerWord,
    is_final: true,
    speech_final: true,
    from_finalize: false,
    channel: { alternatives: [{ transcript: text, confidence: 1, words: withWords ? words : [] }] },
    metadata: { request_id: "r", model_info: { name: "m", version: "1", arch: "a" }, model_uuid: "u" },
  };
}

function sink() {
  let text = "";
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

const long =
  "Good morning everyone and welcome to the weekly briefing where we go over the numbers for the quarter and what comes next for the team";

describe("cuesOf", () => {
  it("keeps each cue within two lines of 42 columns and 7 seconds, cut at word ends", () => {
    const cues = cuesOf(final(long, 3, 0.45));
    expect(cues.length).toBeGreaterThan(1);
    for (const cue of cues) {
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(displayWidth(line)).toBeLessThanOrEqual(42);
      expect(cue.end - cue.start).toBeLessThanOrEqual(7);
    }
    expect(cues.flatMap((cue) => cue.lines).join(" ")).toBe(long);
    expect(cues[0]?.start).toBe(3);
  });

  it("slow speech is cut by duration; CJK is measured in columns; no words: the span is shared", () => {
    const slow = cuesOf(final("one two three four five six", 0, 2));
    expect(slow.map((cue) => cue.lines.join(" "))).toEqual(["one two three", "four five six"]);
    const cjk = cuesOf(
      final(
        "今日は とても 良い 天気 ですね 散歩 に 行きましょう 公園 まで 歩いて 帰り に 買い物 を します",
        0,
        0.3,
      ),
    );
    for (const cue of cjk) for (const line of cue.lines) expect(displayWidth(line)).toBeLessThanOrEqual(42);
    const untimed = cuesOf(final(long, 10, 0.45, false));
    expect(untimed[0]?.start).toBe(10);
    expect(untimed.at(-1)?.end).toBeCloseTo(10 + long.split(" ").length * 0.45, 5);
  });
});

describe("SubtitleWriter", () => {
  it("SRT: numbered cues, comma milliseconds, parsed back to the same text and times", () => {
    const { out, text } = sink();
    const writer = new SubtitleWriter(out, "srt");
    writer.message(final("Hello there.", 0.5, 0.2));
    // Written incrementally: a cue goes out once the next one shows how long it may stay.
    writer.message(final("General Kenobi.", 4, 0.5));
    expect(text()).toBe("1\n00:00:00,500 --> 00:00:01,500\nHello there.\n\n");
    writer.message(final(long, 10, 0.45));
    writer.end();
    const cues = new SrtParser().fromSrt(text());
    expect(cues.map((cue) => cue.id)).toEqual(cues.map((_, index) => String(index + 1)));
    expect(cues[1]).toMatchObject({ startSeconds: 4, endSeconds: 5, text: "General Kenobi." });
    for (const [index, cue] of cues.entries()) {
      expect(cue.endSeconds).toBeGreaterThan(cue.startSeconds);
      if (index > 0) expect(cue.startSeconds).toBeGreaterThanOrEqual(cues[index - 1]?.endSeconds ?? 0);
    }
    expect(
      cues
        .slice(2)
        .map((cue) => cue.text.replaceAll("\n", " "))
        .join(" "),
    ).toBe(long);
  });

  it("WebVTT: valid by the validator, markup characters escaped", () => {
    const { out, text } = sink();
    const writer = new SubtitleWriter(out, "vtt");
    writer.message(final("Fish & chips <for> two", 61, 0.3));
    writer.message(final("Empty finals make no cue", 70, 0.3));
    writer.message(final("", 80, 0.3));
    writer.end();
    const parsed = new WebVTTParser().parse(text(), "metadata");
    expect(parsed.errors).toEqual([]);
    expect(parsed.cues.map((cue) => [cue.startTime, cue.text])).toEqual([
      [61, "Fish &amp; chips &lt;for&gt; two"],
      [70, "Empty finals make no cue"],
    ]);
    expect(text().startsWith("WEBVTT\n\n00:01:01.000 --> ")).toBe(true);
  });
});

describe("earshot listen --srt / --vtt", () => {
  let server: LocalServer;
  let dir: { dir: string; remove: () => void };
  let wavPath: string;

  beforeAll(async () => {
    server = await startServer({
      engine: scriptedEngine({ transcript: "one two three four five six seven eight nine ten" }),
    });
    dir = tempDir();
    wavPath = writeFile(
      dir.dir,
      "speech.wav",
      wav(Buffer.concat([tone(2.4), silence(0.5), tone(1.2), silence(0.5)])),
    );
  });

  afterEach(killChildren);

  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it.each(["--async", "--threaded"])("%s: --srt - writes only subtitles to stdout", async (face) => {
    const result = await runEarshot(["listen", wavPath, "--url", server.url, "--srt", "-", face]).done;
    expect(result.code).toBe(0);
    const cues = new SrtParser().fromSrt(result.stdout);
    expect(cues.map((cue) => cue.text)).toEqual(["one two three four five six", "seven eight nine"]);
    expect(cues[0]).toMatchObject({ startSeconds: 0, endSeconds: 2.4 });
  });

  it.each(["--async", "--threaded"])("%s: --vtt FILE beside the NDJSON on stdout", async (face) => {
    const path = join(dir.dir, `out${face}.vtt`);
    const result = await runEarshot(["listen", wavPath, "--url", server.url, "--vtt", path, face]).done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"type":"Metadata"');
    const parsed = new WebVTTParser().parse(readFileSync(path, "utf8"), "metadata");
    expect(parsed.errors).toEqual([]);
    expect(parsed.cues.map((cue) => cue.text)).toEqual(["one two three four five six", "seven eight nine"]);
  });
});
