/**
 * With neither --url nor DEEPGRAM_API_KEY, `earshot listen` starts the embedded local server on
 * its own thread and says so on stderr. (`--engine scripted` keeps this run quick and exact; the
 * default engine is pocketsphinx.)
 */
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, parseNdjson, runEarshot, summarize, tempDir, writeFile } from "./helpers.ts";

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

  it("an engine the server does not know: one line, exit 1", async () => {
    const result = await runEarshot(["listen", wavPath, "--engine", "nonesuch"]).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^earshot: unknown engine "nonesuch"; known engines: [a-z, ]*scripted[a-z, ]*\n$/,
    );
  });
});
