/**
 * The messages between {@link startServerThread} and its worker (server-thread-worker.ts).
 * Everything here crosses a thread, so it is plain data only.
 */
import type { PocketsphinxEngineOptions } from "./engines/pocketsphinx/index.ts";
import type { ScriptOptions } from "./engines/scripted-engine.ts";
import type { FaultPlan, ServerOptions } from "./server-options.ts";

/**
 * Options of {@link startServerThread}: the part of {@link ServerOptions} that can cross a
 * thread. The engine is named (from the server's engine registry) instead of given as a
 * factory, faults are one plain {@link FaultPlan} for every session (no function), and the
 * thread uses the real clock.
 */
export interface ServerThreadOptions
  extends Pick<ServerOptions, "port" | "host" | "apiKeys" | "inactivityTimeoutMs" | "maxConcurrentSessions"> {
  /**
   * The recognizer, by name: `"scripted"`, `"pocketsphinx"`, or another name registered with
   * `registerEngine` — on the server's thread, which does not see registrations made on the
   * caller's thread. @default "scripted"
   */
  engine?: string;
  /** What the scripted engine says (only with `engine: "scripted"`). @default the default script */
  script?: ScriptOptions;
  /** Options of the pocketsphinx engine (only with `engine: "pocketsphinx"`). @default {} */
  pocketsphinx?: PocketsphinxEngineOptions;
  /** Faults for every session. @default none */
  faults?: FaultPlan;
  /**
   * The server thread's worker file, for applications bundled so that `startServerThread` no
   * longer sits beside it: a path or `file:` URL (your bundle of the
   * `@earshot/server/server-thread-worker` entry), or the `data:` URL of the inlined worker
   * (`inlineServerThreadWorker()` from `@earshot/server/inline-server-thread-worker`). Used on
   * the caller's thread only. A file that cannot load rejects with a WorkerLoadError.
   * @default the `server-thread-worker.js` beside the module that defines startServerThread
   * @example
   * ```ts
   * await startServerThread({ workerFile: new URL("./server-thread-worker.js", import.meta.url) });
   * ```
   */
  workerFile?: string | URL;
  /**
   * Faults per session, in upgrade order: the n-th session gets the n-th plan, later sessions
   * none (wins over `faults`). For reconnect tests: drop the first connection only.
   */
  faultsPerSession?: readonly (FaultPlan | null)[];
}

/** What the worker is started with. */
export interface ServerThreadWorkerData {
  readonly options: Omit<ServerThreadOptions, "workerFile">;
}

/** A request from the caller's thread; `id` pairs it with its reply. */
export interface ServerThreadRequest {
  readonly id: number;
  readonly op: "resumeReading" | "sessionCount" | "close";
}

/** What the worker posts: once started (or not), then one reply per request. */
export type ServerThreadReply =
  | { readonly kind: "started"; readonly url: string; readonly port: number }
  | {
      readonly kind: "failed";
      readonly name: string;
      readonly message: string;
      /** A WorkerLoadError's option. */
      readonly option?: string;
    }
  | { readonly kind: "reply"; readonly id: number; readonly value?: number };
