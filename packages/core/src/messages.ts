/**
 * The messages a `/v1/listen` server sends (docs/protocol.md §4), and the one parser that turns a
 * text frame into one of them without ever throwing.
 */
import {
  arrayOf,
  boolean,
  channelPair,
  describeProblem,
  isRecord,
  number,
  object,
  optional,
  recordOf,
  type Shape,
  string,
} from "./messages/shape.ts";
import type { ServerMessage, ServerMessageType, UnhandledMessage } from "./messages/types.ts";

export type {
  Alternative,
  Entity,
  ErrorMessage,
  MetadataMessage,
  ModelInfo,
  ResultsMessage,
  ServerMessage,
  ServerMessageType,
  SpeechStartedMessage,
  UnhandledMessage,
  UtteranceEndMessage,
  WarningMessage,
  Word,
} from "./messages/types.ts";

const modelInfo = object({ name: string, version: string, arch: string });
const extra = optional(recordOf(string));

const word = object({
  word: string,
  start: number,
  end: number,
  confidence: number,
  punctuated_word: optional(string),
  speaker: optional(number),
  speaker_confidence: optional(number),
  language: optional(string),
});

const alternative = object({
  transcript: string,
  confidence: number,
  words: arrayOf(word),
  languages: optional(arrayOf(string)),
});

const entity = object({
  label: string,
  value: string,
  raw_value: optional(string),
  confidence: optional(number),
  start_word: optional(number),
  end_word: optional(number),
});

const report = {
  description: string,
  variant: optional(string),
  code: optional(string),
  message: optional(string),
};

/** The fields each known type must have; fields not listed are allowed and kept. */
const SHAPES: Readonly<Record<Exclude<ServerMessageType, "Unhandled">, Shape>> = {
  Results: object({
    channel_index: channelPair,
    duration: number,
    start: number,
    is_final: boolean,
    speech_final: boolean,
    from_finalize: optional(boolean),
    channel: object({ alternatives: arrayOf(alternative) }),
    metadata: object({ request_id: string, model_info: modelInfo, model_uuid: string, extra }),
    entities: optional(arrayOf(entity)),
  }),
  Metadata: object({
    transaction_key: string,
    request_id: string,
    sha256: string,
    created: string,
    duration: number,
    channels: number,
    models: optional(arrayOf(string)),
    model_info: optional(recordOf(modelInfo)),
    extra,
  }),
  UtteranceEnd: object({ channel: channelPair, last_word_end: number }),
  SpeechStarted: object({ channel: channelPair, timestamp: number }),
  Error: object(report),
  Warning: object(report),
};

function unhandled(raw: string, reason: string, data?: unknown): UnhandledMessage {
  return data === undefined ? { type: "Unhandled", raw, reason } : { type: "Unhandled", raw, reason, data };
}

function isKnownType(type: string): type is keyof typeof SHAPES {
  return Object.hasOwn(SHAPES, type);
}

/**
 * Parses one text frame from the server. Never throws: anything that is not a known,
 * well-formed message comes back as an {@link UnhandledMessage} carrying the raw text and the
 * reason. A known message is returned as parsed, with every field (also ones this version
 * does not know) kept.
 *
 * @example
 * ```ts
 * const message = parseServerMessage(text);
 * switch (message.type) {
 *   case "Results": render(message.channel.alternatives[0]?.transcript ?? ""); break;
 *   case "Unhandled": log.warn(message.reason); break;
 * }
 * ```
 */
export function parseServerMessage(text: string): ServerMessage {
  if (typeof text !== "string") return unhandled(String(text), `expected text, got ${typeof text}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return unhandled(text, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(data)) {
    return unhandled(
      text,
      `not a JSON object (got ${Array.isArray(data) ? "an array" : String(data === null ? "null" : typeof data)})`,
      data,
    );
  }
  const { type } = data;
  if (typeof type !== "string") return unhandled(text, 'no string "type" field', data);
  if (!isKnownType(type)) return unhandled(text, `unknown message type "${type}"`, data);
  const problem = SHAPES[type](data);
  if (problem !== undefined) return unhandled(text, `${type} message: ${describeProblem(problem)}`, data);
  if (type === "Results" && data.from_finalize === undefined) data.from_finalize = false;
  return data as unknown as ServerMessage;
}
