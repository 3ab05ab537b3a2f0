/**
 * The event names and payload types shared by both earshot clients (the async
 * `AsyncLiveClient` and the threaded `LiveClient`): one definition, so the two faces cannot
 * drift apart.
 */
import type { EarshotError } from "./errors.ts";
import type {
  ErrorMessage,
  MetadataMessage,
  ResultsMessage,
  ServerMessage,
  SpeechStartedMessage,
  UnhandledMessage,
  UtteranceEndMessage,
  WarningMessage,
} from "./messages.ts";
import type { ReconnectedInfo, ReconnectingInfo } from "./reconnect/types.ts";
import type { CloseReport } from "./session.ts";

/**
 * Event names, with the same values as the Deepgram JS SDK's `LiveTranscriptionEvents`, so code
 * written against that SDK keeps its string literals.
 *
 * @example
 * ```ts
 * client.on(LiveTranscriptionEvents.Transcript, (result) => console.log(result.channel.alternatives[0]?.transcript));
 * ```
 */
export const LiveTranscriptionEvents = {
  /** The socket is open (payload: `{ requestId }`). */
  Open: "open",
  /** The stream is over: exactly once, always the last event (payload: core's `CloseReport`). */
  Close: "close",
  /** A `Results` message, interim or final. */
  Transcript: "Results",
  /** The `Metadata` message the server sends once, just before it closes. */
  Metadata: "Metadata",
  /** An `UtteranceEnd` message (needs `utterance_end_ms`). */
  UtteranceEnd: "UtteranceEnd",
  /** A `SpeechStarted` message (needs `vad_events`). */
  SpeechStarted: "SpeechStarted",
  /** A typed `EarshotError`: connection failure, abnormal close, a handler that threw, … */
  Error: "error",
  /**
   * Any server message without its own event: a type this SDK does not know
   * (`UnhandledMessage`, carrying the raw text) and the undocumented `Error` / `Warning`
   * messages the service sends, typed as `ErrorMessage` / `WarningMessage`. Narrow on `type`.
   */
  Unhandled: "Unhandled",
  /** With `reconnect`: a connection dropped and another attempt follows (payload: attempt, delayMs, error). */
  Reconnecting: "reconnecting",
  /** With `reconnect`: a new connection took over (payload: downtimeMs, replayedBytes, offsetSeconds, …). */
  Reconnected: "reconnected",
} as const;

/** One of the event name strings of {@link LiveTranscriptionEvents}. */
export type LiveTranscriptionEvent = (typeof LiveTranscriptionEvents)[keyof typeof LiveTranscriptionEvents];

/** The payload each event's handler receives. */
export interface LiveTranscriptionEventMap {
  open: { readonly requestId: string | undefined };
  close: CloseReport;
  Results: ResultsMessage;
  Metadata: MetadataMessage;
  UtteranceEnd: UtteranceEndMessage;
  SpeechStarted: SpeechStartedMessage;
  error: EarshotError;
  Unhandled: UnhandledMessage | ErrorMessage | WarningMessage;
  reconnecting: ReconnectingInfo;
  reconnected: ReconnectedInfo;
}

/** A handler for event `E`, typed by its payload. */
export type LiveTranscriptionHandler<E extends LiveTranscriptionEvent> = (
  payload: LiveTranscriptionEventMap[E],
) => void;

/** A server message routed to the event that carries it. */
export type MessageEvent = {
  [E in "Results" | "Metadata" | "UtteranceEnd" | "SpeechStarted" | "Unhandled"]: {
    readonly event: E;
    readonly payload: LiveTranscriptionEventMap[E];
  };
}["Results" | "Metadata" | "UtteranceEnd" | "SpeechStarted" | "Unhandled"];

/** Which event carries a server message: its own, or `Unhandled` for everything else. */
export function eventForMessage(message: ServerMessage): MessageEvent {
  switch (message.type) {
    case "Results":
      return { event: "Results", payload: message };
    case "Metadata":
      return { event: "Metadata", payload: message };
    case "UtteranceEnd":
      return { event: "UtteranceEnd", payload: message };
    case "SpeechStarted":
      return { event: "SpeechStarted", payload: message };
    default:
      return { event: "Unhandled", payload: message };
  }
}
