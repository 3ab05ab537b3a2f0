/**
 * The main thread's handle on one decoder worker: starts it, reports whether the library and
 * model loaded, and carries one stream at a time to and from it.
 */

import type { Worker } from "node:worker_threads";
import { besideCaller, startPackageWorker } from "@earshot/core/workers";
import type { EngineEvent } from "../../engine.ts";
import { describeFailure, describeWorkerFile, workerLoadError } from "../../worker-load-error.ts";
import { KOFFI_FIX, PocketsphinxUnavailableError } from "./errors.ts";
import type { DecoderWorkerData, FromDecoderWorker, ToDecoderWorker } from "./worker-protocol.ts";

/** Receives what the worker reports for the stream that holds the decoder. */
export interface DecoderListener {
  onEvent(event: EngineEvent): void;
  /** Decoding failed or the worker died; no more events follow for this stream. */
  onError(error: Error): void;
}

/** How long a closing worker gets to free its native decoder before it is terminated. */
const CLOSE_GRACE_MS = 2_000;

function unavailable(stage: "koffi" | "library" | "model", message: string, data: DecoderWorkerData): Error {
  switch (stage) {
    case "koffi":
      return new PocketsphinxUnavailableError(`The koffi package (FFI) could not be loaded: ${message}`, {
        fix: KOFFI_FIX,
      });
    case "library":
      return new PocketsphinxUnavailableError(
        `The pocketsphinx library (${data.libraries.pocketsphinx}, ${data.libraries.sphinxbase}) could not be loaded: ${message}`,
      );
    case "model":
      return new PocketsphinxUnavailableError(
        `The pocketsphinx model could not be loaded from ${data.settings.hmm}: ${message}`,
      );
  }
}

/** The decoder's module cannot load: what to bundle, and the engine option to point at it. */
function loadError(problem: string, cause: unknown): Error {
  return workerLoadError({
    problem,
    option: "decoderWorkerFile",
    elsewhere: "pocketsphinx.decoderWorkerFile with startServerThread",
    entry: "@earshot/server/decoder-worker",
    cause,
  });
}

/** This module's location: none in a CommonJS bundle, a data: URL in the inlined server thread. */
const here: string | undefined = import.meta.url;

let liveThreads = 0;

/** Decoder threads that have started and not yet exited (for leak checks). */
export function liveDecoderThreads(): number {
  return liveThreads;
}

/** One worker thread holding one native decoder. */
export class DecoderThread {
  /** Resolves once the model is loaded; rejects with {@link PocketsphinxUnavailableError}. */
  readonly ready: Promise<void>;

  readonly #worker: Worker;
  #alive = true;
  #stream = 0;
  #listener: DecoderListener | undefined;
  #flushId = 0;
  readonly #flushes = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #exitError: Error | undefined;
  readonly #exited: Promise<void>;

