/**
 * Runs `startServer` on a worker thread. The threaded client blocks the calling thread while it
 * connects and finishes, so the server it talks to must live elsewhere — as a real one does.
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { ServerOptions } from "@earshot/server";

/** A local server running on its own thread. */
export interface ServerThread {
  readonly url: string;
  /** Resumes reading on sessions paused by `stopReadingAfterBytes`. */
  resumeReading(): void;
  /** Closes the server and ends its thread. */
  close(): Promise<void>;
}

/** Starts a local server (plain-data options only: they cross a thread) on a new worker thread. */
export async function startServerThread(options: Omit<ServerOptions, "engine"> = {}): Promise<ServerThread> {
  const worker = new Worker(new URL("../fixtures/server-host.mjs", import.meta.url), {
    workerData: { options },
  });
  const [ready] = (await Promise.race([
    once(worker, "message"),
    once(worker, "error").then(([error]) => Promise.reject(error)),
  ])) as [{ url: string }];
  return {
    url: ready.url,
    resumeReading() {
      worker.postMessage("resume");
    },
    async close() {
      const exited = once(worker, "exit");
      worker.postMessage("close");
      // A server that fails to release its handles must not hang the suite: end its thread.
      const timer = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
