/**
 * The messages a `/v1/listen` server sends (docs/protocol.md §4), as a union discriminated on
 * `type`. Field names are the wire names.
 */

/** One recognised word. Times are seconds of audio sent since the stream's start. */
export interface Word {
  /** The word as recognised, lower case, without punctuation. */
  word: string;
  /** Start time in seconds. */
  start: number;
  /** End time in seconds. */
  end: number;
  /** Confidence between 0 and 1. */
  confidence: number;
  /** The word with punctuation and casing (with `punctuate` or `smart_format`). */
  punctuated_word?: string;
  /** Speaker index (with diarization). */
  speaker?: number;
  /** Confidence of the speaker label (with diarization). */
  speaker_confidence?: number;
  /** The word's language (with `language=multi`). */
  language?: string;
}

/** One transcription hypothesis of a span of audio. */
export interface Alternative {
  /** The transcript text; empty during silence. */
  transcript: string;
  /** Confidence between 0 and 1. */
  confidence: number;
  /** The words, in order. */
  words: Word[];
  /** Languages detected in the span (with `language=multi`). */
  languages?: string[];
}

/** Which model produced a result. */
export interface ModelInfo {
  name: string;
  version: string;
  arch: string;
}

/** An entity found with `detect_entities`. */
export interface Entity {
  /** The entity's kind, e.g. `"NUMBER"`. */
  label: string;
  /** The normalised value. */
  value: string;
  /** The text as spoken. */
  raw_value?: string;
  confidence?: number;
  /** Index of the entity's first word in `words`. */
  start_word?: number;
  /** Index after the entity's last word in `words`. */
  end_word?: number;
}

/**
 * A transcript of one span of audio on one channel. Interim results (`is_final: false`) are
 * revised until a final for the same span arrives; `speech_final: true` marks an endpoint.
 *
 * @example
 * ```ts
 * if (message.type === "Results" && message.is_final) {
 *   console.log(message.channel.alternatives[0]?.transcript);
 * }
 * ```
 */
export interface ResultsMessage {
  type: "Results";
  /** `[channel, total channels]`. */
  channel_index: [number, number];
  /** Length of the span in seconds. */
  duration: number;
  /** Start of the span in seconds of audio sent since the stream's start. */
  start: number;
  /** Whether this span's transcript is final. */
  is_final: boolean;
  /** Whether an endpoint (enough silence) ends this span. */
  speech_final: boolean;
  /**
   * Whether this result was flushed by a `Finalize` message. Servers that predate the field
   * omit it; the parser fills in `false` then.
   */
  from_finalize: boolean;
  channel: { alternatives: Alternative[] };
  metadata: {
    request_id: string;
    model_info: ModelInfo;
    model_uuid: string;
    /** The `extra` query parameters, echoed back. */
    extra?: Record<string, string>;
  };
  /** Entities found (with `detect_entities`). */
  entities?: Entity[];
}

/**
 * The stream's summary: sent once, after `CloseStream` or just before a server-side close
 * (e.g. the NET-0001 idle timeout).
 */
export interface MetadataMessage {
  type: "Metadata";
  /** Always `"deprecated"`. */
  transaction_key: string;
  request_id: string;
  /** SHA-256 of the audio received, hex; `"incomplete"` when the stream did not end normally. */
  sha256: string;
  /** When the stream started, ISO 8601. */
  created: string;
  /** Seconds of audio received. */
  duration: number;
  channels: number;
  /** Model uuids used. */
  models?: string[];
  /** Model details by uuid. */
  model_info?: Record<string, ModelInfo>;
  /** The `extra` query parameters, echoed back. */
  extra?: Record<string, string>;
}

/** An utterance ended: no word for `utterance_end_ms` (needs `interim_results`). */
export interface UtteranceEndMessage {
  type: "UtteranceEnd";
  /** `[channel, total channels]`. */
  channel: [number, number];
  /** End time in seconds of the utterance's last word. */
  last_word_end: number;
}

/** Speech began (needs `vad_events`). */
export interface SpeechStartedMessage {
  type: "SpeechStarted";
  /** `[channel, total channels]`. */
  channel: [number, number];
  /** When speech began, in seconds of audio. */
  timestamp: number;
}

/** A problem the server reports without closing (e.g. a malformed control message). */
export interface ErrorMessage {
  type: "Error";
  description: string;
  variant?: string;
  code?: string;
  message?: string;
}

/** A warning from the server (e.g. a deprecated parameter). */
export interface WarningMessage {
  type: "Warning";
  description: string;
  variant?: string;
  code?: string;
  message?: string;
}

/**
 * A text frame that is not a known, well-formed message: malformed JSON, not an object, an
 * unknown `type`, or a known type with a missing or mistyped field. Delivered, never dropped,
 * so new server messages reach the application.
 */
export interface UnhandledMessage {
  type: "Unhandled";
  /** The frame's text, exactly as received. */
  raw: string;
  /** What did not fit, in plain words (names the field for a known type). */
  reason: string;
  /** The parsed JSON value, when the text was valid JSON. */
  data?: unknown;
}

/** Every message a live transcription server sends, discriminated on `type`. */
export type ServerMessage =
  | ResultsMessage
  | MetadataMessage
  | UtteranceEndMessage
  | SpeechStartedMessage
  | ErrorMessage
  | WarningMessage
  | UnhandledMessage;

/** The `type` of every message `parseServerMessage` can return. */
export type ServerMessageType = ServerMessage["type"];
