/**
 * `@earshot/server/inline-server-thread-worker`: the server thread's worker with everything it
 * imports (`@earshot/core`, `ws`, `p-queue`) built into this module as text, so a bundled
 * application ships no worker file for `startServerThread`. Costs about 50 KB of bundle
 * (minified, compressed); imported only when used. The pocketsphinx engine still needs its
 * decoder worker as a file (`pocketsphinx.decoderWorkerFile`) and koffi installed (looked up
 * from the current directory).
 *
 * @packageDocumentation
 */

import { brotliDecompressSync } from "node:zlib";

/**
 * The server thread worker's code, one ES module importing only Node's built-ins,
 * brotli-compressed, as base64: put here by the package build (tsup's `define`). Absent from
 * the TypeScript source.
 */
declare const __EARSHOT_INLINE_SERVER_THREAD_WORKER__: string | undefined;

let cached: URL | undefined;

/**
 * The inlined server thread worker as a `data:` URL, for `startServerThread({ workerFile })`.
 *
 * @returns the same URL on every call.
 * @throws Error when run from the TypeScript source, where the worker was not built in.
 * @example
 * ```ts
 * import { startServerThread } from "@earshot/server";
 * import { inlineServerThreadWorker } from "@earshot/server/inline-server-thread-worker";
 *
 * const server = await startServerThread({ workerFile: inlineServerThreadWorker() });
 * ```
 */
export function inlineServerThreadWorker(): URL {
  if (cached !== undefined) return cached;
  const code =
    typeof __EARSHOT_INLINE_SERVER_THREAD_WORKER__ === "string"
      ? __EARSHOT_INLINE_SERVER_THREAD_WORKER__
      : undefined;
  if (code === undefined) {
    throw new Error(
      "The inlined server thread worker exists only in the built package (dist/): build @earshot/server, or use server-thread-worker.ts.",
    );
  }
  const workerModule = brotliDecompressSync(Buffer.from(code, "base64")).toString("base64");
  cached = new URL(`data:text/javascript;base64,${workerModule}`);
  return cached;
}
