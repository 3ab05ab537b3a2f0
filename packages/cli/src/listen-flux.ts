/**
 * `earshot listen --flux`: the same source → (sniff, check, frame, pace) path as `earshot
 * listen`, into a Flux stream (`/v2/listen`) on either face, out as turns (terminal) or NDJSON
 * (pipe). Signals and a closed output pipe end it as they end `earshot listen`: the stream is
 * finished properly (bounded), its last turn shown.
 */
import { type FluxOptions, findFluxOptionProblems, type LiveOptions, StateError } from "@earshot/core";
import type { ListenArgs } from "./args.ts";
import { describeAudio, sniffAudio } from "./audio-format.ts";
import { type Connection, connect } from "./connect.ts";
import { describeError } from "./describe-error.ts";
import { createAsyncFluxFace, createThreadedFluxFace, type FluxFace } from "./faces/flux-face.ts";
import { checkInput, decodeHint, type InputFacts } from "./input-check.ts";
import { kindOfContentType } from "./input-kind.ts";
import { type CliIo, finishTimeoutMs } from "./listen.ts";
import { frames } from "./pace.ts";
import { FluxJsonRenderer, type FluxRenderer, FluxTtyRenderer } from "./render-flux.ts";
import { openSource } from "./sources.ts";
import { StopSignals } from "./stop-signals.ts";
import { useColor } from "./terminal/color.ts";
import { UsageError } from "./usage-error.ts";

/** The Flux model when `--model` is not given. */
const DEFAULT_FLUX_MODEL = "flux-general-en";
/** The microphone's format unless flags say otherwise (Flux takes mono only). */
const micDefaults = { encoding: "linear16", sample_rate: 16_000 } as const;

/** Flux options problems, named by the flag that sets each option. */
function checkFluxOptions(options: FluxOptions): void {
  const problems = findFluxOptionProblems(options);
  if (problems.length > 0) {
    throw new UsageError(
      problems.map((problem) => `--${problem.option.replaceAll("_", "-")}: ${problem.message}`).join("; "),
    );
  }
}

/**
 * Runs one `earshot listen --flux`.
 *
 * @example
 * const status = await listenFlux(parseListenArgs(["talk.wav", "--flux"]), { stdout, stderr, stdin, env: process.env });
 */
export async function listenFlux(args: ListenArgs, io: CliIo): Promise<number> {
  const tty = io.stdout.isTTY === true && !args.json;
  let face: FluxFace | undefined;
  let connection: Connection | undefined;
  let renderer: FluxRenderer | undefined;
  let facts: InputFacts | undefined;
  const reported: unknown[] = [];
  let secrets: readonly string[] = io.env.DEEPGRAM_API_KEY ? [io.env.DEEPGRAM_API_KEY] : [];
  const stop = new StopSignals({
    signals: io.signals ?? process,
    output: io.stdout,
    abort: () => face?.abort?.(),
  });
  const warn = (line: string) => io.stderr.write(`earshot: ${line}\n`);

  try {
    const userOptions = {
      model: DEFAULT_FLUX_MODEL,
      ...(args.mic ? micDefaults : {}),
      ...args.options,
      ...args.flux,
    } as FluxOptions;
    checkFluxOptions(userOptions);
    const source = await openSource(
      {
        input: args.input,
        mic: args.mic,
        micCommand: args.micCommand,
        micFormat: { sampleRate: userOptions.sample_rate ?? 16_000, channels: 1 },
        stdin: io.stdin,
        env: io.env,
        inputTimeoutMs: args.inputTimeoutMs,
      },
      stop.signal,
    );
    // The input checks and the audio format read the fields both endpoints share.
    let options = userOptions as LiveOptions;
    let sniffed: Awaited<ReturnType<typeof sniffAudio>> | undefined;
    if (!args.mic) {
      sniffed = await sniffAudio(source.chunks);
      facts = {
        name: source.name,
        kind:
          sniffed.kind === "unknown" ? (kindOfContentType(source.contentType) ?? "unknown") : sniffed.kind,
        wav: sniffed.wav,
        wavProblem: sniffed.wavProblem,
        totalBytes: source.totalBytes,
        ended: sniffed.ended,
        contentType: source.contentType,
      };
      const checked = checkInput(facts, options, args.url === undefined && !io.env.DEEPGRAM_API_KEY);
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
    const output: FluxRenderer = tty
      ? new FluxTtyRenderer(io.stdout, {
          timestamps: args.timestamps,
          columns: () => io.stdout.columns || 80,
          color: useColor(io.env, true),
        })
      : new FluxJsonRenderer(io.stdout);
    renderer = output;

    const pacing = args.pacing ?? (source.kind === "file" && tty ? "realtime" : "fast");
    const createFace = args.face === "threaded" ? createThreadedFluxFace : createAsyncFluxFace;
    const fluxFace = createFace(
      { ...connection.client, finishTimeoutMs: finishTimeoutMs(pacing, args.speed, format.durationSeconds) },
      {
        message: (message) => {
          if (!stop.outputClosed) output.message(message);
        },
        turn: (turn) => {
          if (!stop.outputClosed) output.turn(turn);
        },
        warning: (warning) => warn(`warning: the server broke the Flux protocol: ${warning.message}`),
        error: (error) => reported.push(error),
      },
    );
    face = fluxFace;
    await fluxFace.start(format.options as FluxOptions);

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
      await fluxFace.send(frame);
      audioBytes += frame.length;
      if (format.bytesPerSecond !== undefined && audioBytes > 0 && !stop.outputClosed) {
        const positionSeconds = audioBytes / format.bytesPerSecond;
        const elapsedSeconds = (performance.now() - started) / 1000;
        output.progress({
          positionSeconds,
          durationSeconds: format.durationSeconds,
          speed: elapsedSeconds >= 0.5 ? positionSeconds / elapsedSeconds : undefined,
        });
      }
    }
    await fluxFace.finish();
    output.end();
    return stop.exitCode ?? 0;
  } catch (error) {
    face?.abort?.();
    renderer?.end();
    if (stop.outputClosed) return stop.exitCode ?? 1;
    // A "session is closed" refusal carries less than what closed it.
    const cause = error instanceof StateError && reported.length > 0 ? reported[0] : error;
    let line = describeError(cause, secrets);
    const hint = facts === undefined ? undefined : decodeHint(facts);
    if (hint !== undefined && line.includes("DATA-0000")) line = `${line} — ${hint}`;
    io.stderr.write(`earshot: ${line}\n`);
    if (error instanceof UsageError) return 2;
    return stop.exitCode ?? 1;
  } finally {
    stop.dispose();
    await connection?.close();
  }
}
