/**
 * Builds the server's messages with their keys in wire order (as in fixtures/deepgram/):
 * object literals keep insertion order through JSON.stringify, so the order written here is
 * the order a client sees.
 */
import { createHash } from "node:crypto";
import type {
  ErrorMessage,
  LiveOptions,
  MetadataMessage,
  ModelInfo,
  ResultsMessage,
  SpeechStartedMessage,
  UtteranceEndMessage,
  WarningMessage,
} from "@earshot/core";
import type { RenderedAlternative } from "./punctuator.ts";
import { roundTime } from "./time.ts";

/** The model a session reports: a stable uuid per engine and model name. */
export interface ModelDescription {
  readonly uuid: string;
  readonly info: ModelInfo;
}

/** Version string reported in `model_info.version`. */
const MODEL_VERSION = "earshot-0.1.0";

/** The model for an engine and the requested `model` (the arch echoes it, `base` by default). */
export function describeModel(engineName: string, options: LiveOptions): ModelDescription {
  const arch = typeof options.model === "string" && options.model !== "" ? options.model : "base";
  const digest = createHash("sha256").update(`${engineName}\0${arch}`).digest("hex");
  // A name-based uuid (version 5 layout) so the same engine and model always report the same id.
  const variant = ((Number.parseInt(digest.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const uuid = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-${variant}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  return { uuid, info: { name: engineName, version: MODEL_VERSION, arch } };
}

/** What every Results of one session shares. */
export interface ResultsContext {
  readonly requestId: string;
  readonly model: ModelDescription;
  readonly extra: Record<string, string> | undefined;
}

export interface ResultsFields {
  readonly channel: [number, number];
  readonly start: number;
  readonly end: number;
  readonly isFinal: boolean;
  readonly speechFinal: boolean;
  readonly fromFinalize: boolean;
  readonly alternative: RenderedAlternative;
}

export function resultsMessage(context: ResultsContext, fields: ResultsFields): ResultsMessage {
  const start = roundTime(fields.start);
  return {
    type: "Results",
    channel_index: fields.channel,
    duration: roundTime(Math.max(0, fields.end - fields.start)),
    start,
    is_final: fields.isFinal,
    speech_final: fields.speechFinal,
    channel: {
      alternatives: [
        {
          transcript: fields.alternative.transcript,
          confidence: fields.alternative.confidence,
          words: fields.alternative.words,
        },
      ],
    },
    // The real service puts `extra` first (fixture Results.metadata-with-extra.fragment.json).
    metadata: {
      ...(context.extra === undefined ? {} : { extra: context.extra }),
      request_id: context.requestId,
      model_info: context.model.info,
      model_uuid: context.model.uuid,
    },
    from_finalize: fields.fromFinalize,
  };
}

export interface MetadataFields {
  readonly requestId: string;
  readonly sha256: string;
  readonly created: Date;
  readonly duration: number;
  readonly channels: number;
  /** Omitted when no audio was received, as in fixture Metadata.no-audio.capture.json. */
  readonly model: ModelDescription | undefined;
}

export function metadataMessage(fields: MetadataFields): MetadataMessage {
  const message: MetadataMessage = {
    type: "Metadata",
    transaction_key: "deprecated",
    request_id: fields.requestId,
    sha256: fields.sha256,
    created: fields.created.toISOString(),
    duration: roundTime(fields.duration),
    channels: fields.channels,
  };
  if (fields.model !== undefined) {
    message.models = [fields.model.uuid];
    message.model_info = { [fields.model.uuid]: fields.model.info };
  }
  return message;
}

export function utteranceEndMessage(channel: [number, number], lastWordEnd: number): UtteranceEndMessage {
  return { type: "UtteranceEnd", channel, last_word_end: roundTime(lastWordEnd) };
}

export function speechStartedMessage(channel: [number, number], timestamp: number): SpeechStartedMessage {
  return { type: "SpeechStarted", channel, timestamp: roundTime(timestamp) };
}

export function errorMessage(variant: string, description: string): ErrorMessage {
  return { type: "Error", variant, description };
}

export function warningMessage(variant: string, description: string): WarningMessage {
  return { type: "Warning", variant, description };
}
