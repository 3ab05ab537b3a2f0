/**
 * The reconnect policy of an `AsyncLiveClient`: which closes are worth another connection, how
 * long to wait before each attempt (exponential backoff), and the wait itself on an injectable
 * clock that the client's abort cancels.
 */
import {
  type Clock,
  DEFAULT_REPLAY_MAX_BYTES,
  type EarshotError,
  type LiveOptions,
  OptionsError,
  ReplayBuffer,
  systemClock,
} from "@earshot/core";
import { execute } from "abort-controller-x";

/** Default number of connection attempts after one drop before giving up. */
export const DEFAULT_RECONNECT_ATTEMPTS = 3;
/** Default wait before the first attempt, in ms. */
export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 250;
/** Default cap on the wait between attempts, in ms. */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 4000;

/**
 * How an `AsyncLiveClient` reconnects after a retryable drop. Every field is optional.
 *
 * @example
 * ```ts
 * new AsyncLiveClient({ reconnect: { attempts: 5, initialDelayMs: 100, maxDelayMs: 2000 } });
 * ```
 */
export interface ReconnectOptions {
  /** Connection attempts after one drop before the stream fails (the count restarts once one opens). @default 3 */
  readonly attempts?: number;
  /** Wait before the first attempt; each further attempt waits twice as long. @default 250 */
  readonly initialDelayMs?: number;
  /** The longest wait between two attempts. @default 4000 */
  readonly maxDelayMs?: number;
  /** Replay bound: seconds of unacknowledged audio kept for replay (see core's `ReplayBuffer`). @default 30 */
  readonly replayMaxSeconds?: number;
  /** Time source of the backoff waits (tests pass a fake clock). @default systemClock */
  readonly clock?: Clock;
}

/** {@link ReconnectOptions} with every default applied. */
export interface ReconnectPolicy {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly replayMaxSeconds: number | undefined;
  readonly clock: Clock;
}

/**
 * What a reconnect did, published on {@link RECONNECT_DIAGNOSTICS_CHANNEL} and kept as the
 * client's `lastReconnect`.
 */
export interface ReconnectInfo {
  /** Reconnects of this stream so far, this one included. */
  readonly reconnects: number;
  /** Which attempt after the drop opened (1 = the first). */
  readonly attempt: number;
  /** Why the previous connection ended. */
  readonly error: EarshotError;
  /** Bytes of audio sent again on the new connection. */
  readonly replayedBytes: number;
  /** Seconds added to the new connection's timestamps. */
  readonly offsetSeconds: number;
  /**
   * Seconds of audio the server never confirmed and the replay bound had already dropped: the
   * new connection does not hear them (0 unless more than the bound went unacknowledged).
   */
  readonly lostSeconds: number;
  /** The new connection's `dg-request-id`. */
  readonly requestId: string | undefined;
}

/** `node:diagnostics_channel` name on which every reconnect publishes its {@link ReconnectInfo}. */
export const RECONNECT_DIAGNOSTICS_CHANNEL = "earshot:async:reconnect";

/**
 * Resolves the `reconnect` client option; `undefined` when reconnecting is off.
 *
 * @throws RangeError for an attempt count that is not a positive integer or a negative delay.
 */
export function resolveReconnect(
  option: boolean | ReconnectOptions | undefined,
): ReconnectPolicy | undefined {
  if (option === undefined || option === false) return undefined;
  const given = option === true ? {} : option;
  const attempts = given.attempts ?? DEFAULT_RECONNECT_ATTEMPTS;
  const initialDelayMs = given.initialDelayMs ?? DEFAULT_RECONNECT_INITIAL_DELAY_MS;
  const maxDelayMs = given.maxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS;
  if (!(Number.isInteger(attempts) && attempts > 0)) {
    throw new RangeError("reconnect.attempts must be a positive integer");
  }
  for (const [name, value] of [
    ["initialDelayMs", initialDelayMs],
    ["maxDelayMs", maxDelayMs],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`reconnect.${name} must be >= 0`);
  }
  return {
    attempts,
    initialDelayMs,
    maxDelayMs,
    replayMaxSeconds: given.replayMaxSeconds,
    clock: given.clock ?? systemClock,
  };
}

/** Whether a close with `error` may be followed by a new connection: only retryable failures. */
export function isReconnectable(error: EarshotError | undefined): error is EarshotError {
  return error?.retryable === true && error.code !== "ERR_ABORTED";
}

/**
 * The wait before attempt `attempt` (1-based): `initialDelayMs × 2^(attempt-1)`, capped at
 * `maxDelayMs`.
 *
 * @example
 * ```ts
 * backoffDelay(policy, 3); // 1000 with the defaults
 * ```
 */
export function backoffDelay(
  policy: Pick<ReconnectPolicy, "initialDelayMs" | "maxDelayMs">,
  attempt: number,
): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
}

/** Resolves after `ms` on `clock`; rejects with abort-controller-x's `AbortError` when `signal` aborts. */
export function waitOnClock(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return execute<void>(signal, (resolve) => {
    const handle = clock.setTimeout(() => resolve(), ms);
    return () => clock.clearTimeout(handle);
  });
}

/**
 * The replay buffer for a reconnecting stream with these live options. It holds at most half of
 * `maxPendingBytes`, so the replay always fits in a new connection's pre-open backlog.
 *
 * @throws OptionsError for audio that cannot be replayed (no fixed byte rate) and for
 *   `multichannel` (each channel acknowledges its audio separately).
 */
export function replayBufferFor(
  options: LiveOptions,
  policy: ReconnectPolicy,
  maxPendingBytes: number,
): ReplayBuffer {
  if ((options as { multichannel?: unknown }).multichannel === true) {
    throw new OptionsError([
      {
        option: "reconnect",
        message:
          "reconnecting is not supported with multichannel: each channel acknowledges its audio separately.",
      },
    ]);
  }
  return ReplayBuffer.forOptions(options, {
    maxBytes: Math.min(DEFAULT_REPLAY_MAX_BYTES, Math.floor(maxPendingBytes / 2)),
    ...(policy.replayMaxSeconds === undefined ? {} : { maxSeconds: policy.replayMaxSeconds }),
  });
}
