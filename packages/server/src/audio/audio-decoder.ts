/**
 * Turns the binary frames of one session into Int16 samples per channel. Raw encodings use
 * the query's `encoding`/`sample_rate`/`channels`; with no `encoding`, the stream must start
 * with a WAV header, read with core's `readWavHeader`. Frames need not align with samples:
 * a partial sample frame is kept for the next call.
 */
import { readWavHeader } from "@earshot/core";
import { ALAW_TO_LINEAR16, MULAW_TO_LINEAR16 } from "./g711.ts";

/** The sample formats the server can decode. */
export type SampleFormat = "linear16" | "linear32" | "float32" | "mulaw" | "alaw";

/** Audio layout once known. */
export interface AudioFormat {
  readonly sampleFormat: SampleFormat;
  readonly sampleRate: number;
  readonly channels: number;
}

/** Thrown for audio the server cannot decode; the session closes 1008 DATA-0000. */
export class AudioDecodeError extends Error {
  override readonly name = "AudioDecodeError";
}

const BYTES_PER_SAMPLE: Record<SampleFormat, number> = {
  linear16: 2,
  linear32: 4,
  float32: 4,
  mulaw: 1,
  alaw: 1,
};

const RAW_ENCODINGS = new Set<string>(["linear16", "linear32", "mulaw", "alaw"]);
/** A WAV header plus its chunks must fit in this much; more without one is not WAV. */
const MAX_HEADER_BYTES = 64 * 1024;

export interface AudioDecoderInit {
  encoding?: string | undefined;
  sampleRate?: number | undefined;
  channels?: number | undefined;
}

/** Decodes one session's audio frames, in order. */
export class AudioDecoder {
  #format: AudioFormat | undefined;
  #pending: Uint8Array = new Uint8Array(0);
  /** Data bytes still expected after a WAV header that gave its data length. */
  #dataRemaining: number | undefined;
  /** Why every frame will be refused (an encoding this server cannot decode). */
  #unsupported: string | undefined;

  constructor(init: AudioDecoderInit) {
    const { encoding } = init;
    if (encoding === undefined) return; // containerised: wait for the WAV header
    if (!RAW_ENCODINGS.has(encoding)) {
      // Accepted at the handshake as the real API does, refused at the first audio frame.
      this.#unsupported = `encoding "${encoding}" is not supported by this server`;
      return;
    }
    const sampleRate = init.sampleRate;
    if (sampleRate === undefined || !(sampleRate > 0)) {
      this.#unsupported = `encoding "${encoding}" needs a sample_rate`;
      return;
    }
    this.#format = {
      sampleFormat: encoding as SampleFormat,
      sampleRate,
      channels: init.channels !== undefined && init.channels > 0 ? init.channels : 1,
    };
  }

  /** The layout, once known (at once for raw encodings, after the header for WAV). */
  get format(): AudioFormat | undefined {
    return this.#format;
  }

  /**
   * Decodes the next frame. Returns one Int16Array per channel (empty arrays while a header
   * or a partial sample is still incomplete). Throws {@link AudioDecodeError}.
   */
  decode(frame: Uint8Array): Int16Array[] {
    if (this.#unsupported !== undefined) throw new AudioDecodeError(this.#unsupported);
    let bytes = this.#pending.length > 0 ? concat(this.#pending, frame) : frame;
    this.#pending = new Uint8Array(0);
    if (this.#format === undefined) {
      const body = this.#readHeader(bytes);
      if (body === undefined) return [];
      bytes = body;
    }
    const format = this.#format as AudioFormat;
    if (this.#dataRemaining !== undefined) {
      // Chunks after the WAV data (LIST, …) are not audio.
      bytes = bytes.subarray(0, Math.min(bytes.length, this.#dataRemaining));
      this.#dataRemaining -= bytes.length;
    }
    const frameBytes = BYTES_PER_SAMPLE[format.sampleFormat] * format.channels;
    const usable = bytes.length - (bytes.length % frameBytes);
    if (usable < bytes.length) this.#pending = bytes.slice(usable);
    return deinterleave(bytes.subarray(0, usable), format);
  }

  /** Consumes a WAV header; returns the bytes after it, or undefined while incomplete. */
  #readHeader(bytes: Uint8Array): Uint8Array | undefined {
    if (bytes.length >= 4 && ascii(bytes, 0, 4) !== "RIFF") {
      throw new AudioDecodeError("no encoding given and the audio is not a WAV container");
    }
    if (bytes.length >= 12 && ascii(bytes, 8, 12) !== "WAVE") {
      throw new AudioDecodeError("a RIFF container that is not WAVE");
    }
    let info: ReturnType<typeof readWavHeader>;
    try {
      info = readWavHeader(bytes);
    } catch (error) {
      // core refuses WAV layouts it cannot describe (24-bit PCM, compressed formats, …).
      throw new AudioDecodeError(error instanceof Error ? error.message : "the WAV header is invalid");
    }
    if (info === undefined) {
      if (bytes.length > MAX_HEADER_BYTES)
        throw new AudioDecodeError("the WAV header is incomplete or invalid");
      this.#pending = bytes.slice();
      return undefined;
    }
    const expectedBits = BYTES_PER_SAMPLE[info.format] * 8;
    if (info.bitsPerSample !== expectedBits || info.channels < 1 || info.sampleRate < 1) {
      throw new AudioDecodeError(`unsupported WAV format (${info.format}, ${info.bitsPerSample} bits)`);
    }
    this.#format = { sampleFormat: info.format, sampleRate: info.sampleRate, channels: info.channels };
    // 0 and 0xFFFFFFFF are what streaming writers put when they do not know the length.
    if (info.dataLength !== undefined && info.dataLength > 0 && info.dataLength < 0xffffffff) {
      this.#dataRemaining = info.dataLength;
    }
    return bytes.subarray(info.dataOffset);
  }
}

function deinterleave(bytes: Uint8Array, format: AudioFormat): Int16Array[] {
  const { channels, sampleFormat } = format;
  const width = BYTES_PER_SAMPLE[sampleFormat];
  const frames = bytes.length / (width * channels);
  const out: Int16Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Int16Array(frames));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const offset = (i * channels + c) * width;
      (out[c] as Int16Array)[i] = readSample(view, bytes, offset, sampleFormat);
    }
  }
  return out;
}

function readSample(view: DataView, bytes: Uint8Array, offset: number, format: SampleFormat): number {
  switch (format) {
    case "linear16":
      return view.getInt16(offset, true);
    case "linear32":
      return view.getInt32(offset, true) >> 16;
    case "float32": {
      const value = Math.max(-1, Math.min(1, view.getFloat32(offset, true)));
      return Math.round(value * 32767);
    }
    case "mulaw":
      return MULAW_TO_LINEAR16[bytes[offset] as number] as number;
    case "alaw":
      return ALAW_TO_LINEAR16[bytes[offset] as number] as number;
  }
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Averages channels into one (the server transcribes a downmix unless `multichannel`). */
export function downmix(channels: readonly Int16Array[]): Int16Array {
  if (channels.length === 1) return channels[0] as Int16Array;
  const frames = channels[0]?.length ?? 0;
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (const channel of channels) sum += channel[i] as number;
    out[i] = Math.round(sum / channels.length);
  }
  return out;
}
