/**
 * Every example runs to completion, as a child process, against the local server it starts
 * itself (no DEEPGRAM_API_KEY). The scripted engine (EARSHOT_ENGINE=scripted) keeps these runs
 * quick and their words exact: it "hears" the bundled recording's speech as its default script.
 * Capture commands are replaced by a player of the bundled recording, and real-time sources
 * run ten times faster (REPLAY_SPEED, RADIO_SPEED, and the player's speed).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_TRANSCRIPT } from "@earshot/server";
import { afterEach, describe, expect, it } from "vitest";

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const recording = join(examplesDir, "audio", "recording.wav");
const reference = wordsOf(readFileSync(join(examplesDir, "audio", "reference.txt"), "utf8"));
const scriptWords = new Set(
  DEFAULT_TRANSCRIPT.toLowerCase()
    .replace(/[^a-z ]/g, "")
    .split(" "),
);

const running = new Set<ChildProcess>();

afterEach(async () => {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once("close", () => done());
          child.kill("SIGKILL");
        }),
    ),
  );
  running.clear();
});

/**
 * A stand-in capture command: plays the bundled recording's samples (after its 44-byte header)
 * to stdout as raw 16 kHz linear16, `speed` times faster than real time, as a microphone would.
 */
function playAsMicrophone(speed: number): string {
  const player = `const b=require("fs").readFileSync(process.argv[1]);let o=44;const t=setInterval(()=>{process.stdout.write(b.subarray(o,o+${3200 * speed}));o+=${3200 * speed};if(o>=b.length)clearInterval(t)},100)`;
  return `'${process.execPath}' -e '${player}' '${recording}'`;
}

/** Runs one example to its end (or fails after `timeoutMs`). */
function runExample(name: string, env: Record<string, string> = {}, timeoutMs = 40_000) {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    EARSHOT_ENGINE: "scripted",
    REPLAY_SPEED: "10",
    RADIO_SPEED: "10",
    MIC_COMMAND: playAsMicrophone(Number(env.REPLAY_SPEED ?? 10)),
    ...env,
  };
  delete childEnv.DEEPGRAM_API_KEY;
  const script = join(examplesDir, "speech-to-text", "websocket", name, "index.mjs");
  const child = spawn(process.execPath, [script], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${name} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      running.delete(child);
      done({ code, stdout, stderr });
    });
  });
}

/** Word error rate: word-level edit distance over the reference's length. */
function wordErrorRate(expected: readonly string[], heard: readonly string[]): number {
  let previous = Array.from({ length: heard.length + 1 }, (_, j) => j);
  for (let i = 1; i <= expected.length; i++) {
    const current = [i];
    for (let j = 1; j <= heard.length; j++) {
      const substitution = (previous[j - 1] as number) + (expected[i - 1] === heard[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return (previous[heard.length] as number) / Math.max(1, expected.length);
}

/** The words printed, lower-case, without punctuation or `[12.3s]` times. */
function wordsOf(stdout: string): string[] {
  return stdout
    .replace(/\[\d+(\.\d+)?s\]/g, " ")
    .toLowerCase()
    .replace(/[^a-z\s]/g, " ")
    .split(/\s+/)
    .filter((word) => word !== "");
}

describe("examples/speech-to-text/websocket", () => {
  it.each(["microphone", "async_microphone", "http", "async_http", "file", "worker_embedding"])(
    "%s runs to completion against the local server",
    async (name) => {
      const result = await runExample(name);
      expect(result.stderr).toContain("No DEEPGRAM_API_KEY: using the local server at ws://127.0.0.1:");
      expect(result.stderr).not.toContain("Error");
      expect(result.code).toBe(0);
      const words = wordsOf(result.stdout);
      // The whole recording was heard: the scripted engine went round its script more than once.
      expect(words.length).toBeGreaterThan(scriptWords.size);
      expect(words.filter((word) => !scriptWords.has(word))).toEqual([]);
      expect(words).toContain("fox");
    },
    45_000,
  );

  // The real recognizer, as a user without a key runs them: the bundled recording's words.
  it.each(["file", "microphone"])(
    "%s with the default pocketsphinx engine prints the recording's words",
    async (name) => {
      const result = await runExample(name, { EARSHOT_ENGINE: "pocketsphinx", REPLAY_SPEED: "4" }, 60_000);
      // What the example printed is the message on failure: a timeout or lost words show there.
      const printed = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
      expect(result.code, printed).toBe(0);
      expect(wordErrorRate(reference, wordsOf(result.stdout)), printed).toBeLessThanOrEqual(0.1);
    },
    70_000,
  );
});
