/** The options of an `AsyncFluxClient`, and what its iterators shed first when a consumer lags. */
import {
  assertKnownOptions,
  CLIENT_OPTION_NAMES,
  type ClientOptions,
  DEFAULT_REPLY_TIMEOUT_MS,
  type FluxServerMessage,
  type FluxTurn,
  resolveClientOptions,
  resolveReconnectPolicy,
} from "@earshot/core";
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

const OPTION_NAMES = [...CLIENT_OPTION_NAMES, "iteratorBounds", "replyTimeoutMs"];

/** An `AsyncFluxClient`'s options, checked and split into what the client keeps. */
export interface ResolvedFluxClientOptions {
  readonly clientOptions: ClientOptions;
  readonly iteratorBounds: IteratorBounds | undefined;
  readonly replyTimeoutMs: number;
  /** Credentials no error may show (the server's text goes into some). */
  readonly secrets: readonly (string | undefined)[];
}

/**
 * Checks an `AsyncFluxClient`'s options before anything connects.
 * @throws OptionsError for an unknown option (naming the nearest) or one that cannot work;
 *   RangeError for bad reconnect numbers or `replyTimeoutMs`.
 */
export function resolveFluxClientOptions(options: AsyncFluxClientOptions): ResolvedFluxClientOptions {
  assertKnownOptions(options, OPTION_NAMES);
  const { iteratorBounds, replyTimeoutMs, ...clientOptions } = options;
  const resolved = resolveClientOptions(clientOptions);
  resolveReconnectPolicy(clientOptions.reconnect);
  const timeout = replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  if (!(Number.isFinite(timeout) && timeout > 0))
    throw new RangeError(`replyTimeoutMs must be a positive number of ms, not ${String(replyTimeoutMs)}`);
  return {
    clientOptions,
    iteratorBounds,
    replyTimeoutMs: timeout,
    secrets: [resolved.apiKey, resolved.accessToken],
  };
}
