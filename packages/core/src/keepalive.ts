/**
 * The one keepalive scheduler. Deepgram closes a stream (NET-0001) after about 10 s in which it
 * received nothing; a KeepAlive resets that timer. Audio and control frames reset it just as
 * well, so a KeepAlive is due only after an idle interval in which no frame at all was sent —
 * never on a fixed beat while audio flows.
 */
import { type Clock, systemClock } from "./clock.ts";

/** Default idle interval before a KeepAlive, in ms (the server gives up after 10 s). */
export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = 4_000;

/** How a {@link KeepAliveScheduler} is set up. */
export interface KeepAliveSchedulerInit {
  /** Idle milliseconds (no frame sent) before a KeepAlive is sent. @default 4000 */
  readonly intervalMs?: number;
  /** Sends one KeepAlive frame. Called from a timer; what it throws is passed to `onError`. */
  readonly send: () => void;
  /** Time source. @default systemClock (unref'd timers) */
  readonly clock?: Clock;
  /** Receives what `send` throws; the scheduler keeps going. @default rethrown nowhere (ignored) */
  readonly onError?: (error: unknown) => void;
}

/**
 * Sends a KeepAlive after `intervalMs` in which no frame went out, then again after every
 * further idle interval, until {@link KeepAliveScheduler.stop} — after which it never sends.
 *
 * @example
 * ```ts
 * const keepAlive = new KeepAliveScheduler({ send: () => ws.send(KEEP_ALIVE_FRAME) });
 * keepAlive.start();
 * ws.send(audio); keepAlive.frameSent(); // every frame restarts the idle interval
 * keepAlive.stop();                      // at close, for good
 * ```
 */
export class KeepAliveScheduler {
  readonly #intervalMs: number;
  readonly #send: () => void;
  readonly #clock: Clock;
  readonly #onError: ((error: unknown) => void) | undefined;
  #timer: unknown;
  #lastFrameAt = 0;
  #running = false;
  #stopped = false;

  constructor(init: KeepAliveSchedulerInit) {
    const intervalMs = init.intervalMs ?? DEFAULT_KEEP_ALIVE_INTERVAL_MS;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`keepalive intervalMs must be a positive number; received ${String(intervalMs)}`);
    }
    this.#intervalMs = intervalMs;
    this.#send = init.send;
    this.#clock = init.clock ?? systemClock;
    this.#onError = init.onError;
  }

  /** Whether the scheduler has started and not stopped. */
  get running(): boolean {
    return this.#running;
  }

  /** Starts counting idle time from now. No effect once started or stopped. */
  start(): void {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.#lastFrameAt = this.#clock.now();
    this.#arm(this.#intervalMs);
  }

  /**
   * Records that a frame (audio or control, KeepAlive included) just went out: the idle interval
   * starts again. Cheap enough to call for every frame: it only notes the time; the pending timer
   * re-arms itself for the remainder when it fires.
   */
  frameSent(): void {
    if (!this.#running) return;
    this.#lastFrameAt = this.#clock.now();
  }

  /** Stops for good: clears the timer; no KeepAlive is ever sent afterwards. */
  stop(): void {
    this.#stopped = true;
    this.#running = false;
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#fire(), ms);
  }

  #fire(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const idleFor = this.#clock.now() - this.#lastFrameAt;
    if (idleFor < this.#intervalMs) {
      // A frame went out since the timer was armed: wait out the rest of the new interval.
      this.#arm(this.#intervalMs - idleFor);
      return;
    }
    this.#lastFrameAt = this.#clock.now();
    try {
      this.#send();
    } catch (error) {
      this.#onError?.(error);
    }
    if (this.#running) this.#arm(this.#intervalMs);
  }
}
