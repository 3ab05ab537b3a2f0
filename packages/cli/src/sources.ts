/**
 * Where the audio comes from: a file, an HTTP(S) URL (streamed as it downloads), stdin, or a
 * capture command (the microphone). Every source is an async iterable of bytes that ends
 * quietly when `signal` aborts, which is how Ctrl-C stops reading without losing what was sent.
 */
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { access, constants, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { Readable } from "node:stream";

/** Audio bytes from one place, with what is known about their size. */
export interface AudioSource {
  readonly kind: "file" | "url" | "stdin" | "mic";
  /** Total bytes when known in advance (files, URLs with a Content-Length). */
  readonly totalBytes: number | undefined;
  /** The bytes, in order; ends when the source ends or the signal aborts. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** How messages name it: the path, the URL, "stdin", the capture command. */
  readonly name: string;
  /** A URL's Content-Type. */
  readonly contentType?: string | undefined;
}

/** What `openSource` needs to know. */
export interface SourceRequest {
  /** A file path, an http(s) URL or `-`; ignored when `mic` is set. */
  readonly input: string | undefined;
  readonly mic: boolean;
  readonly micCommand: string | undefined;
  /** Audio format for the default capture commands. */
  readonly micFormat: { readonly sampleRate: number; readonly channels: number };
  readonly stdin: Readable;
  readonly env: Record<string, string | undefined>;
  /**
   * For URLs: how long the server may take to answer, and the longest pause mid-download, in
   * milliseconds. @default 10000
   */
  readonly inputTimeoutMs?: number;
}

/** Reads `stream` until it ends, or — without an error — until `signal` aborts. */
async function* untilAborted(
  stream: AsyncIterable<unknown>,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) {
      if (signal.aborted) return;
      if (typeof chunk === "string") yield Buffer.from(chunk);
      else yield chunk as Uint8Array;
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}

async function openFile(path: string, signal: AbortSignal): Promise<AudioSource> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error(`${path} is not a file`);
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`no such file: ${path}`);
    if (code === "EACCES") throw new Error(`cannot read ${path}: permission denied`);
    throw error;
  }
  const stream = createReadStream(path, { highWaterMark: 64 * 1024, signal });
  return { kind: "file", name: path, totalBytes: size, chunks: untilAborted(stream, signal) };
}

const plainSeconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * A response body that fails, in plain words, when nothing arrives for `stallMs` — a radio
 * stream that stopped, a server that hung — instead of waiting until someone presses Ctrl-C.
 */
