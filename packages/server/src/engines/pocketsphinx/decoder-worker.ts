/**
 * The body of a decoder worker thread: loads the library and model, then serves the engine's
 * messages in order (one ps_process_raw call can block for ~300 ms, which is why decoding
 * lives off the main thread).
 *
 * It runs from its source text (see decoder-thread.ts), so it must stay self-contained: it
 * receives `require` and its two helpers as arguments instead of importing them.
 */
import type * as WorkerThreads from "node:worker_threads";
import type * as Koffi from "koffi";
import type { EngineEvent } from "../../engine.ts";
import type { createDecoder as CreateDecoder, StreamingDecoder } from "./decoder.ts";
import type { bindPocketsphinx as BindPocketsphinx, PocketsphinxApi } from "./ffi-bindings.ts";
import type { DecoderWorkerData, FromDecoderWorker, ToDecoderWorker } from "./worker-protocol.ts";

/** Runs the worker. `load` is the worker's own `require`. */
export function decoderWorkerMain(
  load: (id: string) => unknown,
  helpers: {
    readonly bindPocketsphinx: typeof BindPocketsphinx;
    readonly createDecoder: typeof CreateDecoder;
  },
): void {
  const threads = load("node:worker_threads") as typeof WorkerThreads;
  const port = threads.parentPort;
  if (!port) throw new Error("decoderWorkerMain must run in a worker thread");
  const data = threads.workerData as DecoderWorkerData;
  const post = (message: FromDecoderWorker): void => port.postMessage(message);
  const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

  let koffi: typeof Koffi;
  try {
    koffi = load(data.koffiPath) as typeof Koffi;
  } catch (error) {
    post({ type: "init-error", stage: "koffi", message: describe(error) });
    return;
  }
  let api: PocketsphinxApi;
  try {
    api = helpers.bindPocketsphinx(koffi, data.libraries);
  } catch (error) {
    post({ type: "init-error", stage: "library", message: describe(error) });
    return;
  }
  let decoder: StreamingDecoder;
  try {
    decoder = helpers.createDecoder(api, data.settings);
  } catch (error) {
    post({ type: "init-error", stage: "model", message: describe(error) });
    return;
  }

  let current = -1;
  let failed = false;
  const emitFor =
    (stream: number) =>
    (event: EngineEvent): void =>
      post({ type: "event", stream, event });

  // A failure belongs to the stream being decoded; the next begin() starts the decoder afresh.
  const guarded = (stream: number, work: () => void): void => {
    if (failed) return;
    try {
      work();
    } catch (error) {
      failed = true;
      post({ type: "stream-error", stream, message: describe(error) });
    }
  };

  port.on("message", (message: ToDecoderWorker) => {
    switch (message.type) {
      case "warm": {
        try {
          decoder.begin({ interim: false });
          decoder.write(message.samples, () => {});
          decoder.flush(() => {});
          decoder.end();
          decoder.keepNormalisation();
        } catch {
          // A warm-up that fails leaves a cold decoder, which still decodes.
        }
        break;
      }
      case "begin":
        current = message.stream;
        failed = false;
        guarded(current, () => decoder.begin({ interim: message.interim }));
        break;
      case "audio":
        if (message.stream === current) {
          guarded(current, () => decoder.write(message.samples, emitFor(current)));
        }
        break;
      case "flush":
        if (message.stream === current && message.keepUtterance !== true)
          guarded(current, () => decoder.flush(emitFor(current)));
        post({ type: "flushed", stream: message.stream, id: message.id });
        break;
      case "end":
        if (message.stream === current) {
          current = -1;
          try {
            decoder.end();
          } catch {
            // Nothing was being decoded that anyone still waits for.
          }
        }
        break;
      case "close":
        decoder.free();
        port.close();
        break;
    }
  });
  post({ type: "ready" });
}
