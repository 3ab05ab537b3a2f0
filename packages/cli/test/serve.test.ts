/**
 * `earshot serve`: the server package's own server, reachable by `earshot listen`, stopped by
 * Ctrl-C; the offline recognizer by default (announced), the scripted engine on request.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { silence, tone, waitFor, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  killChildren,
  parseNdjson,
  repoRoot,
  runEarshot,
  tempDir,
  transcriptOf,
  wordErrorRate,
  words,
  writeFile,
} from "./helpers.ts";

let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(() => {
  dir = tempDir();
  wavPath = writeFile(dir.dir, "speech.wav", wav(Buffer.concat([tone(1.2), silence(0.4)])));
});

afterEach(killChildren);

afterAll(() => dir.remove());

describe("earshot serve", () => {
  it("prints its URL, serves earshot listen, and exits 0 on Ctrl-C", async () => {
    const server = runEarshot(["serve", "--port", "0", "--engine", "scripted"]);
    await waitFor(() => /ws:\/\/127\.0\.0\.1:\d+\n/.test(server.stdout()), "the server's URL", {
      timeoutMs: 10_000,
    });
    const url = server.stdout().trim();

    const listen = await runEarshot(["listen", wavPath, "--url", url]).done;
    expect(listen.code).toBe(0);
    const finals = parseNdjson(listen.stdout).filter(
      (message) => message.type === "Results" && message.is_final,
    );
    expect(finals.map((message) => (message.type === "Results" ? transcriptOf(message) : ""))).toEqual([
      "the quick brown",
      "",
    ]);

    server.child.kill("SIGINT");
    const result = await server.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("passes the server's usage errors through: one message, exit 2", async () => {
    const result = await runEarshot(["serve", "--port", "http"]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--port must be an integer");
  });

  it("with no --engine: the offline recognizer (pocketsphinx), announced on stderr, hears real words", async () => {
    const recording = readFileSync(join(repoRoot, "examples", "audio", "recording.wav"));
    // The first sentence of the bundled recording and the pause after it (a 44-byte header).
    const firstSentence = writeFile(dir.dir, "first.wav", wav(recording.subarray(44, 44 + 5 * 32_000)));
    const server = runEarshot(["serve", "--port", "0"], { timeoutMs: 60_000 });
    // Two pipes: the URL (stdout) and the notice (stderr) may arrive in either order.
    await waitFor(
      () => /ws:\/\/127\.0\.0\.1:\d+\n/.test(server.stdout()) && server.stderr().endsWith("\n"),
      "the server's URL and its notice",
      { timeoutMs: 20_000 },
    );
    expect(server.stderr()).toBe(
      "earshot-server: engine pocketsphinx (offline recognition); --engine scripted for the scripted test engine\n",
    );

    const listen = await runEarshot(["listen", firstSentence, "--url", server.stdout().trim()], {
      timeoutMs: 40_000,
    }).done;
    expect(listen.code).toBe(0);
    const heard = parseNdjson(listen.stdout)
      .map((message) => (message.type === "Results" && message.is_final ? transcriptOf(message) : ""))
      .join(" ");
    const reference = words(readFileSync(join(repoRoot, "examples", "audio", "reference.txt"), "utf8"));
    expect(wordErrorRate(reference.slice(0, 10), words(heard))).toBeLessThanOrEqual(0.2);

    server.child.kill("SIGINT");
    expect((await server.done).code).toBe(0);
  }, 70_000);
});