async function* withStallTimeout(
  body: ReadableStream<Uint8Array>,
  url: string,
  stallMs: number,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const stopped = () => {
    void reader.cancel().catch(() => {});
  };
  signal.addEventListener("abort", stopped, { once: true });
  try {
    while (!signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      const stall = new Promise<"stalled">((resolve) => {
        timer = setTimeout(() => resolve("stalled"), stallMs);
      });
      const next = await Promise.race([reader.read(), stall]).finally(() => clearTimeout(timer));
      if (next === "stalled") {
        await reader.cancel().catch(() => {});
        throw new Error(`${url} stopped sending: nothing arrived for ${plainSeconds(stallMs)}`);
      }
      if (next.done) return;
      yield next.value;
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  } finally {
    signal.removeEventListener("abort", stopped);
    reader.releaseLock();
  }
}

async function openUrl(url: string, signal: AbortSignal, timeoutMs: number): Promise<AudioSource> {
  let response: Response;
  // Not AbortSignal.timeout(): fetch's signal also governs the body, which may stream for hours.
  const unanswered = new AbortController();
  const timer = setTimeout(() => unanswered.abort(), timeoutMs);
  try {
    response = await fetch(url, { signal: AbortSignal.any([signal, unanswered.signal]) });
  } catch (error) {
    if (unanswered.signal.aborted && !signal.aborted) {
      throw new Error(`${url} did not answer within ${plainSeconds(timeoutMs)} (--input-timeout)`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot fetch ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new Error(`cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  return {
    kind: "url",
    name: url,
    contentType: response.headers.get("content-type") ?? undefined,
    totalBytes: Number.isSafeInteger(length) && length > 0 ? length : undefined,
    chunks: withStallTimeout(response.body, url, timeoutMs, signal),
  };
}

function openStdin(stdin: Readable, signal: AbortSignal): AudioSource {
  signal.addEventListener("abort", () => stdin.destroy(), { once: true });
  return { kind: "stdin", name: "stdin", totalBytes: undefined, chunks: untilAborted(stdin, signal) };
}

async function onPath(program: string, env: Record<string, string | undefined>): Promise<boolean> {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      await access(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * The capture command: `--mic-command` as given (run by the shell), else arecord (ALSA), else
 * sox's default device — both asked for raw signed 16-bit little-endian PCM on stdout.
 */
export async function captureCommand(request: SourceRequest): Promise<{ file: string; args: string[] }> {
  if (request.micCommand !== undefined) return { file: "/bin/sh", args: ["-c", request.micCommand] };
  const rate = String(request.micFormat.sampleRate);
  const channels = String(request.micFormat.channels);
  if (await onPath("arecord", request.env)) {
    return { file: "arecord", args: ["-q", "-f", "S16_LE", "-r", rate, "-c", channels, "-t", "raw"] };
  }
  if (await onPath("sox", request.env)) {
    return {
      file: "sox",
      args: [
        "-q",
        "-d",
        "-t",
        "raw",
        "-b",
        "16",
        "-e",
        "signed-integer",
        "-L",
        "-r",
        rate,
        "-c",
        channels,
        "-",
      ],
    };
  }
  throw new Error("no capture program: install alsa-utils (arecord) or sox, or pass --mic-command");
}

/**
 * Runs the capture command once the stream is ready for audio, and yields its stdout. Spawning
 * here rather than up front matters: Node discards the output of a child that exits while
 * nobody listens, and nothing should be recorded before the connection is open anyway.
 */
async function* captureOutput(
  command: { file: string; args: string[]; shown: string },
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  if (signal.aborted) return;
  const child = spawn(command.file, command.args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderrTail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderrTail = (stderrTail + text).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", (error) =>
      reject(new Error(`cannot start capture command ${command.shown}: ${error.message}`)),
    );
    child.once("close", (code) => resolve(code));
  });
  // A spawn failure is reported through the iteration, never as an unhandled rejection.
  exited.catch(() => {});
  const stop = (): void => {
    child.kill("SIGTERM");
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    if (child.stdout === null) throw new Error("capture command has no stdout");
    yield* untilAborted(child.stdout, signal);
    const code = await exited;
    if (!signal.aborted && code !== 0) {
      const lastLine = stderrTail.trim().split("\n").at(-1) ?? "";
      throw new Error(
        `capture command failed (${command.shown}, exit ${code})${lastLine ? `: ${lastLine}` : ""}`,
      );
    }
  } finally {
    signal.removeEventListener("abort", stop);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited.catch(() => undefined);
    }
  }
}

async function openMic(request: SourceRequest, signal: AbortSignal): Promise<AudioSource> {
  const { file, args } = await captureCommand(request);
  const shown = request.micCommand ?? file;
  return {
    kind: "mic",
    name: shown,
    totalBytes: undefined,
    chunks: captureOutput({ file, args, shown }, signal),
  };
}

/**
 * Opens the audio source the user asked for. Files are checked up front (a missing file is an
 * error before anything connects); URLs are requested and their status checked.
 *
 * @example
 * const source = await openSource({ input: "talk.wav", mic: false, … }, controller.signal);
 * for await (const chunk of source.chunks) send(chunk);
 */
export async function openSource(request: SourceRequest, signal: AbortSignal): Promise<AudioSource> {
  if (request.mic) return openMic(request, signal);
  const input = request.input;
  if (input === undefined) throw new Error("no input given");
  if (input === "-") return openStdin(request.stdin, signal);
  if (/^https?:\/\//i.test(input)) return openUrl(input, signal, request.inputTimeoutMs ?? 10_000);
  return openFile(input, signal);
}
