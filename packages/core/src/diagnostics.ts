/**
 * Zero-cost observability, as undici does it: `node:diagnostics_channel` channels that a
 * session publishes to only while someone subscribes, so an unobserved session pays one
 * property read per event. In a browser the same channel objects live in the page (subscribe
 * through them: there is no `node:diagnostics_channel` to look them up by name).
 *
 * @example
 * ```ts
 * import diagnostics_channel from "node:diagnostics_channel";
 * import { DIAGNOSTICS_CHANNELS, type SessionMessageDiagnostic } from "@earshot/core";
 * diagnostics_channel.subscribe(DIAGNOSTICS_CHANNELS.message, (data) => {
 *   const { message, receivedAt } = data as SessionMessageDiagnostic;
 *   console.log(message.type, receivedAt);
 * });
 * ```
 */
import { type DiagnosticsChannel, platform } from "#platform";
import type { ServerMessage } from "./messages.ts";
import type { CloseReport } from "./session/close-report.ts";

/** The channel names. */
export const DIAGNOSTICS_CHANNELS = {
  open: "earshot:session:open",
  message: "earshot:session:message",
  close: "earshot:session:close",
} as const;

/** Published on `earshot:session:open` when a session's socket opens. */
export interface SessionOpenDiagnostic {
  /** The session that opened (its public surface). */
  readonly session: object;
  /** The listen URL, with no credentials in it (the key never goes in the URL). */
  readonly url: string;
  readonly requestId: string | undefined;
  /** Clock milliseconds at open. */
  readonly openedAt: number;
}

/** Published on `earshot:session:message` for every server message. */
export interface SessionMessageDiagnostic {
  readonly session: object;
  readonly message: ServerMessage;
  /** Clock milliseconds when the frame was received. */
  readonly receivedAt: number;
}

/** Published on `earshot:session:close` with the session's one close report. */
export interface SessionCloseDiagnostic {
  readonly session: object;
  readonly report: CloseReport;
}

export type { DiagnosticsChannel, DiagnosticsListener } from "#platform";

/**
 * The diagnostics channel called `name`: Node's `diagnostics_channel.channel(name)`, or in a
 * browser the page's own channel of that name (the same object for the same name).
 *
 * @example
 * ```ts
 * const channel = diagnosticsChannel("earshot:session:close");
 * channel.subscribe((data) => console.log((data as SessionCloseDiagnostic).report.code));
 * ```
 */
export function diagnosticsChannel(name: string): DiagnosticsChannel {
  return platform.diagnosticsChannel(name);
}

/** The channel objects (exported for `hasSubscribers` checks and `subscribe`). */
export const sessionOpenChannel: DiagnosticsChannel = diagnosticsChannel(DIAGNOSTICS_CHANNELS.open);
export const sessionMessageChannel: DiagnosticsChannel = diagnosticsChannel(DIAGNOSTICS_CHANNELS.message);
export const sessionCloseChannel: DiagnosticsChannel = diagnosticsChannel(DIAGNOSTICS_CHANNELS.close);

/**
 * Surfaces an error that no listener took, without throwing into the caller: a process
 * warning in Node (`process.emitWarning`), `console.warn` in a browser.
 *
 * @example
 * ```ts
 * queueMicrotask(() => emitWarning(new Error("a handler threw")));
 * ```
 */
export function emitWarning(error: Error): void {
  platform.emitWarning(error);
}

/**
 * The client channels: the same events from both faces, on the application's thread (the
 * threaded face forwards them from its engine). One table in ARCHITECTURE.md documents them.
 */
export const CLIENT_DIAGNOSTICS_CHANNELS = {
  connect: "earshot:client:connect",
  open: "earshot:client:open",
  audio: "earshot:client:audio",
  result: "earshot:client:result",
  finalLatency: "earshot:client:final-latency",
  endOfTurnLatency: "earshot:client:end-of-turn-latency",
  finalize: "earshot:client:finalize",
  reconnecting: "earshot:client:reconnecting",
  reconnected: "earshot:client:reconnected",
  close: "earshot:client:close",
} as const;

/** A client channel's key. */
export type ClientDiagnosticName = keyof typeof CLIENT_DIAGNOSTICS_CHANNELS;

