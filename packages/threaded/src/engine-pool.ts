/**
 * The process-wide pool of engine workers. A few streams share one worker; many are spread over
 * up to one worker per core (at most 8): a thousand streams must not mean a thousand threads,
 * nor one thread carrying a thousand streams while other cores idle. Workers start lazily on the first
 * `start()`, are unref'd (a session's own port keeps the process alive while it is open, the
 * worker never does), and a worker that exits fails its sessions and is replaced on demand.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { EngineLoadError, OptionsError } from "@earshot/core";
import {
  besideCaller,
  toWorkerUrl,
  tsxRegisterUrl,
  type WorkerFile,
  workerFileProblem,
} from "@earshot/core/workers";
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
  /** The module it runs: sessions go only to workers started from the file they asked for. */
  readonly url: URL;
  readonly sessions: Set<PooledSession>;
  readonly exited: Promise<void>;
  /** [0]: 0 while the engine module loads, 1 once loaded, 2 when it failed. */
  readonly status: Int32Array;
  /** Where the loader posts the failure. */
  readonly failures: MessagePort;
}

/** The engine worker's young generation (V8's new space), in MB. */
const ENGINE_YOUNG_GENERATION_MB = 8;

const LOADING = 0;
const LOADED = 1;
const FAILED = 2;

/**
 * The worker's first code: it loads the engine module and says how that went through shared
 * memory, which a `start()` blocked on `Atomics.wait` can read (a Worker 'error' event cannot
 * reach a blocked thread).
 */
const LOADER = `
const { workerData } = require("node:worker_threads");
const { url, status, failures, tsx } = workerData;
const settle = (state) => { Atomics.store(status, 0, state); Atomics.notify(status, 0); };
const load = tsx ? import(tsx).then((api) => { api.register(); return import(url); }) : import(url);
load.then(() => settle(${LOADED}), (error) => {
  failures.postMessage({ name: error && error.name, code: error && error.code, message: String((error && error.message) || error) });
  failures.close();
  settle(${FAILED});
});
`;

/**
 * Running from TypeScript source (the repository's own tests, through the `source` export
 * condition), the engine is engine-worker.ts, loaded through tsx; built, it is engine-worker.js
 * beside this module. Bundled into CommonJS there is no `import.meta.url` (esbuild leaves it
 * undefined), and inlined there is no file beside: then only an explicit worker file will do.
 */
const HERE: string | undefined = import.meta.url;
const FROM_SOURCE = HERE?.endsWith(".ts") ?? false;
const DEFAULT_ENGINE_WORKER_URL = besideCaller(HERE, "engine-worker");
let engineWorkerUrl: URL | undefined = DEFAULT_ENGINE_WORKER_URL;

/** What the load error tells an application to do. */
const WORKER_FILE_HINT =
  "If your application is bundled, bundle @earshot/threaded/engine-worker as an entry point of its own (or use the inlined worker, @earshot/threaded/inline-engine-worker) and pass its location as the LiveClient option engineWorkerFile, or to setEngineWorkerUrl() for every client (or keep @earshot/threaded external in the bundler).";

/**
 * Where the engine worker's module is, for every client without its own `engineWorkerFile`:
 * for applications whose bundler moved this module away from `engine-worker.js`. Applies to
 * workers started from now on.
 *
 * @param url - a path, a `file:` URL, or the `data:` URL of the inlined worker
 *   (`inlineEngineWorker()` from `@earshot/threaded/inline-engine-worker`); `undefined`
 *   restores the default. @default the engine-worker.js beside this module
 * @throws OptionsError when `url` is none of those.
 * @example
 * ```ts
 * setEngineWorkerUrl(new URL("./engine-worker.js", import.meta.url));
 * ```
 */
export function setEngineWorkerUrl(url: WorkerFile | undefined): void {
  engineWorkerUrl =
    url === undefined ? DEFAULT_ENGINE_WORKER_URL : engineWorkerFileUrl(url, "setEngineWorkerUrl()");
}

/**
 * An engine worker file as a URL.
 * @throws OptionsError naming `option` when `file` is not a path, `file:` or `data:` URL.
 */
