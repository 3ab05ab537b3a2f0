/**
 * Runs `startServer` on a worker thread, with the scripted or the pocketsphinx engine. The
 * threaded client blocks the calling thread while it connects and finishes, so the server it
 * talks to must live elsewhere; the async client uses the same server so both faces meet the
 * same conditions.
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { PocketsphinxEngineOptions, ScriptOptions, ServerOptions } from "@earshot/server";

/** Which engine the server thread runs (plain data: it crosses a thread). */
export type EngineSpec =
  | { readonly name: "scripted"; readonly script?: ScriptOptions }
  | { readonly name: "pocketsphinx"; readonly options?: PocketsphinxEngineOptions };

/** Server options that can cross a thread: no engine factory, no fault function, no clock. */
export type PlainServerOptions = Omit<ServerOptions, "engine" | "faults" | "clock"> & {
  readonly faults?: Exclude<ServerOptions["faults"], (...args: never[]) => unknown>;
};

/** A local server running on its own thread. */
export interface ServerThread {
  /** Base URL for clients, e.g. `"ws://127.0.0.1:40123"`. */
  readonly url: string;
  /** Closes the server (and its engine) and ends its thread. */
  close(): Promise<void>;
}

/** How long a server thread may take to close before it is terminated (so no test hangs). */
const CLOSE_GRACE_MS = 10_000;

/** Starts a local server on a new worker thread; rejects when it cannot start. */
export async function startServerThread(
  options: PlainServerOptions = {},
  engine: EngineSpec = { name: "scripted" },
): Promise<ServerThread> {
  const worker = new Worker(new URL("./server-host.mjs", import.meta.url), {
    workerData: { options, engine },
  });
  const [ready] = (await Promise.race([
    once(worker, "message"),
    once(worker, "error").then(([error]) => Promise.reject(error)),
  ])) as [{ url?: string; error?: string }];
  if (ready.url === undefined) {
    await worker.terminate();
    throw new Error(`the local server did not start: ${ready.error ?? "no reason given"}`);
  }
  const url = ready.url;
  return {
    url,
    async close() {
      const exited = once(worker, "exit");
      worker.postMessage("close");
      const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
