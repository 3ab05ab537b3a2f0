/**
 * Where the CLI connects, in this order: `--url` (any server that speaks `/v1/listen`), else
 * Deepgram when `DEEPGRAM_API_KEY` is set, else an embedded local server started in-process
 * with the offline pocketsphinx engine — announced on stderr so nobody mistakes it for Deepgram.
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { ClientOptions } from "@earshot/core";
import type { LocalEngine } from "./args.ts";
import type { LocalServerWorkerData, LocalServerWorkerMessage } from "./local-server-worker.ts";

/** A place to connect to, and what to release afterwards. */
export interface Connection {
  /** What the client is given (the key comes from the environment, never from a flag). */
  readonly client: ClientOptions;
  /** Secrets to redact from anything printed. */
  readonly secrets: readonly string[];
  /** Stops the embedded server, if one was started. */
  close(): Promise<void>;
}

/** What `connect()` needs. */
export interface ConnectRequest {
  readonly url: string | undefined;
  readonly engine: LocalEngine;
  readonly env: Record<string, string | undefined>;
  /** Where to say which server is used (stderr). */
  readonly notice: (line: string) => void;
}

/**
 * Picks the server and, when it is the embedded one, starts it.
 *
 * @example
 * const connection = await connect({ url: undefined, engine: "pocketsphinx", env: process.env, notice });
 * try { new AsyncLiveClient(connection.client) … } finally { await connection.close(); }
 */
export async function connect(request: ConnectRequest): Promise<Connection> {
  const apiKey = request.env.DEEPGRAM_API_KEY || undefined;
  const secrets = apiKey === undefined ? [] : [apiKey];
  const keyOption: ClientOptions = apiKey === undefined ? {} : { apiKey };
  if (request.url !== undefined) {
    return { client: { ...keyOption, url: request.url }, secrets, close: async () => {} };
  }
  if (apiKey !== undefined) {
    return { client: keyOption, secrets, close: async () => {} };
  }
  const server = await startLocalServer(request.engine);
  request.notice(
    `earshot: no DEEPGRAM_API_KEY or --url, so transcribing offline with the embedded local server (${request.engine} engine) at ${server.url}`,
  );
  return { client: { url: server.url }, secrets, close: server.close };
}

/**
 * Starts `@earshot/server` on its own thread (see local-server-worker.ts for why) and resolves
 * with its URL; rejects with the server's own message when it cannot start (e.g. the
 * pocketsphinx library is not installed).
 */
async function startLocalServer(engine: LocalEngine): Promise<{ url: string; close: () => Promise<void> }> {
  const worker = new Worker(new URL("./local-server-worker.js", import.meta.url), {
    workerData: { engine } satisfies LocalServerWorkerData,
  });
  const exited = once(worker, "exit");
  exited.catch(() => {});
  const [first] = (await Promise.race([
    once(worker, "message"),
    exited.then(() => [{ error: "the embedded local server stopped before it started" }]),
  ])) as [LocalServerWorkerMessage];
  if ("error" in first) {
    await worker.terminate();
    throw new Error(first.error);
  }
  return {
    url: first.url,
    close: async () => {
      worker.postMessage("close");
      await exited;
    },
  };
}
