/**
 * Running the BUILT CLI (`node packages/cli/dist/bin.js`) as a child process, as a user would,
 * and the audio and servers the tests feed it. Every child is tracked so `killChildren()` (in
 * afterEach) leaves nothing running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ResultsMessage, ServerMessage } from "@earshot/core";

const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = resolve(here, "..");
export const binPath = join(packageDir, "dist", "bin.js");
export const repoRoot = resolve(packageDir, "..", "..");

if (!existsSync(binPath)) {
  throw new Error(`${binPath} is missing: build the CLI first (pnpm --filter earshot build)`);
}

const children = new Set<ChildProcess>();

/** What a finished child printed. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment the CLI sees: no Deepgram key (unless a test adds one), no colours. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  if (!("DEEPGRAM_API_KEY" in extra)) delete env.DEEPGRAM_API_KEY;
  return env;
}

/** A running child with its output so far. */
export interface RunningCli {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly done: Promise<RunResult>;
}

/** How a child is started: what its stdin gets, its environment, how long it may run. */
export interface StartOptions {
  /** Written to stdin, then EOF. */
  readonly input?: Buffer;
  /** Leave stdin open for the test to write (`child.stdin`) and end; otherwise EOF at once. */
  readonly keepStdinOpen?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** @default 15000 */
  readonly timeoutMs?: number;
}

/** Starts `file args…` as a tracked child; stdin gets `input` (then EOF), nothing, or is left open. */
export function start(file: string, args: readonly string[], options: StartOptions = {}): RunningCli {
  const child = spawn(file, args, { env: options.env ?? cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  child.stdin?.on("error", () => {}); // the CLI may exit before reading all of it
  if (options.input !== undefined) child.stdin?.end(options.input);
  else if (options.keepStdinOpen !== true) child.stdin?.end();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const done = new Promise<RunResult>((resolveDone, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolveDone({ code, signal, stdout, stderr });
    });
  });
  done.catch(() => {});
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Runs `earshot <args…>` from the built dist. */
export function runEarshot(args: readonly string[], options: StartOptions = {}): RunningCli {
  return start(process.execPath, [binPath, ...args], options);
}

/** Kills whatever is still running (afterEach) and waits for it to be gone. */
export async function killChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolveKilled) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            children.delete(child);
            resolveKilled();
            return;
          }
          child.once("close", () => resolveKilled());
          child.kill("SIGKILL");
        }),
    ),
  );
  children.clear();
}

/** A temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "earshot-cli-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `bytes` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Every line of NDJSON output, parsed. */
export function parseNdjson(text: string): ServerMessage[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ServerMessage);
}

/** The transcript of a Results message. */
export function transcriptOf(message: ResultsMessage): string {
  return message.channel.alternatives[0]?.transcript ?? "";
}

/** A message reduced to what identifies it in a sequence (no ids, dates or hashes). */
export function summarize(message: ServerMessage): Record<string, unknown> {
  switch (message.type) {
    case "Results":
      return {
        type: "Results",
        is_final: message.is_final,
        speech_final: message.speech_final,
        from_finalize: message.from_finalize,
        transcript: transcriptOf(message),
        start: Number(message.start.toFixed(2)),
        duration: Number(message.duration.toFixed(2)),
      };
    case "Metadata":
      return { type: "Metadata", duration: Number(message.duration.toFixed(2)), channels: message.channels };
    default:
      return { type: message.type };
  }
}

/** Lower-case words without punctuation. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9'\s]/g, " ")
    .split(/\s+/)
    .filter((word) => word !== "");
}

/** Word error rate: word-level edit distance over the reference's length. */
export function wordErrorRate(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = (previous[j - 1] as number) + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return (previous[hypothesis.length] as number) / Math.max(1, reference.length);
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * Runs `earshot <args…>` with a pseudo-terminal of `columns` as its stdout (`script` from
 * util-linux; `stty` sets the pty's size, which is what the CLI reads).
 */
export function runEarshotInPty(
  args: readonly string[],
  options: { columns?: number; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): RunningCli {
  const command = [process.execPath, binPath, ...args].map(shellQuote).join(" ");
  const columns = options.columns ?? 100;
  return start("script", ["-qfec", `stty cols ${columns} rows 24; exec ${command}`, "/dev/null"], {
    env: options.env ?? cliEnv(),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
