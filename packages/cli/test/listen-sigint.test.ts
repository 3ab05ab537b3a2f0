/**
 * Ctrl-C mid-stream: the CLI stops reading audio, finishes the stream properly (CloseStream →
 * the server flushes the utterance in progress → Metadata) so the last final is still printed,
 * then exits with 130.
 */
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { tone, waitFor, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, parseNdjson, runEarshot, tempDir, transcriptOf, writeFile } from "./helpers.ts";

let server: LocalServer;
let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(async () => {
  server = await startServer({ engine: scriptedEngine() });
  dir = tempDir();
  // 30 s of unbroken "speech": no endpoint, so only Ctrl-C's finish can produce a final.
  wavPath = writeFile(dir.dir, "long.wav", wav(tone(30)));
});

afterEach(killChildren);

afterAll(async () => {
  await server.close();
  dir.remove();
});

describe("Ctrl-C (SIGINT) while streaming", () => {
  it.each(["--async", "--threaded"])(
    "%s: prints the last final and Metadata, then exits 130",
    async (face) => {
      const run = runEarshot([
        "listen",
        wavPath,
        "--url",
        server.url,
        "--realtime",
        "--speed",
        "4",
        "--interim-results",
        face,
      ]);
      // Two interim results (one per second of audio) show the stream is well under way.
      await waitFor(() => parseNdjson(run.stdout()).length >= 2, "two interim results", {
        timeoutMs: 10_000,
      });
      run.child.kill("SIGINT");
      const result = await run.done;
      expect(result.stderr).toBe("");
      expect(result.code).toBe(130);

      const messages = parseNdjson(result.stdout);
      const last = messages.at(-1);
      expect(last?.type).toBe("Metadata");
      // Stopped early: far less than the file's 30 s reached the server.
      expect(last?.type === "Metadata" && last.duration).toBeLessThan(20);
      expect(last?.type === "Metadata" && last.duration).toBeGreaterThan(1);

      const results = messages.filter((message) => message.type === "Results");
      const final = results.at(-1);
      expect(final?.is_final).toBe(true);
      // The flushed final carries every word heard, the interim words included.
      const lastInterim = results.filter((message) => !message.is_final).at(-1);
      expect(lastInterim).toBeDefined();
      if (final === undefined || lastInterim === undefined) return;
      expect(transcriptOf(final).split(" ").length).toBeGreaterThan(2);
      expect(transcriptOf(final).startsWith(transcriptOf(lastInterim))).toBe(true);
    },
  );
});
