/**
 * `sendFrom()`: pumps an audio source into the stream, one chunk at a time, awaiting
 * backpressure after each, and — with `pace: "realtime"` — no faster than the audio plays.
 */
import type { Clock } from "../clock.ts";
import { type OptionProblem, OptionsError } from "../errors.ts";
import { type AudioChunk, toAudioFrame } from "../frames.ts";
import type { LiveOptions } from "../options.ts";
import {
  type AudioSource,
  abortable,
  abortedError,
  assertAudioSource,
  iterateAudio,
  releaseSource,
} from "./audio-source.ts";
import { audioBytesPerSecond } from "./rate.ts";
import { RealtimePacer } from "./realtime-pacer.ts";
import { isRiffWave, readWavHeader } from "./wav-header.ts";

export type { AudioSource, ReadableStreamLike } from "./audio-source.ts";

/** Options of `sendFrom()`. */
export interface SendFromOptions {
  /**
   * `"realtime"` sends no faster than the audio's own duration (for files standing in for a
   * live source); `"none"` sends as fast as backpressure allows.
   * @default "none"
   */
  readonly pace?: "realtime" | "none";
  /**
   * Stops reading: the source is destroyed/cancelled and `sendFrom()` rejects with
   * `AbortedError`. Audio already sent stays sent and the stream stays open.
   */
  readonly signal?: AbortSignal;
  /** Time source for realtime pacing. @default systemClock */
  readonly clock?: Clock;
}

/** The audio format fields of a stream's query (both endpoints name them alike). */
export type AudioFormatOptions = Pick<LiveOptions, "encoding" | "sample_rate" | "channels">;

/** What `sendFrom()` needs from the client (each face gives its own `send`). */
export interface AudioSink {
  /** The stream's query (`/v1/listen`'s or Flux's): its audio format paces a raw source. */
  readonly liveOptions: AudioFormatOptions;
  /** Queues one chunk; resolves when the send buffer is under its high-water mark. */
  send(chunk: AudioChunk, signal: AbortSignal | undefined): Promise<void>;
  /**
   * Aborts, with the error to reject with as its reason, when the stream ends: `sendFrom()`
   * settles at once instead of waiting for the source's next chunk.
   */
  readonly ended?: AbortSignal;
  /**
   * Throws the face's error when the stream cannot take audio now (before `start()`, after
   * `finish()`). Called once the arguments are known to be good, before anything is read.
   */
  readonly assertWritable?: () => void;
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Bytes to collect, at most, while looking for a complete WAV header at the start of a source. */
const MAX_HEADER_PROBE_BYTES = 64 * 1024;

/**
 * The audio rate for realtime pacing: from the WAV header at the start of the source if there
 * is one, else from the live options.
 */
function bytesPerSecondFor(firstBytes: Uint8Array, liveOptions: AudioFormatOptions): number {
  const wav = readWavHeader(firstBytes);
  const fromWav =
    wav === undefined
      ? undefined
      : audioBytesPerSecond({ encoding: wav.format, sample_rate: wav.sampleRate, channels: wav.channels });
  if (fromWav !== undefined) return fromWav;
  const fromOptions = audioBytesPerSecond({
    encoding: liveOptions.encoding,
    sample_rate: liveOptions.sample_rate,
    channels: liveOptions.channels,
  });
  if (fromOptions === undefined) {
    throw new OptionsError([
      {
        option: "pace",
        message:
          'pace: "realtime" needs to know the audio rate: send a WAV file, or set encoding (a raw PCM or G.711 encoding) and sample_rate in the live options.',
      },
    ]);
  }
  return fromOptions;
}

/** Whether more bytes are needed to know the format: a WAV header (or its start) not yet complete. */
function headerIncomplete(bytes: Uint8Array): boolean {
  const wave = isRiffWave(bytes);
  if (wave === undefined) return true;
  return wave && readWavHeader(bytes) === undefined;
}

/**
 * Sends every chunk of `source` through `sink`; see {@link SendFromOptions}. Both faces' `sendFrom()`.
 *
 * @example
 * ```ts
 * await sendFrom(createReadStream("call.raw"), { pace: "realtime" }, { liveOptions, send: (chunk) => client.send(chunk) });
 * ```
 */
export async function sendFrom(
  source: AudioSource,
  options: SendFromOptions | undefined,
  sink: AudioSink,
): Promise<void> {
  // Arguments first, then state: a wrong argument is the same error whatever the stream is doing.
  const { pace = "none", clock, signal: own } = checkedOptions(options);
  assertAudioSource(source);
  const ended = sink.ended;
  if (ended?.aborted) throw ended.reason;
  sink.assertWritable?.();
  const signal = ended === undefined || own === undefined ? (own ?? ended) : AbortSignal.any([own, ended]);
  try {
    await pump(source, { pace, signal, clock }, sink);
  } catch (error) {
    // The stream ended: the face's own error (a StateError whose cause closed the stream).
    if (ended?.aborted && !own?.aborted) throw ended.reason;
    throw error;
  }
}

/** `options` as given by plain JavaScript too: an object with a valid `pace`, `signal` and `clock`, or nothing. */
function checkedOptions(options: unknown): SendFromOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const what =
      options === null
        ? "null"
        : Array.isArray(options)
          ? "an array"
          : typeof options === "string"
            ? JSON.stringify(options)
            : `${typeof options} ${String(options)}`;
    throw new OptionsError([
      {
        option: "options",
        message: `sendFrom()'s options must be an object such as { pace: "realtime" }, not ${what}`,
      },
    ]);
  }
  const { pace, signal, clock } = options as Record<string, unknown>;
  const problems: OptionProblem[] = [];
  if (pace !== undefined && pace !== "realtime" && pace !== "none")
    problems.push({ option: "pace", message: `must be "realtime" or "none", not ${JSON.stringify(pace)}` });
  if (signal !== undefined && !(signal instanceof AbortSignal))
    problems.push({ option: "signal", message: "must be an AbortSignal (e.g. AbortSignal.timeout(5000))" });
  const timer = clock as Partial<Clock> | null | undefined;
  if (clock !== undefined && (typeof timer?.now !== "function" || typeof timer.setTimeout !== "function"))
    problems.push({ option: "clock", message: "must be a Clock (now, setTimeout, clearTimeout)" });
  if (problems.length > 0) throw new OptionsError(problems);
  return options as SendFromOptions;
}

