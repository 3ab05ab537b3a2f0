/**
 * @earshot/server: a local Deepgram-compatible live transcription server (`/v1/listen`) with
 * a deterministic scripted engine, fault injection and a CLI (`earshot-server`).
 *
 * @example
 * ```ts
 * import { scriptedEngine, startServer } from "@earshot/server";
 * const server = await startServer({ engine: scriptedEngine({ transcript: "hello world" }) });
 * console.log(server.url); // ws://127.0.0.1:PORT
 * await server.close();
 * ```
 * @packageDocumentation
 */

export { NET_0001_REASON } from "./close-reasons.ts";
export type {
  Engine,
  EngineEvent,
  EngineFactory,
  EngineStream,
  EngineStreamContext,
  EngineWord,
} from "./engine.ts";
export { engineNames, registerEngine, resolveEngine } from "./engine-registry.ts";
export {
  DEFAULT_MODEL_DIR,
  POCKETSPHINX_INSTALL_HINT,
  type PocketsphinxEngineOptions,
  PocketsphinxUnavailableError,
  pocketsphinxEngine,
} from "./engines/pocketsphinx/index.ts";
export {
  DEFAULT_TRANSCRIPT,
  SCRIPTED_ENGINE_NAME,
  type ScriptedWord,
  type ScriptOptions,
  scriptedEngine,
} from "./engines/scripted-engine.ts";
export type { FaultPlan, LocalServer, ServerOptions } from "./server-options.ts";
export { type ServerThread, startServerThread } from "./server-thread.ts";
export type { ServerThreadOptions } from "./server-thread-protocol.ts";
export { startServer } from "./start-server.ts";
export { WorkerLoadError } from "./worker-load-error.ts";
