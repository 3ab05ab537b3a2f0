/** The public types of a reconnecting stream: its events and how it is made. */
import type { Clock } from "../clock.ts";
import type { DiagnosticsSink } from "../diagnostics.ts";
import type { CallbackError, EarshotError } from "../errors.ts";
import type { FluxOptions } from "../flux/options.ts";
import type { ServerMessage } from "../messages.ts";
import type { ClientOptions, LiveOptions, ResolvedClientOptions } from "../options.ts";
import type { CloseReport } from "../session/close-report.ts";
import type { MessageInfo } from "../session/types.ts";
import type { LiveSession } from "../session.ts";
import type { ReconnectOptions } from "./policy.ts";
import type { ReplayedControl } from "./replay-plan.ts";

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

/** The events of a `ReconnectingSession` and their arguments (`M`: the endpoint's message union). */
export interface ReconnectingSessionEventMap<M = ServerMessage> {
  /** The first connection opened (once). */
  open: [info: { requestId: string | undefined }];
  /** A server message, its timestamps on the stream's timeline. */
  message: [message: M, info: MessageInfo];
  /** A server frame handed on unparsed (only with `forwardUnparsed`; see that option). */
  unparsed: [info: MessageInfo];
  reconnecting: [info: ReconnectingInfo];
  reconnected: [info: ReconnectedInfo];
  /** A listener threw; without a `listenerError` listener it becomes a process warning. */
  listenerError: [error: CallbackError];
  /** The stream ended: once, last. */
  close: [report: CloseReport];
}

/**
 * What a `ReconnectingSession` needs to know of the endpoint it carries: how a connection is
 * made, and how a connection's messages are put on the stream's one timeline. `/v1/listen`'s is
 * built in; Flux's is `flux/flux-timeline.ts`.
 */
export interface StreamProtocol<M extends { readonly type: string }> {
  /**
   * A new connection for the stream (not connecting yet), whose audio starts `offsetSeconds`
   * into the stream (where the replay starts); `replacement` for every connection after the
   * first. Frames it queues on the connection go out before the replayed audio. Throws
   * `OptionsError` for options that cannot work.
   */
  connection(
    client: ResolvedClientOptions,
    clock: Clock,
    start: { readonly offsetSeconds: number; readonly replacement: boolean },
  ): LiveSession<M>;
  /** `message` on the stream's timeline, or `undefined` when the stream leaves it out. */
  rebase(message: M): M | undefined;
  /** How far (stream seconds) the message shows the audio fully processed: replay releases it. */
  acknowledges(message: M): number | undefined;
  /**
   * A control frame went out on the stream (or was meant to, on a connection that was failing)
   * after `atByte` bytes of its audio. Called only on a stream that reconnects.
   */
  controlSent?(frame: string, atByte: number): void;
  /**
   * Control frames a replacement connection must be sent again (requests the stream still
   * waits on), each put back at its place in the replayed audio. Asked once per replacement,
   * after {@link StreamProtocol.connection}.
   */
  unansweredControls?(): readonly ReplayedControl[];
}

/** What a `ReconnectingSession` is made from. */
export interface ReconnectingSessionInit<M extends { readonly type: string } = ServerMessage> {
  /** The stream's query; with `protocol`, what its replay and telemetry read (`encoding`, `sample_rate`, …). */
  readonly options: LiveOptions | FluxOptions;
  /** The endpoint. @default `/v1/listen` with `options` */
  readonly protocol?: StreamProtocol<M>;
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
  /**
   * For an engine whose messages are parsed on another thread anyway (the threaded face's):
   * hand frames that mean nothing to the stream on as `unparsed` events instead of parsing
   * them twice. Honoured only while nothing here needs them parsed: not with reconnect (replay
   * acknowledgements, re-basing), nor while the diagnostics read messages. @default false
   */
  readonly forwardUnparsed?: boolean;
}
