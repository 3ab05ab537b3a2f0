/**
 * The reconnect policy: which closes are worth another connection, how long to wait before
 * each attempt (exponential backoff with full jitter), and the budget that bounds attempts per
 * outage and in total per time window, so no stream can reconnect forever.
 */
import { type Clock, systemClock } from "../clock.ts";
import { type EarshotError, OptionsError } from "../errors.ts";
import { nearestName } from "../options/known-options.ts";

/** Default connection attempts after one drop before the stream fails. */
export const DEFAULT_RECONNECT_ATTEMPTS = 3;
/** Default base of the backoff before the first attempt, in ms. */
export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 250;
/** Default cap on the backoff between attempts, in ms. */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 4000;
/** Default cap on attempts within one {@link ReconnectOptions.windowMs}. */
export const DEFAULT_RECONNECT_MAX_ATTEMPTS_PER_WINDOW = 10;
/** Default length of the attempt window, in ms. */
export const DEFAULT_RECONNECT_WINDOW_MS = 5 * 60_000;

/**
 * How a stream reconnects after a retryable drop. Every field is optional; `reconnect: true`
 * takes every default. Plain data (no functions but `clock`/`random`), so it crosses to the
 * threaded engine as it is (there `clock` and `random` are the engine's own).
 *
 * @example
 * ```ts
 * new AsyncLiveClient({ reconnect: { attempts: 5, initialDelayMs: 100, maxDelayMs: 2000 } });
 * new LiveClient({ reconnect: true });
 * ```
 */
export interface ReconnectOptions {
  /** Connection attempts after one drop before the stream fails (the count restarts once one opens). @default 3 */
  readonly attempts?: number;
  /** Base of the backoff: attempt n waits a random time in [0, min(maxDelayMs, initialDelayMs × 2^(n-1))). @default 250 */
  readonly initialDelayMs?: number;
  /** The longest wait before one attempt. @default 4000 */
  readonly maxDelayMs?: number;
  /** Attempts allowed in total within `windowMs`, whatever opened in between. @default 10 */
  readonly maxAttemptsPerWindow?: number;
  /** The window of `maxAttemptsPerWindow`, in ms. @default 300000 (5 minutes) */
  readonly windowMs?: number;
  /**
   * Reconnect after the server's idle close (1011 NET-0001) even when there is no audio to
   * replay. Off by default: an idle stream that the server closed has nothing to resume, and
   * reconnecting it would only idle out again (send KeepAlive with `keepAlive: true` instead).
   * @default false
   */
  readonly reconnectWhenIdle?: boolean;
  /** Replay bound: seconds of unacknowledged audio kept for replay (see `ReplayBuffer`). @default 30 */
  readonly replayMaxSeconds?: number;
  /** Time source of the backoff waits and the window (tests pass a fake clock). @default systemClock */
  readonly clock?: Clock;
  /** Source of the jitter, in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** {@link ReconnectOptions} with every default applied. */
export interface ReconnectPolicy {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttemptsPerWindow: number;
  readonly windowMs: number;
  readonly reconnectWhenIdle: boolean;
  readonly replayMaxSeconds: number | undefined;
  readonly clock: Clock;
  readonly random: () => number;
}

/** Every {@link ReconnectOptions} key. */
const RECONNECT_OPTION_NAMES = [
  "attempts",
  "initialDelayMs",
  "maxDelayMs",
  "maxAttemptsPerWindow",
  "windowMs",
  "reconnectWhenIdle",
  "replayMaxSeconds",
  "clock",
  "random",
] as const;

/** Fails to compile when a `ReconnectOptions` key is missing above. */
type UnlistedReconnectOption = Exclude<keyof ReconnectOptions, (typeof RECONNECT_OPTION_NAMES)[number]>;
const everyReconnectOptionListed: [UnlistedReconnectOption] extends [never] ? true : UnlistedReconnectOption =
  true;
void everyReconnectOptionListed;

/** The `reconnect` option is `true`, `false` or an object of known keys: anything else is a mistake. */
function checkShape(option: unknown): asserts option is boolean | ReconnectOptions | undefined {
  if (option === undefined || typeof option === "boolean") return;
  if (option === null || typeof option !== "object" || Array.isArray(option)) {
    const what =
      option === null
        ? "null"
        : Array.isArray(option)
          ? "an array"
          : typeof option === "string"
            ? JSON.stringify(option)
            : `${typeof option} ${String(option)}`;
    throw new OptionsError([
      {
        option: "reconnect",
        message: `must be true, false or an object of reconnect options (e.g. { attempts: 5 }), not ${what}`,
      },
    ]);
  }
  const known: readonly string[] = RECONNECT_OPTION_NAMES;
  const unknown = Object.keys(option).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  throw new OptionsError(
    unknown.map((key) => {
      const nearest = nearestName(key, known);
      return {
        option: `reconnect.${key}`,
        message:
          nearest === undefined
            ? `is not a reconnect option (known: ${known.join(", ")})`
            : `is not a reconnect option; did you mean ${nearest}?`,
      };
    }),
  );
}

/**
 * Resolves the `reconnect` client option; `undefined` when reconnecting is off.
 *
 * @throws OptionsError when it is neither a boolean nor an object, or names an unknown key
 *   (naming the nearest); RangeError for a count that is not a positive integer, a negative
 *   delay or a `replayMaxSeconds` that is not positive; TypeError for a `clock` or `random`
 *   that cannot be used.
 * @example
 * ```ts
 * resolveReconnectPolicy(true)?.attempts; // 3
 * ```
 */
export function resolveReconnectPolicy(
  option: boolean | ReconnectOptions | undefined,
): ReconnectPolicy | undefined {
  checkShape(option);
  if (option === undefined || option === false) return undefined;
  const given = option === true ? {} : option;
  const policy: ReconnectPolicy = {
    attempts: given.attempts ?? DEFAULT_RECONNECT_ATTEMPTS,
    initialDelayMs: given.initialDelayMs ?? DEFAULT_RECONNECT_INITIAL_DELAY_MS,
    maxDelayMs: given.maxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
    maxAttemptsPerWindow: given.maxAttemptsPerWindow ?? DEFAULT_RECONNECT_MAX_ATTEMPTS_PER_WINDOW,
    windowMs: given.windowMs ?? DEFAULT_RECONNECT_WINDOW_MS,
    reconnectWhenIdle: given.reconnectWhenIdle === true,
    replayMaxSeconds: given.replayMaxSeconds,
    clock: given.clock ?? systemClock,
    random: given.random ?? Math.random,
  };
  for (const name of ["attempts", "maxAttemptsPerWindow"] as const) {
    const value = policy[name];
    if (!(Number.isInteger(value) && value > 0)) {
      throw new RangeError(`reconnect.${name} must be a positive integer, not ${String(value)}`);
    }
  }
  for (const name of ["initialDelayMs", "maxDelayMs", "windowMs"] as const) {
    const value = policy[name];
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`reconnect.${name} must be a number >= 0, not ${String(value)}`);
    }
  }
  const seconds = policy.replayMaxSeconds;
  if (seconds !== undefined && !(typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0)) {
    throw new RangeError(`reconnect.replayMaxSeconds must be a positive number, not ${String(seconds)}`);
  }
  if (typeof policy.random !== "function") {
    throw new TypeError("reconnect.random must be a function returning a number in [0, 1)");
  }
  const clock = policy.clock as Partial<Clock> | null;
  if (
    clock === null ||
    typeof clock !== "object" ||
    typeof clock.now !== "function" ||
    typeof clock.setTimeout !== "function" ||
    typeof clock.clearTimeout !== "function"
  ) {
    throw new TypeError("reconnect.clock must be a Clock (now, setTimeout, clearTimeout)");
  }
  return policy;
}

