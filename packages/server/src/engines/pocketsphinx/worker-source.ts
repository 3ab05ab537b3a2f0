/**
 * The source text of a decoder worker, assembled from the functions' own text.
 *
 * Why not a worker file: the engine runs both from TypeScript source (tests, via vitest) and
 * from tsup's single-file bundles, and Node 20 cannot start a worker from a .ts file. The three
 * functions are self-contained, so their text is valid JavaScript in either case.
 */
import { createDecoder } from "./decoder.ts";
import { decoderWorkerMain } from "./decoder-worker.ts";
import { bindPocketsphinx } from "./ffi-bindings.ts";

let cached: string | undefined;

/** JavaScript for `new Worker(source, { eval: true })`. */
export function decoderWorkerSource(): string {
  cached ??= [
    '"use strict";',
    // Transpilers that keep function names wrap functions in a `__name` helper.
    "const __name = (target) => target;",
    `const bindPocketsphinx = (${bindPocketsphinx.toString()});`,
    `const createDecoder = (${createDecoder.toString()});`,
    `(${decoderWorkerMain.toString()})(require, { bindPocketsphinx, createDecoder });`,
  ].join("\n");
  return cached;
}
