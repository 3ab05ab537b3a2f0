/**
 * With neither --url nor DEEPGRAM_API_KEY, `earshot listen` starts the embedded local server on
 * its own thread and says so on stderr. (`--engine scripted` keeps this run quick and exact; the
 * default engine is pocketsphinx.)
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { replayScreen } from "./fake-terminal.ts";
import {
  killChildren,
  parseNdjson,
  repoRoot,
  runEarshot,
  runEarshotInPty,
  summarize,
  tempDir,
  transcriptOf,
  wordErrorRate,
  words,
  writeFile,
} from "./helpers.ts";

const recording = join(repoRoot, "examples", "audio", "recording.wav");
const reference = words(readFileSync(join(repoRoot, "examples", "audio", "reference.txt"), "utf8"));

let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(() => {
  dir = tempDir();
  wavPath = writeFile(dir.dir, "speech.wav", wav(Buffer.concat([tone(1.6), silence(0.4)])));
});

afterEach(killChildren);

afterAll(() => dir.remove());

describe("the embedded local server", () => {
  it.each(["--async", "--threaded"])(
    "%s: used when there is no --url and no key, announced on stderr",
    async (face) => {
      const result = await runEarshot(["listen", wavPath, "--engine", "scripted", face]).done;
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /^earshot: no DEEPGRAM_API_KEY or --url, so transcribing offline with the embedded local server \(scripted engine\) at ws:\/\/127\.0\.0\.1:\d+\n$/,
      );
      // The scripted engine's default script, 0.4 s of speech per word.
      expect(parseNdjson(result.stdout).map(summarize)).toEqual([
        {
          type: "Results",
          is_final: true,
          speech_final: true,
          from_finalize: false,
          transcript: "the quick brown fox",
          start: 0,
          duration: 1.61,
        },
        {
          type: "Results",
          is_final: true,
          speech_final: false,
          from_finalize: false,
          transcript: "",
          start: 1.61,
          duration: 0.39,
        },
        { type: "Metadata", duration: 2, channels: 1 },
      ]);
    },
  );

  it("by default, real offline recognition (pocketsphinx) of the bundled recording", async () => {
    const result = await runEarshot(["listen", recording, "--fast"], { timeoutMs: 60_000 }).done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("embedded local server (pocketsphinx engine)");
    const messages = parseNdjson(result.stdout);
    expect(messages.at(-1)?.type).toBe("Metadata");
    const finals = messages.filter((message) => message.type === "Results" && message.is_final);
    const heard = words(
      finals.map((message) => (message.type === "Results" ? transcriptOf(message) : "")).join(" "),
    );
    // Seven sentences, each ended by the recognizer's silence detection.
    expect(finals.filter((message) => message.type === "Results" && message.speech_final)).toHaveLength(7);
    expect(wordErrorRate(reference, heard)).toBeLessThanOrEqual(0.1);
  }, 70_000);

  it("on a terminal: live captions of the bundled recording (the README's first command)", async () => {
    const result = await runEarshotInPty(["listen", recording, "--interim-results", "--speed", "4"], {
      columns: 100,
      timeoutMs: 60_000,
    }).done;
    expect(result.code).toBe(0);
    const screen = await replayScreen(result.stdout, 100);
    const lines = screen.lines.slice(0, screen.cursorLine).filter((line) => !line.startsWith("earshot:"));
    expect(lines).toHaveLength(7);
    expect(screen.lines[screen.cursorLine]).toBe("");
    expect(wordErrorRate(reference, words(lines.join(" ")))).toBeLessThanOrEqual(0.1);
    // Interim words were drawn in place before the first final.
    const firstFinal = result.stdout.indexOf(`${lines[0]}\r\n`);
    expect(firstFinal).toBeGreaterThan(0);
    expect(result.stdout.indexOf("good")).toBeLessThan(firstFinal);
  }, 70_000);

  it("an engine the server does not know: a usage error naming --engine, exit 2", async () => {
    const result = await runEarshot(["listen", wavPath, "--engine", "nonesuch"]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^earshot: --engine must be one of [a-z, ]*scripted[a-z, ]*, got 'nonesuch'\n$/,
    );
  });
});
