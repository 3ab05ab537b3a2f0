/**
 * `@earshot/threaded`: the threaded face of earshot. `LiveClient` has synchronous methods and
 * callbacks; its socket lives on a `worker_threads` engine running `@earshot/core`'s session.
 */

export {
  type LiveTranscriptionEvent,
  type LiveTranscriptionEventMap,
  LiveTranscriptionEvents,
  type LiveTranscriptionHandler,
} from "@earshot/core";
export {
  type EnginePoolStats,
  engineStats,
  killEngineWorkers,
  setEnginePoolSize,
  shutdownEngines,
} from "./engine-pool.ts";
export { LiveClient, type LiveClientOptions } from "./live-client.ts";
export type { OpenSessionRequest, SerializedCloseReport, SessionEvent } from "./port-protocol.ts";
export { type StopServing, serveLiveSessions } from "./serve-live-sessions.ts";
