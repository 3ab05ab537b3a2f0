/**
 * startServerThread(): {@link startServer} on a worker thread of its own, for callers whose own
 * thread blocks — such as one using the threaded client (`LiveClient` from `@earshot/threaded`,
 * which waits synchronously in `start()` and `finish()`): a server on that same thread could not
 * answer it meanwhile.
 */

import { once } from "node:events";
import type { Worker } from "node:worker_threads";
import { besideCaller, startPackageWorker, toWorkerUrl } from "@earshot/core/workers";
import type {
  ServerThreadOptions,
  ServerThreadReply,
  ServerThreadRequest,
  ServerThreadWorkerData,
} from "./server-thread-protocol.ts";
import {
  describeFailure,
  describeWorkerFile,
  WorkerLoadError,
  workerLoadError,
} from "./worker-load-error.ts";

/** A local server running on a worker thread. */
export interface ServerThread {
  /** Base URL for clients, e.g. `"ws://127.0.0.1:40123"` (clients add `/v1/listen`). */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Resumes reading on every session paused by `FaultPlan.stopReadingAfterBytes`. */
  resumeReading(): Promise<void>;
  /** Sessions currently open. */
  sessionCount(): Promise<number>;
  /**
   * Closes every session (1001), stops listening, closes the engine and ends the thread (which
   * is terminated if that takes longer than a few seconds). Safe to call more than once.
   */
  close(): Promise<void>;
}

/** How long close() waits for the server to close before it terminates the thread anyway. */
const CLOSE_GRACE_MS = 5_000;

/**
 * Starts a local Deepgram-compatible server ({@link startServer}) on a new worker thread and
 * resolves once it listens. Rejects when it cannot start (unknown engine, pocketsphinx not
 * installed, port in use, …) with an error carrying the server's own name and message, and
 * with a {@link WorkerLoadError} naming `workerFile` when the thread's module cannot load (an
 * application bundle without it: see "Bundling" in the README).
 *
 * Why a thread: the threaded client (`LiveClient` from `@earshot/threaded`) blocks its caller's
 * thread while it connects and finishes, so a server started with `startServer` on that thread
 * could not answer it. On its own thread the server answers as a remote one would. The thread
 * keeps the process alive until {@link ServerThread.close}, which always ends it.
 *
 * @param options - Plain-data server options (they cross a thread). @default {} (scripted
 *   engine, loopback, a free port, no authentication, no faults)
 *
 * @example
 * ```ts
 * import { startServerThread } from "@earshot/server";
 * import { LiveClient } from "@earshot/threaded";
 *
 * const server = await startServerThread({ engine: "pocketsphinx" });
 * try {
 *   const client = new LiveClient({ url: server.url });
 *   client.start({ encoding: "linear16", sample_rate: 16000 }); // blocks this thread, not the server's
 *   client.send(pcm);
 *   client.finish();
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function startServerThread(options: ServerThreadOptions = {}): Promise<ServerThread> {
  const { workerFile, ...threadOptions } = options;
  const file = workerFile === undefined ? undefined : toWorkerUrl(workerFile, "workerFile");
  const workerData: ServerThreadWorkerData = { options: threadOptions };
  const here: string | undefined = import.meta.url;
  const shown = describeWorkerFile(
    file ?? besideCaller(here, "server-thread-worker"),
    "server-thread-worker",
  );
  let worker: Worker;
  try {
    worker = startPackageWorker(here, "server-thread-worker", { workerData }, file);
  } catch (error) {
    throw loadError(`The server thread could not start: ${describeFailure(error)}`, error);
  }
  // Not events.once: that would reject on 'error', with nobody listening after startup.
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  let crash: Error | undefined;
  // Without a listener an 'error' event would throw; a crash instead fails what is pending.
  worker.on("error", (error) => {
    crash = error;
  });
  let started: ServerThreadReply;
  try {
    started = await firstReply(worker, exited, () => crash);
  } catch (error) {
    // The thread ended before it said anything: its module did not load (or threw at once).
    throw loadError(`The server thread's worker (${shown}) could not load: ${describeFailure(error)}`, error);
  }
  if (started.kind !== "started") {
    await worker.terminate();
    throw started.kind === "failed" ? remoteError(started) : new Error("unexpected reply");
  }

  let nextId = 0;
  const pending = new Map<number, (value: number | undefined) => void>();
  worker.on("message", (reply: ServerThreadReply) => {
    if (reply.kind !== "reply") return;
    pending.get(reply.id)?.(reply.value);
    pending.delete(reply.id);
  });
  const request = (op: ServerThreadRequest["op"]): Promise<number | undefined> => {
    const id = nextId++;
    const answered = new Promise<number | undefined>((resolve) => pending.set(id, resolve));
    worker.postMessage({ id, op } satisfies ServerThreadRequest);
    return Promise.race([
      answered,
      exited.then(() => {
        pending.delete(id);
        throw crash ?? new Error("the server thread has ended");
      }),
    ]);
  };

  let closing: Promise<void> | undefined;
  return {
    url: started.url,
    port: started.port,
    async resumeReading() {
      await request("resumeReading");
    },
    async sessionCount() {
      return (await request("sessionCount")) ?? 0;
    },
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_GRACE_MS);
        });
        await Promise.race([request("close").catch(() => undefined), grace]);
        clearTimeout(timer);
        // The server has released its handles (or ran out of time): end the thread either way.
        await worker.terminate();
      })();
      return closing;
    },
  };
}

/** The server thread's module cannot load: what to bundle, and the option to point at it. */
function loadError(problem: string, cause: unknown): WorkerLoadError {
  return workerLoadError({
    problem,
    option: "workerFile",
    entry: "@earshot/server/server-thread-worker",
    inline: "@earshot/server/inline-server-thread-worker",
    cause,
  });
}

/** The worker's first message, or its crash/exit as a rejection. */
async function firstReply(
  worker: Worker,
  exited: Promise<void>,
  crash: () => Error | undefined,
): Promise<ServerThreadReply> {
  const [reply] = (await Promise.race([
    once(worker, "message"),
    exited.then(() => {
      throw crash() ?? new Error("the server thread ended before the server started");
    }),
  ])) as [ServerThreadReply];
  return reply;
}

/**
 * An error as the server's thread threw it: the same message and name (a WorkerLoadError is
 * rebuilt as one, so `instanceof` works on this side; other classes stay behind).
 */
function remoteError({ name, message, option }: { name: string; message: string; option?: string }): Error {
  if (name === "WorkerLoadError" && option !== undefined) return new WorkerLoadError(message, option);
  const error = new Error(message);
  if (name !== "Error") error.name = name;
  return error;
}
