/**
 * The pocketsphinx engine: real offline speech recognition for the local server, with Debian's
 * `libpocketsphinx3` and `pocketsphinx-en-us` called in-process through koffi. Decoders run in
 * worker threads, pooled and warmed; each engine stream leases one.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { toWorkerUrl } from "@earshot/core/workers";
import type { Engine, EngineEvent, EngineFactory, EngineStream, EngineStreamContext } from "../../engine.ts";
import { DecoderPool } from "./decoder-pool.ts";
import { KOFFI_FIX, PocketsphinxUnavailableError } from "./errors.ts";
import { DEFAULT_LIBRARIES, DEFAULT_MODEL_DIR, locateModel } from "./model.ts";
import { PocketsphinxStream } from "./stream.ts";
import { renderWarmupSpeech } from "./warmup.ts";

export { POCKETSPHINX_INSTALL_HINT, PocketsphinxUnavailableError } from "./errors.ts";
export { DEFAULT_MODEL_DIR } from "./model.ts";

/** How the pocketsphinx engine runs. */
export interface PocketsphinxEngineOptions {
  /**
   * Decoders started and warmed when the engine starts (each holds ~100 MB).
   * @default 1
   */
  poolSize?: number;
  /**
   * Decoders that may exist at once; streams beyond that wait for a free one.
   * @default Math.max(poolSize, 4)
   */
  maxDecoders?: number;
  /**
   * Directory laid out like Debian's `pocketsphinx-en-us` (`en-us/`, `en-us.lm.bin`, `cmudict-en-us.dict`).
   * @default "/usr/share/pocketsphinx/model/en-us"
   */
  modelDir?: string;
  /**
   * Speech running longer than this without a pause is cut into a final anyway (not an endpoint).
   * @default 12
   */
  maxUtteranceSeconds?: number;
  /**
   * Interim hypotheses (when a stream asks for `interim_results`) at most once per this many seconds of audio.
   * @default 0.5
   */
  interimIntervalSeconds?: number;
  /**
   * Speech each new decoder decodes once before its first stream (16 kHz mono samples); `true` renders
   * a sentence with flite when it is installed; `false` starts decoders cold.
   * @default true
   */
  warmup?: boolean | Int16Array;
  /**
   * The shared libraries to load: sonames or absolute paths.
   * @default { pocketsphinx: "libpocketsphinx.so.3", sphinxbase: "libsphinxbase.so.3" }
   */
  libraries?: { readonly pocketsphinx: string; readonly sphinxbase: string };
  /**
   * The decoder worker file, for applications bundled so that the engine's module no longer
   * sits beside it: a path or `file:` URL string (your bundle of the
   * `@earshot/server/decoder-worker` entry). Through `startServerThread`, it is
   * `pocketsphinx.decoderWorkerFile`. A file that cannot load fails the engine's start with a
   * WorkerLoadError.
   * @default the `decoder-worker.js` beside the engine's own module (for a bundled server thread: beside its bundle)
   */
  decoderWorkerFile?: string;
}

class PocketsphinxEngine implements Engine {
  readonly name = "pocketsphinx-en-us";
  readonly #pool: DecoderPool;
  readonly #streams = new Set<PocketsphinxStream>();
  #closed = false;

  constructor(pool: DecoderPool) {
    this.#pool = pool;
  }

  createStream(context: EngineStreamContext, emit: (event: EngineEvent) => void): EngineStream {
    if (this.#closed) throw new Error("the pocketsphinx engine is closed");
    const stream = new PocketsphinxStream(this.#pool, context, emit, () => this.#streams.delete(stream));
    this.#streams.add(stream);
    return stream;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams]) stream.close();
    await this.#pool.close();
  }
}

function positive(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `pocketsphinxEngine: ${name} must be a positive ${integer ? "integer" : "number"}, got ${value}`,
    );
  }
  return value;
}

function resolveKoffi(): string {
  // tsup's shims give the CommonJS build an import.meta.url too. An application bundle may have
  // none (CommonJS) or a data: URL (the inlined server thread): then koffi is looked up from
  // the current directory.
  const here: string | undefined = import.meta.url;
  const from = here?.startsWith("file:") ? here : join(process.cwd(), "noop.js");
  try {
    return createRequire(from).resolve("koffi");
  } catch (error) {
    throw new PocketsphinxUnavailableError("The koffi package (FFI) is not installed", {
      cause: error,
      fix: KOFFI_FIX,
    });
  }
}

/**
 * The engine factory for `startServer({ engine: pocketsphinxEngine() })`. Starting fails at once,
 * with a {@link PocketsphinxUnavailableError} that says what to install, when the library or the
 * model is missing; it never falls back to anything else.
 *
 * @example
 * ```ts
 * import { startServer } from "@earshot/server";
 * import { pocketsphinxEngine } from "@earshot/server";
 *
 * const server = await startServer({ engine: pocketsphinxEngine({ poolSize: 2 }) });
 * console.log(`listening on ${server.url}`);
 * ```
 */
export function pocketsphinxEngine(options: PocketsphinxEngineOptions = {}): EngineFactory {
  return async () => {
    const poolSize = positive("poolSize", options.poolSize, 1, true);
    const maxDecoders = positive("maxDecoders", options.maxDecoders, Math.max(poolSize, 4), true);
    if (maxDecoders < poolSize) {
      throw new RangeError(
        `pocketsphinxEngine: maxDecoders (${maxDecoders}) is below poolSize (${poolSize})`,
      );
    }
    const maxUtteranceSeconds = positive("maxUtteranceSeconds", options.maxUtteranceSeconds, 12, false);
    const interimIntervalSeconds = positive(
      "interimIntervalSeconds",
      options.interimIntervalSeconds,
      0.5,
      false,
    );
    // A string: it crosses to the decoder threads, which a URL object cannot.
    const workerFile =
      options.decoderWorkerFile === undefined
        ? undefined
        : toWorkerUrl(options.decoderWorkerFile, "pocketsphinxEngine: decoderWorkerFile").href;
    const model = locateModel(options.modelDir ?? DEFAULT_MODEL_DIR);
    const koffiPath = resolveKoffi();
    const warmup =
      options.warmup instanceof Int16Array
        ? options.warmup
        : options.warmup === false
          ? undefined
          : await renderWarmupSpeech();
    const pool = await DecoderPool.start({
      size: poolSize,
      maxSize: maxDecoders,
      warmup,
      data: {
        koffiPath,
        ...(workerFile === undefined ? {} : { workerFile }),
        libraries: options.libraries ?? DEFAULT_LIBRARIES,
        settings: { ...model, maxUtteranceSeconds, interimIntervalSeconds },
      },
    });
    return new PocketsphinxEngine(pool);
  };
}
