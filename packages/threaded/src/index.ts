/**
 * `@earshot/threaded`: the threaded face of earshot. `LiveClient` has synchronous methods and
 * callbacks; its socket lives on a `worker_threads` engine running `@earshot/core`'s stream.
 * Everything a user of this face needs is exported here (errors, options, messages, events).
 */
export * from "@earshot/core";
export {
  type EnginePoolStats,
  engineStats,
  killEngineWorkers,
  setEnginePoolSize,
  setEngineWorkerUrl,
  shutdownEngines,
} from "./engine-pool.ts";
export { FluxClient } from "./flux-client.ts";
export { LiveClient } from "./live-client.ts";
export type { FluxClientOptions, LiveClientOptions } from "./options.ts";
export type {
  OpenSessionRequest,
  SerializedCloseReport,
  SessionEvent,
  SessionEventBatch,
  StreamEndpoint,
  StreamMessage,
} from "./port-protocol.ts";
export { type StopServing, serveLiveSessions } from "./serve-live-sessions.ts";
