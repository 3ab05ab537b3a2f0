/**
 * The messages between a `LiveClient` and the engine that hosts its session. This is the
 * public port protocol behind {@link serveLiveSessions}: the client sends one
 * {@link OpenSessionRequest} on the engine port; everything else about that session travels
 * on the session's own `MessagePort` (events back) and shared memory (the outgoing stream).
 */
import type { MessagePort } from "node:worker_threads";
import type {
  ClientDiagnosticName,
  ClientOptions,
  CloseReport,
  FluxOptions,
  FluxServerMessage,
  LiveOptions,
  ReconnectedInfo,
  ReconnectingInfo,
  SerializedEarshotError,
  ServerMessage,
} from "@earshot/core";

/** Sent on the engine port to start a session. `port` and `memory` belong to that session. */
export interface OpenSessionRequest {
  readonly type: "earshot:open-session";
  /** The engine posts {@link SessionEvent}s here; closing it from the client aborts the session. */
  readonly port: MessagePort;
  /** Header + ring (see shared-state.ts and ring-buffer.ts). */
  readonly memory: SharedArrayBuffer;
  /** Which endpoint the stream speaks: `/v1/listen` or Flux's `/v2/listen`. @default "listen" */
  readonly endpoint?: StreamEndpoint;
  /** The endpoint's query: `LiveOptions`, or `FluxOptions` for `"flux"`. */
  readonly options: LiveOptions | FluxOptions;
  readonly client: ClientOptions;
  /** Events the client may leave untaken before the engine gives up on it (SlowConsumerError). */
  readonly maxBufferedEvents: number;
  /** Whether the client's thread listens to diagnostics: the engine then forwards them. @default false */
  readonly diagnostics?: boolean;
  /** The stream's id in diagnostics. */
  readonly streamId?: string;
}

/** The endpoints an engine can host a stream on. */
export type StreamEndpoint = "listen" | "flux";

/** A server message of either endpoint, as the engine posts it. */
export type StreamMessage = ServerMessage | FluxServerMessage;

/** A close report as it crosses threads: the error serialized. */
export interface SerializedCloseReport extends Omit<CloseReport, "error"> {
  readonly error?: SerializedEarshotError;
}

/**
 * What the engine posts on a session port, in order, in batches (one `postMessage` carries
 * every event of one engine turn: {@link SessionEventBatch}); `close` is always the last one.
 * A server message travels as the text it arrived as (`text`), which the application thread
 * parses with the same parser: a string crosses threads far cheaper than a cloned object tree.
 * Only a message the engine changed (re-based after a reconnect) travels as the object.
 */
export type SessionEvent =
  | { readonly t: "open"; readonly requestId: string | undefined }
  | { readonly t: "text"; readonly text: string }
  | { readonly t: "message"; readonly message: StreamMessage }
  | {
      readonly t: "reconnecting";
      readonly info: Omit<ReconnectingInfo, "error"> & { readonly error: SerializedEarshotError };
    }
  | {
      readonly t: "reconnected";
      readonly info: Omit<ReconnectedInfo, "error"> & { readonly error: SerializedEarshotError };
    }
  | { readonly t: "diagnostic"; readonly name: ClientDiagnosticName; readonly payload: object }
  | { readonly t: "close"; readonly report: SerializedCloseReport };

/** One `postMessage` on a session port: the events of one engine turn, in order. */
export type SessionEventBatch = readonly SessionEvent[];

/** Asks an engine worker started by the pool to crash (the test hook of `killEngineWorkers`). */
export interface CrashRequest {
  readonly type: "earshot:crash";
}

/** True when `value` is an {@link OpenSessionRequest}. */
export function isOpenSessionRequest(value: unknown): value is OpenSessionRequest {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "earshot:open-session"
  );
}
