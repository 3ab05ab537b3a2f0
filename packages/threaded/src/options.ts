/** The options of a `LiveClient`. */
import type { MessagePort } from "node:worker_threads";
import {
  CLIENT_OPTION_NAMES,
  type ClientOptions,
  type OptionProblem,
  OptionsError,
  resolveReconnectPolicy,
} from "@earshot/core";

/** How a {@link LiveClient} connects; every `ClientOptions` field (with `reconnect`) applies too. */
export interface LiveClientOptions extends ClientOptions {
  /**
   * A port served by `serveLiveSessions` on a thread you own: sessions run there
   * instead of on the pool's engine worker.
   * @default the process-wide engine pool
   */
  engine?: MessagePort;
  /**
   * Bytes of the shared ring that carries audio to the engine (rounded up to a power of two,
   * 4 KiB–64 MiB). When it is full, `send()` waits for room.
   * @default 262144 (about 8 s of 16 kHz linear16)
   */
  ringBytes?: number;
  /** How long `send()` (and the control methods) may wait for ring room before returning false. @default 10000 */
  sendTimeoutMs?: number;
  /**
   * Events the engine may hold for this thread while it is busy; beyond that the stream is
   * closed with a SlowConsumerError rather than growing memory without bound. (`finish()`
   * takes events while it waits, so a server's flush never counts against it.)
   * @default 10000
   */
  maxBufferedEvents?: number;
  /** Sets the engine pool's size (see `setEnginePoolSize`); ignored with `engine`. @default the number of cores, at most 8 */
  poolSize?: number;
  /**
   * The engine worker's module, for applications whose bundler moved `@earshot/threaded` away
   * from its `engine-worker.js`: a path, a `file:` URL (your bundle of the
   * `@earshot/threaded/engine-worker` entry), or the `data:` URL of the inlined worker
   * (`inlineEngineWorker()` from `@earshot/threaded/inline-engine-worker`). The session runs on
   * a pool worker started from that module. Ignored with `engine`.
   * @default the URL set with `setEngineWorkerUrl()`, else the engine-worker.js beside this package's module
   * @example
   * ```ts
   * new LiveClient({ engineWorkerFile: new URL("./engine-worker.js", import.meta.url) });
   * ```
   */
  engineWorkerFile?: string | URL;
}

/**
 * How a {@link FluxClient} connects: everything a `LiveClient` takes (`keepAlive` sets the idle
 * ms before a WebSocket ping, default 20000), and how long requests wait for an answer.
 *
 * @example
 * ```ts
 * const options: FluxClientOptions = { apiKey: process.env.DEEPGRAM_API_KEY, reconnect: true, replyTimeoutMs: 5000 };
 * ```
 */
export interface FluxClientOptions extends LiveClientOptions {
  /** How long `configure()` and `forceEndTurn()` block waiting for the server's answer, in ms. @default 10000 */
  replyTimeoutMs?: number;
}

/** Every option name a `LiveClient` knows beyond core's. */
export const LIVE_CLIENT_OPTION_NAMES = [
  "engine",
  "ringBytes",
  "sendTimeoutMs",
  "maxBufferedEvents",
  "poolSize",
  "engineWorkerFile",
];

function positiveNumber(value: unknown, integer: boolean): boolean {
  return (
    typeof value === "number" && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value))
  );
}

/**
 * Checks the options only a `LiveClient` has (core checks the rest).
 *
 * @throws OptionsError naming each that cannot work.
 */
export function checkLiveClientOptions(options: LiveClientOptions): void {
  const { engine, ringBytes, sendTimeoutMs, maxBufferedEvents, poolSize } = options;
  const problems: OptionProblem[] = [];
  if (engine !== undefined && typeof (engine as { postMessage?: unknown } | null)?.postMessage !== "function")
    problems.push({ option: "engine", message: "must be a MessagePort served by serveLiveSessions" });
  if (ringBytes !== undefined && !positiveNumber(ringBytes, false))
    problems.push({
      option: "ringBytes",
      message: `must be a positive number of bytes, not ${String(ringBytes)}`,
    });
  if (sendTimeoutMs !== undefined && !positiveNumber(sendTimeoutMs, false))
    problems.push({
      option: "sendTimeoutMs",
      message: `must be a positive number of ms, not ${String(sendTimeoutMs)}`,
    });
  if (maxBufferedEvents !== undefined && !positiveNumber(maxBufferedEvents, true))
    problems.push({
      option: "maxBufferedEvents",
      message: `must be a positive whole number, not ${String(maxBufferedEvents)}`,
    });
  if (poolSize !== undefined && !positiveNumber(poolSize, true))
    problems.push({
      option: "poolSize",
      message: `must be a positive whole number, not ${String(poolSize)}`,
    });
  if (problems.length > 0) throw new OptionsError(problems);
}

/** Every option name a `FluxClient` knows. */
export const FLUX_CLIENT_OPTION_NAMES: readonly string[] = [
  ...CLIENT_OPTION_NAMES,
  ...LIVE_CLIENT_OPTION_NAMES,
  "replyTimeoutMs",
];

/**
 * The client options as they cross to the engine: the reconnect policy checked here, without
 * its functions (the engine uses its own clock and jitter), and the API key resolved on this
 * thread (the engine may not see this thread's environment).
 */
export function engineClientOptions(
  options: ClientOptions,
  resolvedApiKey: string | undefined,
): ClientOptions {
  resolveReconnectPolicy(options.reconnect);
  const given = options.reconnect;
  const { clock: _clock, random: _random, ...reconnect } = typeof given === "object" ? given : {};
  const needsKey =
    options.apiKey === undefined && options.accessToken === undefined && resolvedApiKey !== undefined;
  return {
    ...options,
    ...(typeof given === "object" ? { reconnect } : {}),
    ...(needsKey ? { apiKey: resolvedApiKey } : {}),
  };
}
