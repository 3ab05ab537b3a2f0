/** The client pipeline both faces deliver their events through. */

export {
  EventPipeline,
  type PipelineEvents,
  type PipelineHandler,
  type QueuedEvent,
} from "./event-pipeline.ts";
export { type EventArgsMap, HandlerRegistry } from "./handler-registry.ts";
export { PipelineClient } from "./pipeline-client.ts";
export {
  deliverSessionEvents,
  deliverStreamEvents,
  listenEventSink,
  type SessionEventHooks,
  type StreamEventSink,
} from "./session-events.ts";
export { warnLater } from "./warn.ts";