  constructor(data: DecoderWorkerData) {
    try {
      this.#worker = startPackageWorker(here, "decoder-worker", { workerData: data }, data.workerFile);
    } catch (error) {
      throw loadError(`The pocketsphinx decoder thread could not start: ${describeFailure(error)}`, error);
    }
    liveThreads += 1;
    let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Idle decoders must not keep a process alive; a leased one is referenced (see lease()).
    // A starting one is: a thread awaiting `ready` with nothing else to do (a server thread
    // starting its engine) would otherwise end before it hears that the module did not load.
    // Registered before anyone can await `ready`, so it runs before a lease; it also keeps a
    // later death of the worker from being an unhandled rejection.
    this.ready.then(
      () => this.#worker.unref(),
      () => this.#worker.unref(),
    );
    // Until the worker's first message, its module may not have loaded at all.
    let heardFrom = false;
    this.#worker.on("message", (message: FromDecoderWorker) => {
      heardFrom = true;
      switch (message.type) {
        case "ready":
          settle?.resolve();
          break;
        case "init-error":
          settle?.reject(unavailable(message.stage, message.message, data));
          break;
        case "event":
          if (message.stream === this.#stream) this.#listener?.onEvent(message.event);
          break;
        case "flushed":
          this.#flushes.get(message.id)?.resolve();
          this.#flushes.delete(message.id);
          break;
        case "stream-error":
          if (message.stream === this.#stream) {
            this.#listener?.onError(new Error(`pocketsphinx failed: ${message.message}`));
          }
          break;
      }
    });
    this.#worker.on("error", (error) => {
      this.#exitError = error;
    });
    this.#exited = new Promise<void>((resolve) => {
      this.#worker.once("exit", (code) => {
        liveThreads -= 1;
        this.#alive = false;
        const error = this.#exitError ?? new Error(`pocketsphinx decoder thread exited (code ${code})`);
        settle?.reject(
          heardFrom
            ? error
            : loadError(
                `The pocketsphinx decoder worker (${describeWorkerFile(data.workerFile ?? besideCaller(here, "decoder-worker"), "decoder-worker")}) could not load: ${describeFailure(error)}`,
                error,
              ),
        );
        for (const pending of this.#flushes.values()) pending.reject(error);
        this.#flushes.clear();
        this.#listener?.onError(error);
        this.#listener = undefined;
        resolve();
      });
    });
  }

  /** False once the worker has exited (closed, or died). */
  get alive(): boolean {
    return this.#alive;
  }

  /**
   * Decodes `samples` (16 kHz speech) and discards the result. Streams leased later queue
   * behind it in the worker, so nobody needs to wait for it.
   */
  warm(samples: Int16Array): void {
    this.#post({ type: "warm", samples });
  }

  /** Starts a stream on this decoder; events go to `listener` until {@link release}. */
  lease(interim: boolean, listener: DecoderListener): void {
    this.#stream += 1;
    this.#listener = listener;
    this.#worker.ref();
    this.#post({ type: "begin", stream: this.#stream, interim });
  }

  /** Sends 16 kHz samples of the leased stream (the buffer is transferred, not copied). */
  write(samples: Int16Array): void {
    this.#post({ type: "audio", stream: this.#stream, samples }, samples);
  }

  /**
   * Ends the current utterance; resolves after its final event has been delivered. With
   * `keepUtterance`, only waits until every event of the audio sent so far has been delivered.
   */
  flush(keepUtterance = false): Promise<void> {
    if (!this.#alive)
      return Promise.reject(this.#exitError ?? new Error("pocketsphinx decoder thread has exited"));
    const id = ++this.#flushId;
    const done = new Promise<void>((resolve, reject) => this.#flushes.set(id, { resolve, reject }));
    this.#post({ type: "flush", stream: this.#stream, id, keepUtterance });
    return done;
  }

  /** Ends the leased stream; queued audio of it is skipped, and no more events are delivered. */
  release(): void {
    this.#post({ type: "end", stream: this.#stream });
    this.#listener = undefined;
    // Later messages for the released stream are ignored by number.
    this.#stream += 1;
    this.#worker.unref();
  }

  /** Frees the native decoder and stops the thread (terminated if it does not exit in time). */
  async close(): Promise<void> {
    if (!this.#alive) return;
    this.#listener = undefined;
    this.#post({ type: "close" });
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), CLOSE_GRACE_MS);
    });
    const outcome = await Promise.race([this.#exited, grace]);
    clearTimeout(timer);
    if (outcome === "late") {
      await this.#worker.terminate();
      await this.#exited;
    }
  }

  #post(message: ToDecoderWorker, transfer?: Int16Array): void {
    if (!this.#alive) return;
    const buffer = transfer?.buffer;
    // Transfer only a buffer the view covers whole: anything else would detach foreign bytes.
    if (
      buffer instanceof ArrayBuffer &&
      transfer?.byteOffset === 0 &&
      transfer.byteLength === buffer.byteLength
    ) {
      this.#worker.postMessage(message, [buffer]);
    } else {
      this.#worker.postMessage(message);
    }
  }
}
