/**
 * The embedded local server's thread. The threaded client blocks its caller's thread while it
 * connects and finishes; a server on that same thread could not answer it. So the CLI runs the
 * server here and talks to it by URL, like to any other server.
 *
 * Protocol (parentPort): the worker posts `{ url }` once listening, or `{ error }` if the server
 * could not start; it closes the server and exits when it receives `"close"`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { resolveEngine, startServer } from "@earshot/server";

/** What the CLI passes in `workerData`. */
export interface LocalServerWorkerData {
  /** A name from the server's engine registry ("pocketsphinx", "scripted", …). */
  readonly engine: string;
}

/** What the worker posts back. */
export type LocalServerWorkerMessage = { readonly url: string } | { readonly error: string };

async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("local-server-worker must run in a worker thread");
  const { engine } = workerData as LocalServerWorkerData;
  try {
    const server = await startServer({ engine: resolveEngine(engine) });
    port.once("message", () => {
      void server.close().finally(() => port.close());
    });
    port.postMessage({ url: server.url } satisfies LocalServerWorkerMessage);
  } catch (error) {
    port.postMessage({
      error: error instanceof Error ? error.message : String(error),
    } satisfies LocalServerWorkerMessage);
    port.close();
  }
}

void run();
