/** The public types of a reconnecting stream: its events and how it is made. */
import type { Clock } from "../clock.ts";
import type { DiagnosticsSink } from "../diagnostics.ts";
import type { CallbackError, EarshotError } from "../errors.ts";
import type { ServerMessage } from "../messages.ts";
import type { ClientOptions, LiveOptions } from "../options.ts";
import type { CloseReport } from "../session/close-report.ts";
import type { MessageInfo } from "../session/types.ts";
import type { ReconnectOptions } from "./policy.ts";

/** Payload of the `Reconnecting` event: a drop will be retried. */
export interface ReconnectingInfo {
  /** Which attempt of this outage comes next (1 = the first). */
  readonly attempt: number;
  /** Ms the stream waits before that attempt (backoff with full jitter). */
  readonly delayMs: number;
  /** Why the last connection (or attempt) ended. */
  readonly error: EarshotError;
}

/** Payload of the `Reconnected` event: a new connection took over the stream. */
export interface ReconnectedInfo {
  /** Reconnects of this stream so far, this one included. */
  readonly reconnects: number;
  /** Which attempt of the outage opened (1 = the first). */
  readonly attempt: number;
  /** Why the connection before the outage ended. */
  readonly error: EarshotError;
  /** Ms from the drop to the new connection's open. */
  readonly downtimeMs: number;
  /** Bytes of audio sent again on the new connection. */
  readonly replayedBytes: number;
  /** Seconds added to the new connection's timestamps (where its audio starts on the stream's timeline). */
  readonly offsetSeconds: number;
  /** Seconds of unconfirmed audio the replay bound had dropped: the new connection never hears them (0 normally). */
  readonly lostSeconds: number;
  /** The new connection's `dg-request-id`. */
  readonly requestId: string | undefined;
}

/** The events of a `ReconnectingSession` and their arguments. */
export interface ReconnectingSessionEventMap {
  /** The first connection opened (once). */
  open: [info: { requestId: string | undefined }];
  /** A server message, its timestamps on the stream's timeline. */
  message: [message: ServerMessage, info: MessageInfo];
  reconnecting: [info: ReconnectingInfo];
  reconnected: [info: ReconnectedInfo];
  /** A listener threw; without a `listenerError` listener it becomes a process warning. */
  listenerError: [error: CallbackError];
  /** The stream ended: once, last. */
  close: [report: CloseReport];
}

/** What a `ReconnectingSession` is made from. */
export interface ReconnectingSessionInit {
  readonly options: LiveOptions;
  /** Connection settings; `reconnect` among them turns reconnecting on. */
  readonly client?: ClientOptions;
  /** Overrides `client.reconnect`. */
  readonly reconnect?: boolean | ReconnectOptions;
  /** Time source of the sessions' timeouts and receive times. @default systemClock */
  readonly clock?: Clock;
  /** Where diagnostics go. @default this thread's diagnostics channels */
  readonly diagnostics?: DiagnosticsSink;
  /** The stream's id in diagnostics. @default a per-process counter */
  readonly streamId?: string;
}
