/**
 * Reading a WAV (RIFF/WAVE) header from the first bytes of a stream: enough to know how the
 * samples that follow are encoded and where they start.
 */
import { AudioChunkError } from "../errors.ts";

/** Sample encodings a WAV file may carry that earshot understands. */
export type WavFormat = "linear16" | "linear32" | "float32" | "mulaw" | "alaw";

/** What a WAV header says. */
export interface WavInfo {
  readonly format: WavFormat;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  readonly blockAlign: number;
  /** Offset of the first sample byte. */
  readonly dataOffset: number;
  /** Length of the `data` chunk; undefined when the writer did not know it (streamed WAV: 0 or 0xFFFFFFFF). */
  readonly dataLength: number | undefined;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(
    bytes[offset] ?? 0,
    bytes[offset + 1] ?? 0,
    bytes[offset + 2] ?? 0,
    bytes[offset + 3] ?? 0,
  );
}

/**
 * Whether `bytes` start like a RIFF/WAVE file: true or false once 12 bytes are there,
 * undefined before (not enough to tell).
 */
export function isRiffWave(bytes: Uint8Array): boolean | undefined {
  if (bytes.byteLength < 12) return undefined;
  return fourCC(bytes, 0) === "RIFF" && fourCC(bytes, 8) === "WAVE";
}

function formatOf(tag: number, bits: number): WavFormat | undefined {
  if (tag === WAVE_FORMAT_PCM && bits === 16) return "linear16";
  if (tag === WAVE_FORMAT_PCM && bits === 32) return "linear32";
  if (tag === WAVE_FORMAT_IEEE_FLOAT && bits === 32) return "float32";
  if (tag === WAVE_FORMAT_MULAW && bits === 8) return "mulaw";
  if (tag === WAVE_FORMAT_ALAW && bits === 8) return "alaw";
  return undefined;
}

/**
 * Reads a RIFF/WAVE header: the `fmt ` chunk (plain or `WAVE_FORMAT_EXTENSIBLE`, whose
 * sub-format decides the encoding) and the offset of the `data` chunk, skipping any other
 * chunk on the way (`LIST`, `fact`, `bext`, …).
 *
 * @returns undefined when `bytes` are not a RIFF/WAVE file, or do not yet reach the start of
 *   the `data` chunk (call again with more bytes).
 * @throws AudioChunkError for a WAV whose encoding earshot cannot send (8- or 24-bit PCM,
 *   ADPCM, …), or whose `data` chunk comes before its `fmt ` chunk.
 * @example
 * ```ts
 * const info = readWavHeader(firstBytes);
 * if (info) session.send(firstBytes.subarray(info.dataOffset));
 * ```
 */
export function readWavHeader(bytes: Uint8Array): WavInfo | undefined {
  if (isRiffWave(bytes) !== true) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Omit<WavInfo, "dataOffset" | "dataLength"> | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCC(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "data") {
      if (fmt === undefined)
        throw new AudioChunkError("Invalid WAV: the data chunk comes before the fmt chunk.");
      return { ...fmt, dataOffset: body, dataLength: size === 0 || size === 0xffffffff ? undefined : size };
    }
    if (id === "fmt ") {
      if (body + 16 > bytes.byteLength) return undefined;
      if (size < 16)
        throw new AudioChunkError(`Invalid WAV: the fmt chunk is ${size} bytes long (at least 16 expected).`);
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        // cbSize(2) validBits(2) channelMask(4), then the sub-format GUID whose first two
        // bytes are the real format tag.
        if (size < 40)
          throw new AudioChunkError("Invalid WAV: a WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes.");
        if (body + 26 > bytes.byteLength) return undefined;
        tag = view.getUint16(body + 24, true);
      }
      const format = formatOf(tag, bitsPerSample);
      if (format === undefined) {
        throw new AudioChunkError(
          `Unsupported WAV encoding: format tag 0x${tag.toString(16).padStart(4, "0")} with ${bitsPerSample}-bit samples. Supported: 16- or 32-bit PCM, 32-bit float, 8-bit mu-law or A-law.`,
        );
      }
      if (channels === 0 || sampleRate === 0)
        throw new AudioChunkError("Invalid WAV: zero channels or a zero sample rate.");
      fmt = {
        format,
        sampleRate,
        channels,
        bitsPerSample,
        blockAlign: blockAlign || (channels * bitsPerSample) / 8,
      };
    }
    // RIFF chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  return undefined;
}
