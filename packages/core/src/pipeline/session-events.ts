/**
 * A reconnecting session's events, turned into a client's events: every server message goes to
 * the event that carries it, `Reconnecting`/`Reconnected` pass through, and the close report
 * becomes `Error` then `Close`. A {@link StreamEventSink} does the turning, once per endpoint
 * (`/v1/listen` here, Flux in `flux/flux-delivery.ts`); the async face feeds it from the
 * session in its own thread, the threaded face from the events its engine posts.
 */
import { eventForMessage, type LiveTranscriptionEventMap } from "../events.ts";
import type { ServerMessage } from "../messages.ts";
import type { ReconnectingSession } from "../reconnect/reconnecting-session.ts";
import type { ReconnectedInfo, ReconnectingInfo } from "../reconnect/types.ts";
import type { CloseReport } from "../session/close-report.ts";
import type { MessageInfo } from "../session/types.ts";
import type { EventPipeline } from "./event-pipeline.ts";

/** Where a stream's events go: each call queues client events (the caller delivers them). */
export interface StreamEventSink<M> {
  open(info: { readonly requestId: string | undefined }): void;
  message(message: M): void;
  reconnecting(info: ReconnectingInfo): void;
  reconnected(info: ReconnectedInfo): void;
  /** The stream is over: queues `Error` (if any) and `Close`, the last events. */
  close(report: CloseReport): void;
}

/** Hooks a face adds around the pipeline (the async face feeds its iterators). */
export interface SessionEventHooks<M = ServerMessage> {
  message?(message: M, info: MessageInfo): void;
  closing?(report: CloseReport): void;
  closed?(report: CloseReport): void;
}

/**
 * `/v1/listen`'s sink: each message on its own event (`Unhandled` for the rest).
 *
 * @example
 * ```ts
 * const sink = listenEventSink(pipeline);
 * sink.message(result);
 * pipeline.flush();
 * ```
 */
export function listenEventSink(
  pipeline: EventPipeline<LiveTranscriptionEventMap>,
): StreamEventSink<ServerMessage> {
  return {
    open: (info) => pipeline.push("open", info),
    message(message) {
      const { event, payload } = eventForMessage(message);
      pipeline.push(event, payload as never);
    },
    reconnecting: (info) => pipeline.push("reconnecting", info),
    reconnected: (info) => pipeline.push("reconnected", info),
    close: (report) => pipeline.close(report),
  };
}

/**
 * Delivers `session`'s events through `sink`, flushing `pipeline` after each.
 *
 * @example
 * ```ts
 * deliverStreamEvents(stream, new FluxDelivery(pipeline, options), pipeline);
 * ```
 */
export function deliverStreamEvents<M extends { readonly type: string }>(
  session: ReconnectingSession<M>,
  sink: StreamEventSink<M>,
  pipeline: { flush(): void },
  hooks: SessionEventHooks<M> = {},
): void {
  session.on("open", (info) => {
    sink.open(info);
    pipeline.flush();
  });
  session.on("message", (message, info) => {
    hooks.message?.(message, info);
    sink.message(message);
    pipeline.flush();
  });
  session.on("reconnecting", (info) => {
    sink.reconnecting(info);
    pipeline.flush();
  });
  session.on("reconnected", (info) => {
    sink.reconnected(info);
    pipeline.flush();
  });
  session.on("close", (report) => {
    hooks.closing?.(report);
    sink.close(report);
    pipeline.flush();
    hooks.closed?.(report);
  });
}

/**
 * Delivers a `/v1/listen` session's events through `pipeline`.
 *
 * @example
 * ```ts
 * deliverSessionEvents(session, pipeline, { message: (message) => hub.publish(message) });
 * ```
 */
export function deliverSessionEvents(
  session: ReconnectingSession,
  pipeline: EventPipeline<LiveTranscriptionEventMap>,
  hooks: SessionEventHooks = {},
): void {
  deliverStreamEvents(session, listenEventSink(pipeline), pipeline, hooks);
}