async function pump(
  source: AudioSource,
  { pace, signal, clock }: { pace: string; signal: AbortSignal | undefined; clock: Clock | undefined },
  sink: AudioSink,
): Promise<void> {
  if (signal?.aborted) throw abortedError(signal, "sendFrom()");
  const iterator = iterateAudio(source);
  let ended = false;
  let pacer: RealtimePacer | undefined;
  /** Chunks held back while a realtime source's first bytes are probed for a WAV header. */
  let probe: Uint8Array[] = [];
  let probeBytes = 0;

  const sendPaced = async (chunk: Uint8Array): Promise<void> => {
    if (pacer !== undefined) await pacer.pace(chunk.byteLength, signal === undefined ? {} : { signal });
    await sink.send(chunk, signal);
  };
  const startPacing = async (): Promise<void> => {
    const first = concatBytes(probe);
    pacer = new RealtimePacer({
      bytesPerSecond: bytesPerSecondFor(first, sink.liveOptions),
      ...(clock === undefined ? {} : { clock }),
    });
    const held = probe;
    probe = [];
    for (const chunk of held) await sendPaced(chunk);
  };

  try {
    for (;;) {
      const result = await abortable(Promise.resolve(iterator.next()), signal, "sendFrom()");
      if (result.done) {
        ended = true;
        break;
      }
      const frame = toAudioFrame(result.value);
      if (frame === undefined) continue;
      if (pace === "realtime" && pacer === undefined) {
        probe.push(frame);
        probeBytes += frame.byteLength;
        // Wait for the whole header of a WAV source (it may span chunks); anything else is raw audio.
        if (probeBytes < MAX_HEADER_PROBE_BYTES && headerIncomplete(concatBytes(probe))) continue;
        await startPacing();
        continue;
      }
      await sendPaced(frame);
    }
    if (probe.length > 0) await startPacing();
  } finally {
    if (!ended) releaseSource(source, iterator);
  }
}
