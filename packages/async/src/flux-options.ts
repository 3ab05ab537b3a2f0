/** The options of an `AsyncFluxClient`, and what its iterators shed first when a consumer lags. */
import type { ClientOptions, FluxServerMessage, FluxTurn } from "@earshot/core";
import type { IteratorBounds, SheddingPolicy } from "./message-stream.ts";

/**
 * How an {@link AsyncFluxClient} connects and buffers: core's `ClientOptions` (with
 * `reconnect`; `keepAlive` sets the idle ms before a WebSocket ping, default 20000), iterator
 * bounds, and how long requests wait for the server's answer.
 *
 * @example
 * ```ts
 * const options: AsyncFluxClientOptions = { apiKey: process.env.DEEPGRAM_API_KEY, reconnect: true, replyTimeoutMs: 5000 };
 * ```
 */
export interface AsyncFluxClientOptions extends ClientOptions {
  /**
   * Bounds of each `for await` iterator's buffer. A consumer of messages that falls behind
   * first loses `Update`s, then fails with `SlowConsumerError`.
   * @default { maxMessages: 1000, maxBytes: 16 MiB }
   */
  readonly iteratorBounds?: IteratorBounds;
  /** How long `configure()` and `forceEndTurn()` wait for the server's answer, in ms. @default 10000 */
  readonly replyTimeoutMs?: number;
}

/** Messages: Updates go first (each one's transcript is repeated by the next). */
export const FLUX_SHEDDING: SheddingPolicy<FluxServerMessage> = {
  droppable: (message) => message.type === "TurnInfo" && message.event === "Update",
  advice: "or iterate turns() instead",
};

/** Turns: nothing is redundant. */
export const TURN_SHEDDING: SheddingPolicy<FluxTurn> = {
  droppable: () => false,
  advice: "or read the turns faster",
};
