/**
 * `earshot listen`: source → (sniff, frame, pace) → client face → renderer, with Ctrl-C turned
 * into a graceful finish. Returns the exit status instead of exiting, so it can be embedded.
 *
 * Exit status: 0 done; 1 a runtime error (one line on stderr); 2 a usage error; 130 stopped by
 * Ctrl-C — after the stream was finished properly and its last finals printed.
 */
import type { Readable } from "node:stream";
import { findLiveOptionProblems, type LiveOptions } from "@earshot/core";
import type { ListenArgs } from "./args.ts";
import { describeAudio, sniffAudio } from "./audio-format.ts";
import { type Connection, connect } from "./connect.ts";
import { describeError } from "./describe-error.ts";
import { createAsyncFace } from "./faces/async-face.ts";
import type { Face } from "./faces/face.ts";
import { createThreadedFace } from "./faces/threaded-face.ts";
import { frames } from "./pace.ts";
import { JsonRenderer } from "./render-json.ts";
import { TtyRenderer } from "./render-tty.ts";
import type { Renderer } from "./renderer.ts";
import { openSource } from "./sources.ts";
import { useColor } from "./terminal/color.ts";
import { UsageError } from "./usage-error.ts";

/** The process pieces `listen` uses; tests and embedders can pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: Readable;
  readonly env: Record<string, string | undefined>;
  /** Where SIGINT is heard. @default process */
  readonly signals?: Pick<NodeJS.Process, "on" | "off">;
}

/** The microphone's format unless flags say otherwise: what arecord/sox are asked for. */
const micDefaults = { encoding: "linear16", sample_rate: 16_000, channels: 1 } as const;

/** Exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const interruptedExitCode = 130;

function checkOptions(options: LiveOptions): void {
  const problems = findLiveOptionProblems(options);
  if (problems.length > 0) {
    throw new UsageError(problems.map((problem) => `${problem.option}: ${problem.message}`).join("; "));
  }
}

/**
 * How long finish() may wait for the server's last results. Audio sent faster than real time
 * may still be queued at the recognizer when CloseStream goes out (the offline engine runs a few
 * times faster than real time on one core, slower on a busy machine), so a stream sent faster
 * than real time gets the audio's own duration on top of the usual 10 s; unknown length, a minute.
 */
function finishTimeoutMs(
  pacing: "realtime" | "fast",
  speed: number,
  durationSeconds: number | undefined,
): number {
  if (pacing === "realtime" && speed <= 1) return 10_000;
  return 10_000 + Math.ceil((durationSeconds ?? 50) * 1000);
}

/**
 * Runs one `earshot listen`.
 *
 * @example
 * const status = await listen(parseListenArgs(["talk.wav", "--json"]), { stdout, stderr, stdin, env: process.env });
 */
export async function listen(args: ListenArgs, io: CliIo): Promise<number> {
  const signals = io.signals ?? process;
  const json = args.json || io.stdout.isTTY !== true;
  const stopReading = new AbortController();
  let interrupted = false;
  let face: Face | undefined;
  let connection: Connection | undefined;
  let renderer: Renderer | undefined;
  let secrets: readonly string[] = io.env.DEEPGRAM_API_KEY ? [io.env.DEEPGRAM_API_KEY] : [];

  // First Ctrl-C: stop reading audio; what was sent is still finished and printed.
  // Second Ctrl-C: give up on the server and close at once.
  const onInterrupt = (): void => {
    if (interrupted) face?.abort?.();
    interrupted = true;
    stopReading.abort();
  };
  signals.on("SIGINT", onInterrupt);
  // A closed pipe (`earshot listen … | head`) ends the stream like Ctrl-C, without an error line.
  const onOutputError = (): void => {
    interrupted = true;
    stopReading.abort();
  };
  io.stdout.on("error", onOutputError);

  try {
    const userOptions: LiveOptions = {
      ...(args.mic ? micDefaults : {}),
      // Captions on a terminal are live: show words as they are heard unless told not to.
      ...(json ? {} : { interim_results: true }),
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
      },
      stopReading.signal,
    );
    const sniffed = args.mic ? { wav: undefined, chunks: source.chunks } : await sniffAudio(source.chunks);
    const format = describeAudio(userOptions, sniffed.wav, source.totalBytes);

    connection = await connect({
      url: args.url,
      engine: args.engine,
      env: io.env,
      notice: (line) => io.stderr.write(`${line}\n`),
    });
    secrets = connection.secrets;

    const output: Renderer = json
      ? new JsonRenderer(io.stdout)
      : new TtyRenderer(io.stdout, {
          timestamps: args.timestamps,
          speakers: args.speakers,
          columns: () => io.stdout.columns || 80,
          color: useColor(io.env, true),
        });
    renderer = output;
    // Files default to real time on a terminal (captions at speaking pace) and to full speed
    // into a pipe; URLs, stdin and the microphone arrive at their own pace unless asked.
    const pacing = args.pacing ?? (source.kind === "file" && !json ? "realtime" : "fast");
    const createFace = args.face === "threaded" ? createThreadedFace : createAsyncFace;
    const liveFace = createFace(
      { ...connection.client, finishTimeoutMs: finishTimeoutMs(pacing, args.speed, format.durationSeconds) },
      {
        message: (message) => output.message(message),
        // Fatal errors also reject start/send/finish, which is where they are reported (once).
        error: () => {},
      },
    );
    face = liveFace;
    await liveFace.start(format.options);

    const started = performance.now();
    let audioBytes = -format.headerBytes;
    for await (const frame of frames(sniffed.chunks, {
      bytesPerSecond: format.bytesPerSecond,
      blockAlign: format.blockAlign,
      headerBytes: format.headerBytes,
      realtime: pacing === "realtime",
      speed: args.speed,
      signal: stopReading.signal,
    })) {
      await liveFace.send(frame);
      audioBytes += frame.length;
      if (format.bytesPerSecond !== undefined && audioBytes > 0) {
        const positionSeconds = audioBytes / format.bytesPerSecond;
        const elapsedSeconds = (performance.now() - started) / 1000;
        output.progress({
          positionSeconds,
          durationSeconds: format.durationSeconds,
          // The pacer lets a short burst out at once: a speed over the first moments is noise.
          speed: elapsedSeconds >= 0.5 ? positionSeconds / elapsedSeconds : undefined,
        });
      }
    }
    await liveFace.finish();
    output.end();
    return interrupted ? interruptedExitCode : 0;
  } catch (error) {
    face?.abort?.();
    renderer?.end();
    io.stderr.write(`earshot: ${describeError(error, secrets)}\n`);
    if (error instanceof UsageError) return 2;
    return interrupted ? interruptedExitCode : 1;
  } finally {
    signals.off("SIGINT", onInterrupt);
    io.stdout.off("error", onOutputError);
    // Ends a source that was opened but never read to the end (a failed connect, an error).
    stopReading.abort();
    await connection?.close();
  }
}
