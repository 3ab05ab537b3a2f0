/**
 * The fields each `/v1/listen` message type must have (docs/protocol.md §4), as shapes: what
 * `parseServerMessage` checks, and what names the problem when a message does not fit.
 */
import {
  arrayOf,
  boolean,
  channelPair,
  number,
  object,
  optional,
  recordOf,
  type Shape,
  string,
} from "./shape.ts";
import type { ServerMessageType } from "./types.ts";

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
export const SERVER_MESSAGE_SHAPES: Readonly<Record<Exclude<ServerMessageType, "Unhandled">, Shape>> = {
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
