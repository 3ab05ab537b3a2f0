/**
 * `ReplayBuffer`: the bounded record of audio sent but not yet covered by a final result, so a
 * client that loses its connection can open a new stream, send that audio again and re-base
 * the new stream's timestamps onto the old timeline.
 *
 * The server sends no acknowledgements: the end of the last final result (`start + duration`)
 * is the only evidence of how much audio it has fully processed (docs/protocol.md §6). Everything
 * after that point is kept here, up to a bound; past the bound the oldest bytes are dropped
 * and the loss is counted ({@link ReplayBuffer.droppedBytes}, {@link ReplayPending.lostBytes}).
 *
 * Replay needs a fixed byte rate, so it only works for raw audio whose `encoding` and
 * `sample_rate` are given: containerised or compressed audio (WAV without `encoding`, opus,
 * flac, …) cannot be cut at a time position, and {@link ReplayBuffer.forOptions} refuses it.
 */
import { audioBytesPerSecond } from "./audio/rate.ts";
import { OptionsError } from "./errors.ts";
import type { LiveOptions } from "./options.ts";

/** Default bound on the audio a {@link ReplayBuffer} keeps, in seconds. */
export const DEFAULT_REPLAY_MAX_SECONDS = 30;
/** Default bound on the audio a {@link ReplayBuffer} keeps, in bytes: 4 MiB. */
export const DEFAULT_REPLAY_MAX_BYTES = 4 * 1024 * 1024;

/** How a {@link ReplayBuffer} measures and bounds audio. */
export interface ReplayBufferOptions {
  /** Bytes of one second of audio (see `audioBytesPerSecond`). */
  readonly bytesPerSecond: number;
  /** Bytes of one sample frame (bytes per sample × channels); cuts never split a frame. @default 1 */
  readonly frameBytes?: number;
  /** Keep at most this many seconds of unacknowledged audio. @default 30 */
  readonly maxSeconds?: number;
  /** Keep at most this many bytes of unacknowledged audio (the smaller bound wins). @default 4 MiB */
  readonly maxBytes?: number;
}

/** The audio to send again after a reconnect, and where it sits on the stream's timeline. */
export interface ReplayPending {
  /** The unacknowledged audio still held, oldest first (copies: safe to send). */
  readonly chunks: readonly Uint8Array[];
  /** Total bytes in `chunks`. */
  readonly bytes: number;
  /**
   * Seconds of audio before the first replayed byte: add it to every timestamp of a stream
   * that starts with this replay to put it on the original timeline.
   */
  readonly offsetSeconds: number;
  /**
   * Bytes that were never covered by a final result and were dropped over the bound: audio the
   * new stream will not hear (0 when nothing was lost).
   */
  readonly lostBytes: number;
  /** `lostBytes` in seconds of audio. */
  readonly lostSeconds: number;
}

/**
 * Records the audio sent on a stream (by byte offset from the stream's start), trims what final
 * results acknowledge, and hands back what must be replayed after a reconnect.
 *
 * @example
 * ```ts
 * const replay = ReplayBuffer.forOptions({ encoding: "linear16", sample_rate: 16000 });
 * replay.record(chunk);                                  // every chunk sent
 * replay.acknowledge(result.start + result.duration);    // every final Results
 * const { chunks, offsetSeconds } = replay.pending();    // after a drop: send chunks first,
 * // then add offsetSeconds to every timestamp of the new stream
 * ```
 */
export class ReplayBuffer {
  /** Bytes of one second of audio. */
  readonly bytesPerSecond: number;
  readonly #frameBytes: number;
  /** The bound actually applied: the smaller of `maxSeconds` and `maxBytes`, in whole frames. */
  readonly maxBytes: number;
  #chunks: Uint8Array[] = [];
  /** Index of the first live chunk in `#chunks` (compacted now and then). */
  #head = 0;
  /** Bytes held. */
  #held = 0;
  /** Stream byte offset of the first byte held. */
  #startOffset = 0;
  /** Stream bytes recorded so far. */
  #recorded = 0;
  /** Stream bytes acknowledged by final results. */
  #acknowledged = 0;
  #dropped = 0;

  /**
   * @throws RangeError when `bytesPerSecond`, `frameBytes`, `maxSeconds` or `maxBytes` is not
   *   positive, or the bound holds less than one frame.
   */
  constructor(options: ReplayBufferOptions) {
    const { bytesPerSecond } = options;
    const frameBytes = options.frameBytes ?? 1;
    const maxSeconds = options.maxSeconds ?? DEFAULT_REPLAY_MAX_SECONDS;
    const maxBytes = options.maxBytes ?? DEFAULT_REPLAY_MAX_BYTES;
    for (const [name, value] of Object.entries({ bytesPerSecond, frameBytes, maxSeconds, maxBytes })) {
      if (!(Number.isFinite(value) && value > 0)) {
        throw new RangeError(`ReplayBuffer: ${name} must be a positive number, got ${String(value)}`);
      }
    }
    if (!Number.isInteger(frameBytes)) throw new RangeError("ReplayBuffer: frameBytes must be an integer");
    this.bytesPerSecond = bytesPerSecond;
    this.#frameBytes = frameBytes;
    const bound = Math.min(maxSeconds * bytesPerSecond, maxBytes);
    this.maxBytes = Math.floor(bound / frameBytes) * frameBytes;
    if (this.maxBytes < frameBytes) throw new RangeError("ReplayBuffer: the bound holds less than one frame");
  }

