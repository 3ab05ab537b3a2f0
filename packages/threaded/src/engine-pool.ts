/**
 * The process-wide pool of engine workers. One worker hosts every threaded session by default:
 * a thousand streams must not mean a thousand threads. Workers start lazily on the first
 * `start()`, are unref'd (a session's own port keeps the process alive while it is open, the
 * worker never does), and a worker that exits fails its sessions and is replaced on demand.
 */

import type { Worker } from "node:worker_threads";
import { startPackageWorker } from "@earshot/core/workers";
import type { CrashRequest, OpenSessionRequest } from "./port-protocol.ts";

/** What the pool tells a session whose worker exited. */
export interface PooledSession {
  engineExited(exitCode: number | undefined): void;
}

/** A session's hold on one pool worker. */
export interface EngineLease {
  /** Sends the session request to the worker, transferring its port. */
  open(request: OpenSessionRequest): void;
  /** The session is over: the worker no longer counts it. */
  release(): void;
  /**
   * The session found its engine gone (its port closed with no close report): the worker is
   * dying, so no new session may be placed on it, even before its 'exit' event arrives.
   */
  engineLost(): void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly sessions: Set<PooledSession>;
  readonly exited: Promise<void>;
}

/** Figures about the pool, for monitoring and for tests that check nothing is left running. */
export interface EnginePoolStats {
  /** Engine worker threads running now (including any still shutting down). */
  readonly workers: number;
  /** Sessions those workers host. */
  readonly sessions: number;
  /** The most workers the pool starts. */
  readonly size: number;
}

const workers: PoolWorker[] = [];
/** Workers taken out of the pool whose thread has not exited yet. */
const dying = new Set<PoolWorker>();
let poolSize = 1;

/**
 * Sets how many engine workers the pool may start (sessions are spread over them, least
 * loaded first). Workers already running stay.
 *
 * @param size - an integer ≥ 1. @default 1
 * @example
 * ```ts
 * setEnginePoolSize(2); // two engine threads for many concurrent streams on a busy machine
 * ```
 */
export function setEnginePoolSize(size: number): void {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`The engine pool size must be an integer ≥ 1, got ${size}.`);
  poolSize = size;
}

function spawn(): PoolWorker {
  const worker = startPackageWorker(import.meta.url, "engine-worker", { name: "earshot-engine" });
  // A session's port keeps the process alive while the session is open; the worker never does.
  worker.unref();
  const sessions = new Set<PooledSession>();
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", (exitCode) => {
      retire(entry);
      dying.delete(entry);
      for (const session of [...sessions]) session.engineExited(exitCode);
      sessions.clear();
      resolve();
    });
  });
  // Without a listener an 'error' event would be thrown on this thread; 'exit' follows it and
  // fails the sessions.
  worker.on("error", () => undefined);
  const entry: PoolWorker = { worker, sessions, exited };
  workers.push(entry);
  return entry;
}

/** Takes a worker out of the pool at once, so no new session lands on a dying thread. */
function retire(entry: PoolWorker): void {
  const index = workers.indexOf(entry);
  if (index >= 0) {
    workers.splice(index, 1);
    dying.add(entry);
  }
}

function pick(): PoolWorker {
  let best: PoolWorker | undefined;
  for (const candidate of workers) {
    if (best === undefined || candidate.sessions.size < best.sessions.size) best = candidate;
  }
  if (best === undefined || (best.sessions.size > 0 && workers.length < poolSize)) return spawn();
  return best;
}

/** Places a session on the least loaded worker, starting one if the pool has room. */
export function acquireEngine(session: PooledSession): EngineLease {
  const entry = pick();
  entry.sessions.add(session);
  return {
    open(request) {
      entry.worker.postMessage(request, [request.port]);
    },
    release() {
      entry.sessions.delete(session);
    },
    engineLost() {
      retire(entry);
      void entry.worker.terminate();
    },
  };
}

/** Figures about the engine pool right now. */
export function engineStats(): EnginePoolStats {
  let sessions = 0;
  for (const entry of workers) sessions += entry.sessions.size;
  for (const entry of dying) sessions += entry.sessions.size;
  return { workers: workers.length + dying.size, sessions, size: poolSize };
}

/**
 * Terminates every engine worker and resolves once they have exited. Sessions still open get
 * `Error` (WorkerExitedError) and `Close`. The next `start()` starts a fresh worker. Useful at
 * shutdown, and after each test to prove no thread is left.
 *
 * @example
 * ```ts
 * afterEach(async () => { await shutdownEngines(); });
 * ```
 */
export async function shutdownEngines(): Promise<void> {
  const running = [...workers, ...dying];
  for (const entry of running) retire(entry);
  await Promise.all(
    running.map(async (entry) => {
      await entry.worker.terminate();
      await entry.exited;
    }),
  );
}

/**
 * Test hook: kills every engine worker, as a crash would. `"crash"` makes the worker throw an
 * uncaught exception (its sessions are failed through shared memory at once); `"terminate"`
 * stops the thread from outside (its sessions learn it from the worker's exit). Either way
 * each open session gets `Error` (WorkerExitedError) then `Close`, once.
 */
export function killEngineWorkers(how: "crash" | "terminate" = "crash"): void {
  for (const entry of [...workers]) {
    retire(entry);
    if (how === "terminate") void entry.worker.terminate();
    else entry.worker.postMessage({ type: "earshot:crash" } satisfies CrashRequest);
  }
}
