/**
 * Sending a file "as if live": holds audio back so that it goes out no faster than it would be
 * spoken, as a microphone would deliver it. Deepgram's timing (interim results about once a
 * second, endpointing) assumes audio arrives at real-time speed.
 */
import { execute, isAbortError } from "abort-controller-x";
import { type Clock, systemClock } from "../clock.ts";
import { AbortedError } from "../errors.ts";

/** How a {@link RealtimePacer} is set up. */
export interface RealtimePacerInit {
  /** Audio bytes per second (see `audioBytesPerSecond`). */
  readonly bytesPerSecond: number;
  /**
   * Audio that may go out ahead of real time, in ms: the first chunks leave at once, so the
   * server has something to work on while the rest is paced. @default 250
   */
  readonly burstMs?: number;
  /** Time source. @default systemClock */
  readonly clock?: Clock;
}

/**
 * Keeps the bytes sent at or under `elapsed × bytesPerSecond` plus a burst allowance.
 * Time starts at the first {@link RealtimePacer.pace} (or {@link RealtimePacer.reserve}).
 *
 * @example
 * ```ts
 * const pacer = new RealtimePacer({ bytesPerSecond: 32000 });
 * for (const frame of chunkAudio(pcm, 3200)) {
 *   await pacer.pace(frame.byteLength, { signal });
 *   session.send(frame);
 * }
 * ```
 */
export class RealtimePacer {
  readonly #bytesPerMs: number;
  readonly #burstBytes: number;
  readonly #clock: Clock;
  #startedAt: number | undefined;
  #sentBytes = 0;

  constructor(init: RealtimePacerInit) {
    if (!(init.bytesPerSecond > 0) || !Number.isFinite(init.bytesPerSecond)) {
      throw new RangeError(
        `bytesPerSecond must be a positive number; received ${String(init.bytesPerSecond)}`,
      );
    }
    const burstMs = init.burstMs ?? 250;
    if (!(burstMs >= 0) || !Number.isFinite(burstMs)) {
      throw new RangeError(`burstMs must be a non-negative number; received ${String(burstMs)}`);
    }
    this.#bytesPerMs = init.bytesPerSecond / 1000;
    this.#burstBytes = burstMs * this.#bytesPerMs;
    this.#clock = init.clock ?? systemClock;
  }

  /** Bytes accounted for so far. */
  get sentBytes(): number {
    return this.#sentBytes;
  }

  /**
   * Counts `bytes` as sent and returns how many ms to wait before sending them (0 when they
   * are within the allowance). For callers that wait by their own means.
   */
  reserve(bytes: number): number {
    const now = this.#clock.now();
    this.#startedAt ??= now;
    this.#sentBytes += bytes;
    const dueAt = this.#startedAt + (this.#sentBytes - this.#burstBytes) / this.#bytesPerMs;
    return Math.max(0, dueAt - now);
  }

  /**
   * Waits until `bytes` more can be sent without getting ahead of real time, and counts them.
   * Rejects with `AbortedError` when `signal` aborts (the bytes stay counted).
   */
  async pace(bytes: number, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const waitMs = this.reserve(bytes);
    const { signal } = opts;
    if (signal?.aborted) throw new AbortedError("Pacing was aborted.", { cause: signal.reason });
    if (waitMs <= 0) return;
    const clock = this.#clock;
    if (!signal) {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, waitMs));
      return;
    }
    try {
      await execute<void>(signal, (resolve) => {
        const timer = clock.setTimeout(() => resolve(), waitMs);
        return () => clock.clearTimeout(timer);
      });
    } catch (error) {
      // abort-controller-x rejects with an AbortError, or with the signal's own reason.
      if (signal.aborted || isAbortError(error))
        throw new AbortedError("Pacing was aborted.", { cause: signal.reason });
      throw error;
    }
  }

  /** Starts over: time restarts at the next call, nothing counted. */
  reset(): void {
    this.#startedAt = undefined;
    this.#sentBytes = 0;
  }
}
