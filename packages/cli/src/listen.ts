/**
 * `earshot listen`: source → (sniff, check, frame, pace) → client face → renderers, with
 * signals and a closed output pipe turned into a bounded graceful finish. Returns the exit
 * status instead of exiting, so it can be embedded.
 *
 * Exit status: 0 done; 1 a runtime error (one line on stderr); 2 a usage error; 128 + n when
 * signal n stopped it (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP) — after the stream was finished
 * properly and its last finals printed; 141 when the output pipe closed.
 */

import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { findLiveOptionProblems, type LiveOptions, StateError } from "@earshot/core";
import type { ListenArgs } from "./args.ts";
import { describeAudio, sniffAudio } from "./audio-format.ts";
import { type Connection, connect } from "./connect.ts";
import { describeError } from "./describe-error.ts";
import { createAsyncFace } from "./faces/async-face.ts";
import type { Face } from "./faces/face.ts";
import { createThreadedFace } from "./faces/threaded-face.ts";
import { FinalizeReply } from "./finalize-reply.ts";
import { inFlagTerms } from "./flag-wording.ts";
import { checkInput, decodeHint, type InputFacts } from "./input-check.ts";
import { kindOfContentType } from "./input-kind.ts";
import { frames } from "./pace.ts";
import { JsonRenderer } from "./render-json.ts";
import { TtyRenderer } from "./render-tty.ts";
import type { Renderer } from "./renderer.ts";
import { openSource } from "./sources.ts";
import { StopSignals } from "./stop-signals.ts";
import { formatLiveStats, formatStatsSummary, StreamStats } from "./stream-stats.ts";
import { SubtitleWriter } from "./subtitles.ts";
import { useColor } from "./terminal/color.ts";
import { UsageError } from "./usage-error.ts";

/** The process pieces `listen` uses; tests and embedders can pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: Readable;
  readonly env: Record<string, string | undefined>;
  /** Where SIGINT, SIGTERM and SIGHUP are heard. @default process */
  readonly signals?: Pick<NodeJS.Process, "on" | "off">;
}

/** The microphone's format unless flags say otherwise: what arecord/sox are asked for. */
const micDefaults = { encoding: "linear16", sample_rate: 16_000, channels: 1 } as const;

/** Exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const interruptedExitCode = 130;

/** How long captions wait for the reply to the `Finalize` sent at the end of the audio. */
const finalizeTimeoutMs = 3000;

/** LiveOptions problems, named by the flag that sets each option. */
function checkOptions(options: LiveOptions): void {
  const problems = findLiveOptionProblems(options);
  if (problems.length > 0) {
    throw new UsageError(
      problems
        .map((problem) => `--${problem.option.replaceAll("_", "-")}: ${inFlagTerms(problem.message)}`)
        .join("; "),
    );
  }
}

/**
 * How long finish() may wait for the server's last results. Audio sent faster than real time
 * may still be queued at the recognizer when CloseStream goes out (the offline engine runs a few
 * times faster than real time on one core, slower on a busy machine), so a stream sent faster
 * than real time gets the audio's own duration on top of the usual 10 s; unknown length, a minute.
 */
export function finishTimeoutMs(
  pacing: "realtime" | "fast",
  speed: number,
  durationSeconds: number | undefined,
): number {
  if (pacing === "realtime" && speed <= 1) return 10_000;
  return 10_000 + Math.ceil((durationSeconds ?? 50) * 1000);
}

/** The error worth printing: a "session is closed" refusal carries less than what closed it. */
function rootCause(error: unknown, reported: readonly unknown[]): unknown {
  if (error instanceof StateError && reported.length > 0) return reported[0];
  return error;
}

/**
 * The line for a graceful finish that a signal started and that did not complete: a second
 * signal closed at once, or the server did not finish within the grace period. Undefined for
 * any other failure, which is reported as itself.
 */
function cutShortLine(stop: StopSignals, cause: unknown): string | undefined {
  const signal = stop.stoppedBy;
  if (signal === undefined) return undefined;
  if (stop.cutShort === "second signal") {
    return `${signal} again: closed at once, without the server's last results`;
  }
  // By its code: on the threaded face the error was rebuilt from the engine's close report.
  const finishTimedOut = (cause as { code?: unknown } | undefined)?.code === "ERR_FINISH_TIMEOUT";
  if (stop.cutShort === "grace over" || finishTimedOut) {
    return `stopped by ${signal}, but the server did not finish the stream within ${stop.graceMs / 1000} s: closed without its last results`;
  }
  return undefined;
}

