/**
 * Where the CLI connects, in this order: `--url` (any server that speaks `/v1/listen`), else
 * Deepgram when `DEEPGRAM_API_KEY` is set, else an embedded local server started in-process
 * with the offline pocketsphinx engine — announced on stderr so nobody mistakes it for Deepgram.
 */
import type { ClientOptions } from "@earshot/core";
import { startServerThread } from "@earshot/server";
import type { LocalEngine } from "./args.ts";

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
  // On its own thread: the threaded client blocks this one while it connects and finishes.
  // Rejects with the server's own message when it cannot start (e.g. pocketsphinx is not installed).
  const server = await startServerThread({ engine: request.engine });
  request.notice(
    `earshot: no DEEPGRAM_API_KEY or --url, so transcribing offline with the embedded local server (${request.engine} engine) at ${server.url}`,
  );
  return { client: { url: server.url }, secrets, close: () => server.close() };
}