/** Fields every client diagnostic carries. */
export interface ClientDiagnosticBase {
  /** Identifies the stream (the same for all its connections). */
  readonly streamId: string;
  /** Clock milliseconds (epoch ms with the system clock) when it happened. */
  readonly at: number;
}

/** The payload of each client channel. Plain data, so it crosses threads. */
export interface ClientDiagnostics {
  /** A connection attempt starts (`attempt` 0 = the first connection). */
  connect: ClientDiagnosticBase & { readonly url: string; readonly attempt: number };
  /** A connection opened; `connectMs` since its `connect`. */
  open: ClientDiagnosticBase & { readonly requestId: string | undefined; readonly connectMs: number };
  /**
   * An audio frame was handed to the connection; `streamSeconds` is the stream time at its end:
   * from `encoding`/`sample_rate` for raw audio, from the header for a WAV sent without them
   * (its header bytes are no audio time); undefined when neither gives a fixed byte rate.
   */
  audio: ClientDiagnosticBase & {
    readonly bytes: number;
    readonly totalBytes: number;
    readonly streamSeconds: number | undefined;
  };
  /** A server message arrived; for `Results`, its span end on the stream's timeline. */
  result: ClientDiagnosticBase & {
    readonly type: string;
    readonly isFinal: boolean;
    readonly fromFinalize: boolean;
    readonly audioEndSeconds: number | undefined;
    /** Ms since the stream's first open. */
    readonly sinceOpenMs: number;
  };
  /** Audio end → final: ms between sending the audio a final result ends at and receiving that result. */
  finalLatency: ClientDiagnosticBase & { readonly audioEndSeconds: number; readonly latencyMs: number };
  /**
   * Flux's final: ms between sending the audio an EndOfTurn ends at (its `audio_window_end`,
   * where the server decided the turn was over) and receiving that EndOfTurn.
   */
  endOfTurnLatency: ClientDiagnosticBase & {
    readonly turnIndex: number;
    /** The EndOfTurn's `trigger` (`model`, `timeout`, `manual`); undefined from older servers. */
    readonly trigger: string | undefined;
    readonly audioEndSeconds: number;
    readonly latencyMs: number;
  };
  /** A Finalize round trip: ms from sending Finalize to the first `from_finalize` result. */
  finalize: ClientDiagnosticBase & { readonly roundTripMs: number };
  /** A drop will be retried after `delayMs`. */
  reconnecting: ClientDiagnosticBase & {
    readonly attempt: number;
    readonly delayMs: number;
    readonly code: string;
    readonly message: string;
  };
  /** A new connection took over. */
  reconnected: ClientDiagnosticBase & {
    readonly attempt: number;
    readonly downtimeMs: number;
    readonly replayedBytes: number;
    readonly offsetSeconds: number;
    readonly lostSeconds: number;
  };
  /** The stream ended (once). */
  close: ClientDiagnosticBase & {
    readonly code: number;
    readonly errorCode: string | undefined;
    readonly bytesSent: number;
    readonly reconnects: number;
  };
}

const clientChannels = Object.fromEntries(
  Object.entries(CLIENT_DIAGNOSTICS_CHANNELS).map(([key, name]) => [key, diagnosticsChannel(name)]),
) as Record<ClientDiagnosticName, DiagnosticsChannel>;

/** Where a stream's diagnostics go: straight to the channels, or (threaded engine) to another thread. */
export interface DiagnosticsSink {
  /** Whether anything listens (checked before building a payload). */
  wanted(name: ClientDiagnosticName): boolean;
  publish<N extends ClientDiagnosticName>(name: N, payload: ClientDiagnostics[N]): void;
}

/** The sink of this thread's `diagnostics_channel` channels. */
export const channelSink: DiagnosticsSink = {
  wanted: (name) => clientChannels[name].hasSubscribers,
  publish: (name, payload) => clientChannels[name].publish(payload),
};

/** True when any client channel has a subscriber on this thread. */
export function anyClientDiagnosticsWanted(): boolean {
  return Object.values(clientChannels).some((channel) => channel.hasSubscribers);
}