/**
 * The wait before attempt `attempt` (1-based), with full jitter: a random time in
 * [0, min(maxDelayMs, initialDelayMs × 2^(attempt-1))), so many clients dropped at once do not
 * come back in lockstep.
 *
 * @example
 * ```ts
 * backoffDelay({ initialDelayMs: 250, maxDelayMs: 4000, random: () => 0.5 }, 3); // 500
 * ```
 */
export function backoffDelay(
  policy: Pick<ReconnectPolicy, "initialDelayMs" | "maxDelayMs" | "random">,
  attempt: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Whether a close with `error` may be followed by a new connection: only retryable failures
 * that are not aborts, and not the server's idle close when there is nothing to replay (unless
 * the policy asks for it).
 */
export function isReconnectable(
  error: EarshotError | undefined,
  pendingReplayBytes: number,
  policy: Pick<ReconnectPolicy, "reconnectWhenIdle">,
): error is EarshotError {
  if (error?.retryable !== true || error.code === "ERR_ABORTED") return false;
  if (error.dgCode === "NET-0001" && pendingReplayBytes === 0 && !policy.reconnectWhenIdle) return false;
  return true;
}

/**
 * Counts attempts: per outage (restarts when a connection opens) and in a sliding window (never
 * restarts), so a stream that opens and drops again and again still runs out.
 */
export class AttemptBudget {
  readonly #policy: ReconnectPolicy;
  readonly #recent: number[] = [];
  #inOutage = 0;

  constructor(policy: ReconnectPolicy) {
    this.#policy = policy;
  }

  /** Attempts made in the current outage. */
  get inOutage(): number {
    return this.#inOutage;
  }

  /** Takes one attempt if the budget allows it; returns its number within the outage, or 0 when spent. */
  take(): number {
    const now = this.#policy.clock.now();
    while (this.#recent.length > 0 && (this.#recent[0] as number) <= now - this.#policy.windowMs) {
      this.#recent.shift();
    }
    if (this.#inOutage >= this.#policy.attempts) return 0;
    if (this.#recent.length >= this.#policy.maxAttemptsPerWindow) return 0;
    this.#recent.push(now);
    this.#inOutage++;
    return this.#inOutage;
  }

  /** A connection opened: the outage is over. */
  opened(): void {
    this.#inOutage = 0;
  }
}
