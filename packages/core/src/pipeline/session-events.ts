/**
 * A reconnecting session's events, turned into a client's events: every server message goes to
 * the event that carries it, `Reconnecting`/`Reconnected` pass through, and the close report
 * becomes `Error` then `Close`. The async face runs it in its own thread; the threaded engine
 * sends the same events across its port.
 */
import { eventForMessage, type LiveTranscriptionEventMap } from "../events.ts";
import type { ServerMessage } from "../messages.ts";
import type { ReconnectingSession } from "../reconnect/reconnecting-session.ts";
import type { CloseReport } from "../session/close-report.ts";
import type { MessageInfo } from "../session/types.ts";
import type { EventPipeline } from "./event-pipeline.ts";

/** Hooks a face adds around the pipeline (the async face feeds its iterators). */
export interface SessionEventHooks {
  message?(message: ServerMessage, info: MessageInfo): void;
  closing?(report: CloseReport): void;
  closed?(report: CloseReport): void;
}

/**
 * Delivers `session`'s events through `pipeline`.
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
  session.on("open", (info) => pipeline.emit("open", info));
  session.on("message", (message, info) => {
    hooks.message?.(message, info);
    const { event, payload } = eventForMessage(message);
    pipeline.emit(event, payload as never);
  });
  session.on("reconnecting", (info) => pipeline.emit("reconnecting", info));
  session.on("reconnected", (info) => pipeline.emit("reconnected", info));
  session.on("close", (report) => {
    hooks.closing?.(report);
    pipeline.close(report);
    pipeline.flush();
    hooks.closed?.(report);
  });
}
