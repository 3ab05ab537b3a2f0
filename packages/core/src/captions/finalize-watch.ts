/**
 * The reply to `Finalize` is a `Results` message with `from_finalize: true`. A server may never
 * send one (nothing was buffered, an older server, a dropped message), and captions must not
 * wait for it for ever: after a timeout the caller promotes what it has (see
 * `CaptionStabilizer.promoteAll`). The round trip, when the reply comes, is a latency figure.
 */
import { type Clock, systemClock } from "../clock.ts";
import type { ServerMessage } from "../messages.ts";

/** What a {@link FinalizeWatch} needs. */
export interface FinalizeWatchOptions {
  /** Called once per `Finalize` that got no reply in time. */
  readonly onTimeout: () => void;
  /** How long to wait for the reply, in milliseconds. @default 3000 */
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
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#sentAt = undefined;
      this.#onTimeout();
    }, this.#timeoutMs);
  }

  /**
   * Looks at a server message; for the reply to the pending `Finalize`, stops the timer and
   * returns the round trip in milliseconds.
   */
  observe(message: ServerMessage): number | undefined {
    if (message.type !== "Results" || message.from_finalize !== true || this.#sentAt === undefined) {
      return undefined;
    }
    const roundTrip = this.#clock.now() - this.#sentAt;
    this.cancel();
    return roundTrip;
  }

  /** Stops waiting (the stream is closing). */
  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#sentAt = undefined;
  }
}
