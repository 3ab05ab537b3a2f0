/**
 * Where the bytes sent so far end on the stream's timeline (seconds of audio), for the
 * diagnostics' `streamSeconds` and audio end → final latency. Raw audio has its rate in the
 * live options; a WAV stream sent without `encoding`/`sample_rate` (Deepgram reads the header
 * itself, so the CLI and most callers send it that way) has it in its header, which this reads
 * from the first bytes — and whose bytes are no audio time.
 */
import { audioBytesPerSecond } from "../audio/rate.ts";
import { isRiffWave, readWavHeader } from "../audio/wav-header.ts";

/** Bytes collected, at most, while waiting for a complete WAV header (as `sendFrom` does). */
const MAX_HEADER_PROBE_BYTES = 64 * 1024;

export class AudioTimeline {
  #bytesPerSecond: number | undefined;
  /** Bytes before the first sample (a WAV header). */
  #headerBytes = 0;
  /** The stream's first bytes while its WAV header is incomplete; undefined once decided. */
  #probe: Uint8Array[] | undefined;
  #probed = 0;

  /**
   * @param options the stream's live options: `encoding` and `sample_rate` (and `channels`)
   *   give the rate of raw audio; without them the start of the audio is read for a WAV header.
   * @example
   * ```ts
   * const timeline = new AudioTimeline({ encoding: "linear16", sample_rate: 16000 });
   * timeline.observe(frame);
   * timeline.secondsAt(32_000); // 1
   * ```
   */
  constructor(options: { encoding?: string; sample_rate?: number; channels?: number }) {
    this.#bytesPerSecond = audioBytesPerSecond(options);
    if (this.#bytesPerSecond === undefined) this.#probe = [];
  }

  /** Whether stream time may still become known (it is known, or the header is still coming). */
  get measurable(): boolean {
    return this.#bytesPerSecond !== undefined || this.#probe !== undefined;
  }

  /** Looks at the next frame sent (only the first ones matter: the header is at the start). */
  observe(frame: Uint8Array): void {
    const probe = this.#probe;
    if (probe === undefined) return;
    // A copy: the caller may reuse its buffer once the frame is sent.
    probe.push(new Uint8Array(frame));
    this.#probed += frame.byteLength;
    const bytes = probe.length === 1 ? frame : concat(probe, this.#probed);
    let header: ReturnType<typeof readWavHeader>;
    try {
      header = readWavHeader(bytes);
    } catch {
      // A WAV earshot cannot decode (24-bit, ADPCM…): the server will say so; no stream time here.
      this.#probe = undefined;
      return;
    }
    if (header !== undefined) {
      this.#probe = undefined;
      this.#headerBytes = header.dataOffset;
      this.#bytesPerSecond = audioBytesPerSecond({
        encoding: header.format,
        sample_rate: header.sampleRate,
        channels: header.channels,
      });
      return;
    }
    if (isRiffWave(bytes) === false || this.#probed >= MAX_HEADER_PROBE_BYTES) this.#probe = undefined;
  }

  /** Seconds of audio in the first `totalBytes` bytes of the stream; undefined while unknown. */
  secondsAt(totalBytes: number): number | undefined {
    const rate = this.#bytesPerSecond;
    if (rate === undefined) return undefined;
    return Math.max(0, totalBytes - this.#headerBytes) / rate;
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
