/**
 * The messages a Flux server sends (docs/protocol.md §8.5), as a union discriminated on `type`;
 * `TurnInfo` is discriminated further on `event`. Field names are the wire names. Every
 * enumeration is open (`| (string & {})`): a value newer than this package passes through.
 */
import type { UnhandledMessage } from "../messages/types.ts";

/** What a `TurnInfo` reports (§8.6). */
export type FluxTurnEvent = "Update" | "StartOfTurn" | "EagerEndOfTurn" | "TurnResumed" | "EndOfTurn";

/** Why a turn ended: the model's confidence, a `ForceEndTurn`, or `eot_timeout_ms` of silence. */
export type FluxTurnTrigger = "model" | "manual" | "timeout";

/** Fields every Flux message may carry. */
interface FluxEnvelope {
  /**
   * 0 on the first message of a connection, +1 per message of any type. Required by the API
   * reference; absent from some docs examples, so optional here (§8.5).
   */
  sequence_id?: number;
  /** The stream's id (the `dg-request-id` of the handshake, most likely). */
  request_id?: string;
}

/** A recognised word. `word` is punctuated and cased. */
export interface FluxWord {
  word: string;
  confidence: number;
  /** Seconds from the stream's start (servers since 2026-07-02). */
  start?: number;
  /** Seconds from the stream's start (servers since 2026-07-02). */
  end?: number;
}

/** The first message: the stream is ready. */
export interface FluxConnectedMessage extends FluxEnvelope {
  type: "Connected";
}

/**
 * The state of the current turn.
 *
 * @example
 * ```ts
 * if (message.type === "TurnInfo" && message.event === "EndOfTurn") console.log(message.transcript);
 * ```
 */
export interface FluxTurnInfoMessage extends FluxEnvelope {
  type: "TurnInfo";
  event: FluxTurnEvent | (string & {});
  /** The current turn, from 0; increments right after each EndOfTurn. */
  turn_index: number;
  /** Start of the audio behind `transcript`, seconds. */
  audio_window_start: number;
  /** End of the audio behind `transcript`, seconds. */
  audio_window_end: number;
  /** The whole turn so far, punctuated and cased. */
  transcript: string;
  /** The turn's words. Docs examples sometimes omit them: the parser fills in `[]` then. */
  words: FluxWord[];
  /** Confidence (0–1) that the turn is over. */
  end_of_turn_confidence: number;
  /** On EndOfTurn only (servers since 2026-08-28). */
  trigger?: FluxTurnTrigger | (string & {});
  /** `flux-general-multi`: languages by word count, descending. */
  languages?: string[];
  /** `flux-general-multi`: the hints active for this turn. */
  languages_hinted?: string[];
}

/** The thresholds a Configure sets (and a ConfigureSuccess reports). */
export interface FluxThresholds {
  eager_eot_threshold?: number;
  eot_threshold?: number;
  eot_timeout_ms?: number;
}

/** A Configure was applied; the values now in force. */
export interface FluxConfigureSuccessMessage extends FluxEnvelope {
  type: "ConfigureSuccess";
  thresholds: FluxThresholds;
  keyterms: string[];
  language_hints?: string[];
}

/**
 * A Configure was refused; the previous configuration stays. The reference has only the
 * envelope, the docs example `code`/`description` (pipecat reads `error_code`): all optional.
 */
export interface FluxConfigureFailureMessage extends FluxEnvelope {
  type: "ConfigureFailure";
  code?: string;
  description?: string;
  error_code?: string;
}

/** A fatal error; the server closes the stream right after it. */
export interface FluxErrorMessage extends FluxEnvelope {
  type: "Error";
  /** e.g. `INTERNAL_SERVER_ERROR`, `UNPARSABLE_CLIENT_MESSAGE`. */
  code: string;
  description: string;
}

/** A non-fatal problem, e.g. `FORCE_END_TURN_NO_ACTIVE_TURN`. */
export interface FluxWarningMessage extends FluxEnvelope {
  type: "Warning";
  code: string;
  description: string;
}

/** Every message a Flux server sends; anything else arrives as `Unhandled` with its raw text. */
export type FluxServerMessage =
  | FluxConnectedMessage
  | FluxTurnInfoMessage
  | FluxConfigureSuccessMessage
  | FluxConfigureFailureMessage
  | FluxErrorMessage
  | FluxWarningMessage
  | UnhandledMessage;

/** The `type` of every message `parseFluxMessage` can return. */
export type FluxServerMessageType = FluxServerMessage["type"];
