/**
 * Works out what the audio is before connecting: a WAV header at the start of the bytes, or the
 * user's `--encoding/--sample-rate` for raw audio. The query parameters, the byte rate (for
 * real-time pacing and the progress bar) and the duration all follow from it.
 */
import {
  audioBytesPerSecond,
  isRiffWave,
  type LiveOptions,
  readWavHeader,
  type WavInfo,
} from "@earshot/core";
import { type InputKind, sniffKind } from "./input-kind.ts";

/** How far to read looking for the end of a WAV header (LIST chunks can be long). */
const maxHeaderBytes = 1024 * 1024;
/** Enough bytes to tell one container from another. */
const sniffBytes = 512;

/** The source's first bytes looked at (nothing consumed). */
export interface SniffedAudio {
  /** What the bytes are. */
  readonly kind: InputKind;
  readonly wav: WavInfo | undefined;
  /** Why a WAV header could not be used (24-bit, ADPCM…), when it could not. */
  readonly wavProblem: string | undefined;
  /** The whole input was read while sniffing. */
  readonly ended: boolean;
  readonly chunks: AsyncIterable<Uint8Array>;
}

/**
 * Reads just enough of `chunks` to tell what they are (and read a WAV header), then hands back
 * an iterable that replays those bytes followed by the rest.
 */
export async function sniffAudio(chunks: AsyncIterable<Uint8Array>): Promise<SniffedAudio> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  let wav: WavInfo | undefined;
  let wavProblem: string | undefined;
  const joined = () => (head.length === 1 ? (head[0] as Uint8Array) : Buffer.concat(head));
  while (!done) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
    if (headBytes < 12) continue;
    const bytes = joined();
    if (isRiffWave(bytes) !== true) {
      if (headBytes >= sniffBytes) break;
      continue;
    }
    try {
      wav = readWavHeader(bytes);
    } catch (error) {
      // A WAV earshot cannot pace (24-bit, ADPCM…): Deepgram may still read it.
      wavProblem = error instanceof Error ? error.message : String(error);
      break;
    }
    if (wav !== undefined || headBytes >= maxHeaderBytes) break;
  }
  const kind = sniffKind(joined());
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield* head;
      while (!done) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { kind, wav, wavProblem, ended: done, chunks: replay() };
}

/** The stream's format as far as pacing, progress and the query are concerned. */
export interface AudioFormat {
  /** The query: the user's options plus what the audio itself implies. */
  readonly options: LiveOptions;
  /** Bytes of audio per second, when the format says. */
  readonly bytesPerSecond: number | undefined;
  /** Bytes per sample frame (all channels), so chunks never split one. */
  readonly blockAlign: number;
  /** Total seconds of audio, when known. */
  readonly durationSeconds: number | undefined;
  /** Bytes before the audio (the WAV header), not counted as audio. */
  readonly headerBytes: number;
}

/**
 * Combines the user's options with what the bytes show.
 *
 * - WAV: the header gives rate and channels; `encoding`/`sample_rate` stay unset unless the
 *   user set them, since Deepgram reads containerised audio itself.
 * - raw (`--mic`, or `--encoding` + `--sample-rate`): the flags give the rate.
 * - anything else (MP3, Ogg…): passed through unpaced for the server to detect.
 */
export function describeAudio(
  options: LiveOptions,
  wav: WavInfo | undefined,
  totalBytes: number | undefined,
): AudioFormat {
  if (wav !== undefined) {
    const blockAlign = Math.max(1, wav.blockAlign);
    const bytesPerSecond = wav.sampleRate * blockAlign;
    // Streamed WAVs carry a placeholder length (0 or 0xFFFFFFFF): fall back to the file size.
    const plausible = wav.dataLength !== undefined && wav.dataLength > 0 && wav.dataLength < 0xffff_fff0;
    const dataBytes = plausible
      ? wav.dataLength
      : totalBytes !== undefined
        ? totalBytes - wav.dataOffset
        : undefined;
    return {
      options,
      bytesPerSecond,
      blockAlign,
      durationSeconds: dataBytes === undefined ? undefined : dataBytes / bytesPerSecond,
      headerBytes: wav.dataOffset,
    };
  }
  const { encoding, sample_rate: sampleRate } = options;
  const channels = options.channels ?? 1;
  const bytesPerSecond =
    encoding !== undefined && sampleRate !== undefined
      ? audioBytesPerSecond({ encoding, sample_rate: sampleRate, channels })
      : undefined;
  const blockAlign =
    bytesPerSecond !== undefined && sampleRate !== undefined ? bytesPerSecond / sampleRate : 1;
  return {
    options,
    bytesPerSecond,
    blockAlign,
    durationSeconds:
      bytesPerSecond !== undefined && totalBytes !== undefined ? totalBytes / bytesPerSecond : undefined,
    headerBytes: 0,
  };
}
