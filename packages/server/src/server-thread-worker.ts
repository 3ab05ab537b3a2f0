/**
 * The worker side of {@link startServerThread}: starts the server with the options it was given
 * and answers the caller's requests until it is asked to close.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { EngineFactory } from "./engine.ts";
import { resolveEngine } from "./engine-registry.ts";
import { pocketsphinxEngine } from "./engines/pocketsphinx/index.ts";
import { scriptedEngine } from "./engines/scripted-engine.ts";
import type {
  ServerThreadOptions,
  ServerThreadReply,
  ServerThreadRequest,
  ServerThreadWorkerData,
} from "./server-thread-protocol.ts";
import { startServer } from "./start-server.ts";
import { WorkerLoadError } from "./worker-load-error.ts";

/** The engine the options name, built with their engine options when the engine takes any. */
function engineFrom(options: ServerThreadOptions): EngineFactory {
  const name = options.engine ?? "scripted";
  if (name === "scripted" && options.script !== undefined) return scriptedEngine(options.script);
  if (name === "pocketsphinx" && options.pocketsphinx !== undefined)
    return pocketsphinxEngine(options.pocketsphinx);
  return resolveEngine(name);
}

async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("server-thread-worker must run in a worker thread");
  const post = (reply: ServerThreadReply): void => port.postMessage(reply);
  const { options } = workerData as ServerThreadWorkerData;
  const {
    engine: _name,
    script: _script,
    pocketsphinx: _pocketsphinx,
    faultsPerSession,
    ...serverOptions
  } = options;
  let sessions = 0;
  const faults =
    faultsPerSession === undefined ? serverOptions.faults : () => faultsPerSession[sessions++] ?? undefined;
  try {
    const server = await startServer({ ...serverOptions, faults, engine: engineFrom(options) });
    port.on("message", (request: ServerThreadRequest) => {
      if (request.op === "resumeReading") {
        server.resumeReading();
        post({ kind: "reply", id: request.id });
      } else if (request.op === "sessionCount") {
        post({ kind: "reply", id: request.id, value: server.sessionCount });
      } else {
        void server.close().finally(() => post({ kind: "reply", id: request.id }));
      }
    });
    post({ kind: "started", url: server.url, port: server.port });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const option = failure instanceof WorkerLoadError ? { option: failure.option } : {};
    post({ kind: "failed", name: failure.name, message: failure.message, ...option });
  }
}

void run();
