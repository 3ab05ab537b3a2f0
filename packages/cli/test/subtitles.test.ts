/**
 * Subtitles from finals: cue limits (two lines of 42 columns, 7 s), written incrementally, and
 * validated by parsing the output back (srt-parser-2 for SRT, webvtt-parser's validator for
 * WebVTT); end to end through the CLI on both faces.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { ResultsMessage, Word } from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, waitFor, wav } from "@earshot/testkit";
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
    // Written incrementally: a cue shorter than 1 s waits for the next result to show how long
    // it may stay; one that lasts 1 s already goes out at once.
    expect(text()).toBe("");
    writer.message(final("General Kenobi.", 4, 0.5));
    expect(text()).toBe(
      "1\n00:00:00,500 --> 00:00:01,500\nHello there.\n\n2\n00:00:04,000 --> 00:00:05,000\nGeneral Kenobi.\n\n",
    );
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

  it("a short cue goes out at the first later result that settles its end, interim or empty", () => {
    const { out, text } = sink();
    const writer = new SubtitleWriter(out, "srt");
    writer.message(final("Yes.", 2, 0.3));
    expect(text()).toBe("");
    // An interim result whose first word starts at 2.6 s: the cue may stay until then.
    writer.message({ ...final("and then", 2.6, 0.2), is_final: false, speech_final: false });
    expect(text()).toBe("1\n00:00:02,000 --> 00:00:02,600\nYes.\n\n");

    writer.message(final("No.", 10, 0.3));
    // Silence (a result without words) up to 10.5 s does not settle a cue due to stay until 11 s…
    writer.message({ ...final("", 10.3, 0.2, false), is_final: false, speech_final: false });
    expect(text()).not.toContain("No.");
    // …silence up to 12 s does: it stays its full second.
    writer.message(final("", 10.5, 1.5, false));
    expect(text()).toContain("2\n00:00:10,000 --> 00:00:11,000\nNo.\n\n");
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

  it.each(["--async", "--threaded"])(
    "%s: --srt FILE is written as the finals come, not at the end of the stream",
    async (face) => {
      const path = join(dir.dir, `live${face}.srt`);
      const audio = wav(Buffer.concat([tone(2.4), silence(0.5), tone(1.2), silence(0.5)]));
      // The header and the first utterance with its pause; the rest only once the first cue is there.
      const firstPart = 44 + (2.4 + 0.5) * 32_000;
      const run = runEarshot(["listen", "-", "--url", server.url, "--srt", path, face], {
        keepStdinOpen: true,
      });
      run.child.stdin?.write(audio.subarray(0, firstPart));
      const cues = () => (existsSync(path) ? new SrtParser().fromSrt(readFileSync(path, "utf8")) : []);
      await waitFor(() => cues().length === 1, "the first cue in the file", { timeoutMs: 10_000 });
      expect(cues()[0]?.text).toBe("one two three four five six");
      expect(run.child.exitCode).toBeNull();
      run.child.stdin?.end(audio.subarray(firstPart));
      const result = await run.done;
      expect(result.code).toBe(0);
      expect(cues().map((cue) => cue.text)).toEqual(["one two three four five six", "seven eight nine"]);
    },
  );
});
