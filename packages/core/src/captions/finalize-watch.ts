/**
 * The reply to `Finalize` is a `Results` message with `from_finalize: true`. A server may never
 * send one (nothing was buffered, an older server, a dropped message), and captions must not
 * wait for it for ever: after a timeout the caller promotes what it has (see
 * `CaptionStabilizer.promoteAll`). The round trip, when the reply comes, is a latency figure.
 *
 * The timeout counts from the server's latest result, not from the `Finalize`: a server still
 * working through audio sent before it (an offline recognizer behind real time) answers every
 * result in turn, and promoting a caption it is about to finalise would print it twice.
 */
import { type Clock, systemClock } from "../clock.ts";
import type { ServerMessage } from "../messages.ts";

/** What a {@link FinalizeWatch} needs. */
export interface FinalizeWatchOptions {
  /** Called once per `Finalize` that got no reply in time. */
  readonly onTimeout: () => void;
  /** How long to wait for the reply after `Finalize` or the latest result, in milliseconds. @default 3000 */
  readonly timeoutMs?: number;
  /** Time source. @default systemClock */
  readonly clock?: Clock;
}

/**
 * Watches for the reply to each `Finalize`.
 *
 * @example
 * ```ts
 * const watch = new FinalizeWatch({ onTimeout: () => stabilizer.promoteAll().forEach(print) });
 * client.finalize();
 * watch.sent();
 * client.on(LiveTranscriptionEvents.Transcript, (result) => {
 *   const roundTripMs = watch.observe(result); // a number for the reply to Finalize
 * });
 * ```
 */
export class FinalizeWatch {
  readonly #onTimeout: () => void;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  #sentAt: number | undefined;
  #timer: unknown;

  constructor(options: FinalizeWatchOptions) {
    this.#onTimeout = options.onTimeout;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#clock = options.clock ?? systemClock;
  }

  /** True while a `Finalize` awaits its reply. */
  get pending(): boolean {
    return this.#sentAt !== undefined;
  }

  /** A `Finalize` just went out: (re)starts the timer. */
  sent(): void {
    this.cancel();
    this.#sentAt = this.#clock.now();
    this.#startTimer();
  }

  /**
   * Looks at a server message; for the reply to the pending `Finalize`, stops the timer and
   * returns the round trip in milliseconds. Any other result while the reply is pending shows
   * the server still at work: the timer starts again.
   */
  observe(message: ServerMessage): number | undefined {
    if (message.type !== "Results" || this.#sentAt === undefined) return undefined;
    if (message.from_finalize !== true) {
      this.#startTimer();
      return undefined;
    }
    const roundTrip = this.#clock.now() - this.#sentAt;
    this.cancel();
    return roundTrip;
  }

  #startTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#sentAt = undefined;
      this.#onTimeout();
    }, this.#timeoutMs);
  }

  /** Stops waiting (the stream is closing). */
  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#sentAt = undefined;
  }
}
