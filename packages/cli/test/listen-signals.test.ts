/**
 * SIGTERM and SIGHUP finish the stream like Ctrl-C (the last final and Metadata still printed,
 * exit 128 + n), and a closed output pipe (`| head -2`) ends it quietly with exit 141 — on both
 * faces, never with a stack trace.
 */
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { tone, waitFor, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, parseNdjson, runEarshot, tempDir, writeFile } from "./helpers.ts";

let server: LocalServer;
let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(async () => {
  server = await startServer({ engine: scriptedEngine() });
  dir = tempDir();
  // 30 s of unbroken "speech": no endpoint, so only the graceful finish can produce a final.
  wavPath = writeFile(dir.dir, "long.wav", wav(tone(30)));
});

afterEach(killChildren);

afterAll(async () => {
  await server.close();
  dir.remove();
});

const streaming = (face: string) =>
  runEarshot([
    "listen",
    wavPath,
    "--url",
    server.url,
    "--realtime",
    "--speed",
    "4",
    "--interim-results",
    "--json",
    face,
  ]);

describe.each(["--async", "--threaded"])("%s", (face) => {
  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("%s finishes the stream like Ctrl-C and exits %i", async (signal, code) => {
    const run = streaming(face);
    await waitFor(() => parseNdjson(run.stdout()).length >= 2, "two interim results", { timeoutMs: 10_000 });
    run.child.kill(signal);
    const result = await run.done;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(code);
    const messages = parseNdjson(result.stdout);
    expect(messages.at(-1)?.type).toBe("Metadata");
    const last = messages.filter((message) => message.type === "Results").at(-1);
    expect(last?.type === "Results" && last.is_final).toBe(true);
  });

  it("a closed output pipe ends the stream quietly with exit 141 (three runs)", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = streaming(face);
      await waitFor(() => run.stdout().split("\n").length > 2, "two lines of output", { timeoutMs: 10_000 });
      // What `| head -2` does once it has its lines: the reading end goes away.
      run.child.stdout?.destroy();
      const result = await run.done;
      expect(result.stderr).toBe("");
      expect(result.code).toBe(141);
    }
  });
});