  /**
   * A buffer for a stream with these live options: the byte rate comes from `encoding`,
   * `sample_rate` and `channels`.
   *
   * @throws OptionsError when the options give no fixed byte rate (containerised or compressed
   *   audio, or no `encoding`/`sample_rate`): such audio cannot be replayed from a time position.
   * @example
   * ```ts
   * ReplayBuffer.forOptions({ encoding: "linear16", sample_rate: 16000 }, { maxSeconds: 10 });
   * ```
   */
  static forOptions(
    options: LiveOptions,
    bounds: Pick<ReplayBufferOptions, "maxSeconds" | "maxBytes"> = {},
  ): ReplayBuffer {
    const info = options as { encoding?: string; sample_rate?: number; channels?: number };
    const bytesPerSecond = audioBytesPerSecond(info);
    if (bytesPerSecond === undefined || info.sample_rate === undefined) {
      throw new OptionsError([
        {
          option: "reconnect",
          message:
            "reconnecting replays audio from a time position, which needs raw audio with a fixed byte rate: set encoding (linear16, linear32, float32, mulaw or alaw) and sample_rate. Containerised or compressed audio cannot be replayed.",
        },
      ]);
    }
    return new ReplayBuffer({
      bytesPerSecond,
      frameBytes: bytesPerSecond / info.sample_rate,
      ...bounds,
    });
  }

  /** Bytes held for replay now. */
  get bufferedBytes(): number {
    return this.#held;
  }

  /** Bytes recorded since the stream began. */
  get recordedBytes(): number {
    return this.#recorded;
  }

  /** Seconds of audio acknowledged by final results. */
  get acknowledgedSeconds(): number {
    return this.#acknowledged / this.bytesPerSecond;
  }

  /** Bytes dropped over the bound since the stream began (some may have been acknowledged later). */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /**
   * Records one chunk just sent (copied: the caller may reuse its buffer). Over the bound the
   * oldest bytes are dropped.
   *
   * @returns the bytes dropped by this call (0 mostly).
   */
  record(chunk: Uint8Array): number {
    if (chunk.byteLength === 0) return 0;
    this.#chunks.push(chunk.slice());
    this.#held += chunk.byteLength;
    this.#recorded += chunk.byteLength;
    if (this.#held <= this.maxBytes) return 0;
    const before = this.#dropped;
    this.#trimTo(this.#recorded - this.maxBytes, true);
    return this.#dropped - before;
  }

  /**
   * The server has fully processed the audio up to `seconds` from the stream's start (the end
   * of a final result): that audio is released. Earlier positions than one already
   * acknowledged are ignored.
   */
  acknowledge(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds <= 0) return;
    // Whole frames, forgiving float noise (1.2 s × 16 kHz must be frame 19200, not 19199).
    const frames = Math.floor((seconds * this.bytesPerSecond) / this.#frameBytes + 1e-6);
    const offset = Math.min(frames * this.#frameBytes, this.#recorded);
    if (offset <= this.#acknowledged) return;
    this.#acknowledged = offset;
    this.#trimTo(offset, false);
  }

  /** The audio to send first on a new stream, and its place on the timeline. */
  pending(): ReplayPending {
    const chunks = this.#chunks.slice(this.#head);
    const lostBytes = Math.max(0, this.#startOffset - this.#acknowledged);
    return {
      chunks,
      bytes: this.#held,
      offsetSeconds: this.#startOffset / this.bytesPerSecond,
      lostBytes,
      lostSeconds: lostBytes / this.bytesPerSecond,
    };
  }

  /** Releases every byte held before stream offset `target` (rounded up to a whole frame when dropping over the bound). */
  #trimTo(target: number, dropping: boolean): void {
    let offset = target;
    if (dropping) offset = Math.ceil(offset / this.#frameBytes) * this.#frameBytes;
    let release = Math.min(offset - this.#startOffset, this.#held);
    if (release <= 0) return;
    // Acknowledged bytes are trimmed as soon as they are acknowledged: whatever is held is not.
    if (dropping) this.#dropped += release;
    this.#held -= release;
    this.#startOffset += release;
    while (release > 0) {
      const first = this.#chunks[this.#head] as Uint8Array;
      if (first.byteLength <= release) {
        release -= first.byteLength;
        this.#head++;
      } else {
        this.#chunks[this.#head] = first.subarray(release);
        release = 0;
      }
    }
    if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}