/** Opens the subtitle file now, so a path that cannot be written fails before the stream starts. */
async function openSubtitleFile(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  try {
    await once(stream, "open");
    stream.on("error", () => {}); // a later write error leaves a short file; never a crash
    return stream;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new Error(`cannot write subtitles to ${path}${code ? ` (${code})` : ""}`);
  }
}

/** Every renderer at once. */
function allOf(renderers: readonly Renderer[]): Renderer {
  return {
    message: (message) => {
      for (const renderer of renderers) renderer.message(message);
    },
    progress: (progress) => {
      for (const renderer of renderers) renderer.progress(progress);
    },
    promotePending: () => {
      for (const renderer of renderers) renderer.promotePending?.();
    },
    stats: (line) => {
      for (const renderer of renderers) renderer.stats?.(line);
    },
    end: () => {
      for (const renderer of renderers) renderer.end();
    },
  };
}

/**
 * Runs one `earshot listen`.
 *
 * @example
 * const status = await listen(parseListenArgs(["talk.wav", "--json"]), { stdout, stderr, stdin, env: process.env });
 */
export async function listen(args: ListenArgs, io: CliIo): Promise<number> {
  const subtitlesToStdout = args.subtitles?.path === "-";
  const tty = io.stdout.isTTY === true && !args.json && !subtitlesToStdout;
  let face: Face | undefined;
  let connection: Connection | undefined;
  let renderer: Renderer | undefined;
  let facts: InputFacts | undefined;
  let subtitleFile: WriteStream | undefined;
  let unsubscribeStats: (() => void) | undefined;
  const reported: unknown[] = [];
  let secrets: readonly string[] = io.env.DEEPGRAM_API_KEY ? [io.env.DEEPGRAM_API_KEY] : [];
  const stop = new StopSignals({
    signals: io.signals ?? process,
    output: io.stdout,
    abort: () => face?.abort(),
  });
  const warn = (line: string) => io.stderr.write(`earshot: ${line}\n`);

  try {
    const userOptions: LiveOptions = {
      ...(args.mic ? micDefaults : {}),
      // Captions on a terminal are live: show words as they are heard unless told not to.
      ...(tty ? { interim_results: true } : {}),
      ...args.options,
    };
    checkOptions(userOptions);
    const source = await openSource(
      {
        input: args.input,
        mic: args.mic,
        micCommand: args.micCommand,
        micFormat: { sampleRate: userOptions.sample_rate ?? 16_000, channels: userOptions.channels ?? 1 },
        stdin: io.stdin,
        env: io.env,
        inputTimeoutMs: args.inputTimeoutMs,
      },
      stop.signal,
    );
    let options = userOptions;
    let sniffed: Awaited<ReturnType<typeof sniffAudio>> | undefined;
    if (!args.mic) {
      sniffed = await sniffAudio(source.chunks);
      facts = {
        name: source.name,
        // Raw bytes say nothing about themselves; a Content-Type may (text/html).
        kind:
          sniffed.kind === "unknown" ? (kindOfContentType(source.contentType) ?? "unknown") : sniffed.kind,
        wav: sniffed.wav,
        wavProblem: sniffed.wavProblem,
        totalBytes: source.totalBytes,
        ended: sniffed.ended,
        contentType: source.contentType,
      };
      const offline = args.url === undefined && !io.env.DEEPGRAM_API_KEY;
      const checked = checkInput(facts, userOptions, offline);
      for (const warning of checked.warnings) warn(`warning: ${warning}`);
      options = checked.options;
    }
    const chunks = sniffed?.chunks ?? source.chunks;
    const format = describeAudio(options, sniffed?.wav, source.totalBytes);

    connection = await connect({
      url: args.url,
      engine: args.engine,
      env: io.env,
      notice: (line) => io.stderr.write(`${line}\n`),
    });
    secrets = connection.secrets;

    const renderers: Renderer[] = [];
    if (tty) {
      renderers.push(
        new TtyRenderer(io.stdout, {
          timestamps: args.timestamps,
          speakers: args.speakers,
          columns: () => io.stdout.columns || 80,
          color: useColor(io.env, true),
        }),
      );
    } else if (!subtitlesToStdout) {
      renderers.push(new JsonRenderer(io.stdout));
    }
    if (args.subtitles !== undefined) {
      subtitleFile = subtitlesToStdout ? undefined : await openSubtitleFile(args.subtitles.path);
      renderers.push(new SubtitleWriter(subtitleFile ?? io.stdout, args.subtitles.format));
    }
    const output = allOf(renderers);
    renderer = output;
    const stats = args.stats ? new StreamStats() : undefined;
    unsubscribeStats = stats?.subscribe();
    if (stats !== undefined && tty) {
      stats.onChange = () => {
        if (!stop.outputClosed) output.stats?.(formatLiveStats(stats.snapshot()));
      };
    }
    const finalizeReply = new FinalizeReply({
      timeoutMs: finalizeTimeoutMs,
      onTimeout: () => output.promotePending?.(),
    });

    // Files default to real time on a terminal (captions at speaking pace) and to full speed
    // into a pipe; URLs, stdin and the microphone arrive at their own pace unless asked.
    const pacing = args.pacing ?? (source.kind === "file" && tty ? "realtime" : "fast");
    const createFace = args.face === "threaded" ? createThreadedFace : createAsyncFace;
    const liveFace = createFace(
      { ...connection.client, finishTimeoutMs: finishTimeoutMs(pacing, args.speed, format.durationSeconds) },
      {
        message: (message) => {
          finalizeReply.observe(message);
          if (!stop.outputClosed) output.message(message);
        },
        // Fatal errors also reject start/send/finish; the first one reported is the root cause.
        error: (error) => {
          reported.push(error);
          finalizeReply.cancel();
        },
      },
    );
    face = liveFace;
    await liveFace.start(format.options);

    const started = performance.now();
    let audioBytes = -format.headerBytes;
    for await (const frame of frames(chunks, {
      bytesPerSecond: format.bytesPerSecond,
      blockAlign: format.blockAlign,
      headerBytes: format.headerBytes,
      realtime: pacing === "realtime",
      speed: args.speed,
      signal: stop.signal,
    })) {
      await liveFace.send(frame);
      audioBytes += frame.length;
      const positionSeconds =
        format.bytesPerSecond !== undefined && audioBytes > 0
          ? audioBytes / format.bytesPerSecond
          : undefined;
      if (positionSeconds !== undefined && !stop.outputClosed) {
        const elapsedSeconds = (performance.now() - started) / 1000;
        output.progress({
          positionSeconds,
          durationSeconds: format.durationSeconds,
          // The pacer lets a short burst out at once: a speed over the first moments is noise.
          speed: elapsedSeconds >= 0.5 ? positionSeconds / elapsedSeconds : undefined,
        });
      }
    }
    const expectedBytes = sniffed?.wav?.dataLength;
    const endedEarly =
      stop.exitCode === undefined &&
      expectedBytes !== undefined &&
      audioBytes >= 0 &&
      audioBytes < expectedBytes;
    // Captions (and --stats) want the words in progress now, not after CloseStream's flush.
    if ((tty || stats !== undefined) && stop.exitCode === undefined) {
      await liveFace.finalize();
      await finalizeReply.sent(stop.signal);
    }
    // After a signal, the grace period left bounds the finish, on either face (the threaded
    // face's finish() blocks this thread, so the grace timer alone could not end it).
    await liveFace.finish(stop.finishTimeoutMs);
    finalizeReply.cancel();
    if (!stop.outputClosed) output.promotePending?.();
    output.end();
    if (stats !== undefined)
      for (const line of formatStatsSummary(stats.snapshot(), {
        interimResults: options.interim_results === true,
      }))
        io.stderr.write(`${line}\n`);
    if (endedEarly && facts !== undefined && sniffed?.wav !== undefined) {
      const rate = sniffed.wav.sampleRate * sniffed.wav.blockAlign;
      warn(
        `${facts.name} ended early: its header promised ${(expectedBytes / rate).toFixed(1)} s of audio, ${(audioBytes / rate).toFixed(1)} s came (what came was transcribed)`,
      );
      return 1;
    }
    return stop.exitCode ?? 0;
  } catch (error) {
    face?.abort();
    renderer?.end();
    if (stop.outputClosed) return stop.exitCode ?? 1;
    const cause = rootCause(error, reported);
    const stopped = cutShortLine(stop, cause);
    if (stopped !== undefined) {
      io.stderr.write(`earshot: ${stopped}\n`);
      return stop.exitCode ?? 1;
    }
    let line = describeError(cause, secrets);
    const hint = facts === undefined ? undefined : decodeHint(facts);
    if (hint !== undefined && line.includes("DATA-0000")) line = `${line} — ${hint}`;
    io.stderr.write(`earshot: ${line}\n`);
    if (error instanceof UsageError) return 2;
    return stop.exitCode ?? 1;
  } finally {
    unsubscribeStats?.();
    stop.dispose();
    await connection?.close();
    if (subtitleFile !== undefined) await new Promise((resolve) => subtitleFile?.end(resolve));
  }
}
