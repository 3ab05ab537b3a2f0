/**
 * `@earshot/threaded/inline-engine-worker`: the engine worker with everything it imports
 * (`@earshot/core`, `ws`) built into this module as text, so a bundled application ships no
 * worker file of its own. Costs about 40 KB of bundle (minified, compressed); imported only
 * when used.
 *
 * @packageDocumentation
 */

import { brotliDecompressSync } from "node:zlib";

/**
 * The engine worker's code, one ES module importing only Node's built-ins, brotli-compressed,
 * as base64: put here by the package build (tsup's `define`). Absent from the TypeScript source.
 */
declare const __EARSHOT_INLINE_ENGINE_WORKER__: string | undefined;

let cached: URL | undefined;

/**
 * The inlined engine worker as a `data:` URL, for the `LiveClient` option `engineWorkerFile`
 * or `setEngineWorkerUrl()`.
 *
 * @returns the same URL on every call.
 * @throws Error when run from the TypeScript source, where the worker was not built in.
 * @example
 * ```ts
 * import { LiveClient } from "@earshot/threaded";
 * import { inlineEngineWorker } from "@earshot/threaded/inline-engine-worker";
 *
 * const client = new LiveClient({ url, engineWorkerFile: inlineEngineWorker() });
 * ```
 */
export function inlineEngineWorker(): URL {
  if (cached !== undefined) return cached;
  const code =
    typeof __EARSHOT_INLINE_ENGINE_WORKER__ === "string" ? __EARSHOT_INLINE_ENGINE_WORKER__ : undefined;
  if (code === undefined) {
    throw new Error(
      "The inlined engine worker exists only in the built package (dist/): build @earshot/threaded, or use engine-worker.ts.",
    );
  }
  const workerModule = brotliDecompressSync(Buffer.from(code, "base64")).toString("base64");
  cached = new URL(`data:text/javascript;base64,${workerModule}`);
  return cached;
}
