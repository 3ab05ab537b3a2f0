/**
 * The decoder worker thread's entry (dist/decoder-worker.js): loads the library and model, then
 * serves the engine's messages in order (one ps_process_raw call can block for ~300 ms, which is
 * why decoding lives off the main thread). Started by decoder-thread.ts.
 */
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import type * as Koffi from "koffi";
import type { EngineEvent } from "../../engine.ts";
import { createDecoder, type StreamingDecoder } from "./decoder.ts";
import { bindPocketsphinx, type PocketsphinxApi } from "./ffi-bindings.ts";
import type { DecoderWorkerData, FromDecoderWorker, ToDecoderWorker } from "./worker-protocol.ts";

function serve(port: NonNullable<typeof parentPort>, data: DecoderWorkerData): void {
  const post = (message: FromDecoderWorker): void => port.postMessage(message);
  const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

  let koffi: typeof Koffi;
  try {
    koffi = createRequire(import.meta.url)(data.koffiPath) as typeof Koffi;
  } catch (error) {
    post({ type: "init-error", stage: "koffi", message: describe(error) });
    return;
  }
  let api: PocketsphinxApi;
  try {
    api = bindPocketsphinx(koffi, data.libraries);
  } catch (error) {
    post({ type: "init-error", stage: "library", message: describe(error) });
    return;
  }
  let decoder: StreamingDecoder;
  try {
    decoder = createDecoder(api, data.settings);
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

if (parentPort === null) throw new Error("decoder-worker runs only as a worker thread (new Worker(...)).");
serve(parentPort, workerData as DecoderWorkerData);