export function engineWorkerFileUrl(file: unknown, option: string): URL {
  const problem = workerFileProblem(file);
  if (problem !== undefined) throw new OptionsError([{ option, message: problem }]);
  return toWorkerUrl(file, option);
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
/** The default pool size: one engine per core, at most 8 (beyond that threads only contend). */
const DEFAULT_POOL_SIZE = Math.min(availableParallelism(), 8);
let poolSize = DEFAULT_POOL_SIZE;

/**
 * Sessions a worker takes before the pool starts another: a stream costs a worker little, a
 * thread costs ~10 MB and a blocking start-up, so a handful of streams share one engine. Past
 * this, sessions go to the least loaded worker and new workers start up to the pool size.
 * Measured with `pnpm bench --only streams`: 500 real-time streams on one engine thread reached
 * a delivery p99 of 0.75 s on 2 cores.
 */
const SESSIONS_BEFORE_SPREAD = 16;

/**
 * Sets how many engine workers the pool may start (sessions are spread over them, least
 * loaded first, once a worker hosts 16). Workers already running stay.
 *
 * @param size - an integer ≥ 1. @default the number of cores (`os.availableParallelism()`), at most 8
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

function spawn(url: URL): PoolWorker {
  // engine-worker.ts (the repository's tests) loads through tsx, with the `source` condition.
  const fromSource = FROM_SOURCE && url.protocol === "file:" && url.pathname.endsWith(".ts");
  const status = new Int32Array(new SharedArrayBuffer(4));
  const { port1: failures, port2 } = new MessageChannel();
  const worker = new Worker(LOADER, {
    eval: true,
    name: "earshot-engine",
    // An engine's objects are short-lived (frames, messages in flight): a smaller young
    // generation than V8's default keeps it in cache and out of RSS. Measured with `pnpm bench
    // --only streams,receive` (500 streams; 100,000 Results): 8 MB against the default, RSS per
    // stream 0.43 → 0.38 MB, CPU 1.67× → 1.50× raw ws, receive no slower.
    resourceLimits: { maxYoungGenerationSizeMb: ENGINE_YOUNG_GENERATION_MB },
    workerData: {
      url: url.href,
      status,
      failures: port2,
      tsx: fromSource ? tsxRegisterUrl(url.href) : undefined,
    },
    ...(fromSource ? { execArgv: [...process.execArgv, "--conditions=source"] } : {}),
    transferList: [port2],
  });
  // A session's port keeps the process alive while the session is open; the worker never does.
  worker.unref();
  const sessions = new Set<PooledSession>();
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", (exitCode) => {
      retire(entry);
      dying.delete(entry);
      failures.close();
      for (const session of [...sessions]) session.engineExited(exitCode);
      sessions.clear();
      resolve();
    });
  });
  // Without a listener an 'error' event would be thrown on this thread; 'exit' follows it and
  // fails the sessions.
  worker.on("error", () => undefined);
  failures.unref();
  const entry: PoolWorker = { worker, url, sessions, exited, status, failures };
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

/** The least loaded worker running `url`, or a new one when all are busy and the pool has room. */
function pick(url: URL): PoolWorker {
  let best: PoolWorker | undefined;
  let running = 0;
  for (const candidate of workers) {
    if (candidate.url.href !== url.href) continue;
    running += 1;
    if (best === undefined || candidate.sessions.size < best.sessions.size) best = candidate;
  }
  if (best === undefined || (best.sessions.size >= SESSIONS_BEFORE_SPREAD && running < poolSize))
    return spawn(url);
  return best;
}

/**
 * Blocks until `entry`'s engine module has loaded, at most until `deadline`.
 *
 * @throws EngineLoadError at once when it could not load, with the worker's own error.
 */
function awaitLoaded(entry: PoolWorker, deadline: number): void {
  while (Atomics.load(entry.status, 0) === LOADING) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) return;
    Atomics.wait(entry.status, 0, LOADING, remaining);
  }
  if (Atomics.load(entry.status, 0) !== FAILED) return;
  const failure = (receiveMessageOnPort(entry.failures)?.message ?? {}) as {
    name?: string;
    message?: string;
  };
  retire(entry);
  void entry.worker.terminate();
  throw new EngineLoadError(
    `The threaded client's engine worker could not load ${shown(entry.url)}: ${failure.message ?? "unknown error"}. ${WORKER_FILE_HINT}`,
    { cause: failure },
  );
}

/** A worker URL for a message: an inlined worker's data: URL is a few hundred KB. */
function shown(url: URL): string {
  return url.protocol === "data:" ? "the inlined engine worker (a data: URL)" : url.href;
}

/**
 * Places a session on the least loaded worker running `workerUrl`, starting one if the pool
 * has room; blocks (until `deadline`, a `performance.now()` time) until that worker's engine
 * has loaded.
 *
 * @param workerUrl - the client's `engineWorkerFile`. @default the URL set with
 *   `setEngineWorkerUrl()`, else the engine-worker.js beside this module
 * @throws EngineLoadError when the engine module cannot load, or its location is unknown.
 */
export function acquireEngine(session: PooledSession, deadline: number, workerUrl?: URL): EngineLease {
  const url = workerUrl ?? engineWorkerUrl;
  if (url === undefined) {
    throw new EngineLoadError(
      `The threaded client cannot tell where its engine worker is: @earshot/threaded was bundled without a file location (no import.meta.url, as in a CommonJS bundle). ${WORKER_FILE_HINT}`,
    );
  }
  const entry = pick(url);
  awaitLoaded(entry, deadline);
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
