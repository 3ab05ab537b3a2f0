/**
 * The messages between a decoder worker thread and the engine on the main thread. A worker
 * serves one stream at a time; `stream` numbers let it skip audio of a stream that has
 * already been released, so a closed stream never delays the next one.
 */
import type { EngineEvent } from "../../engine.ts";
import type { DecoderSettings } from "./decoder.ts";

/** What a decoder worker is started with. */
export interface DecoderWorkerData {
  /** Absolute path of koffi's entry point, resolved (and checked) by the engine on its thread. */
  readonly koffiPath: string;
  /** The worker file to start instead of the one beside the engine's module (bundled apps). */
  readonly workerFile?: string;
  readonly libraries: { readonly pocketsphinx: string; readonly sphinxbase: string };
  readonly settings: DecoderSettings;
}

/** Main thread → worker. */
export type ToDecoderWorker =
  /** Decode speech and throw the result away: a decoder's first utterance is its worst. */
  | { readonly type: "warm"; readonly samples: Int16Array }
  | { readonly type: "begin"; readonly stream: number; readonly interim: boolean }
  | { readonly type: "audio"; readonly stream: number; readonly samples: Int16Array }
  /** `keepUtterance`: only answer once what came before is decoded (a sync point), without ending the utterance. */
  | { readonly type: "flush"; readonly stream: number; readonly id: number; readonly keepUtterance?: boolean }
  | { readonly type: "end"; readonly stream: number }
  /** Free the native decoder and exit. */
  | { readonly type: "close" };

/** Worker → main thread. */
export type FromDecoderWorker =
  | { readonly type: "ready" }
  /** The library or model could not be loaded; the worker exits after sending this. */
  | { readonly type: "init-error"; readonly stage: "koffi" | "library" | "model"; readonly message: string }
  | { readonly type: "event"; readonly stream: number; readonly event: EngineEvent }
  | { readonly type: "flushed"; readonly stream: number; readonly id: number }
  /** Decoding failed for this stream; the decoder is still usable for the next one. */
  | { readonly type: "stream-error"; readonly stream: number; readonly message: string };
