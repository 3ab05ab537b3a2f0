/**
 * The messages a `/v1/listen` server sends (docs/protocol.md §4), and the one parser that turns a
 * text frame into one of them without ever throwing.
 */

import { resultsFit } from "./messages/results-fast-check.ts";
import { SERVER_MESSAGE_SHAPES as SHAPES } from "./messages/server-shapes.ts";
import { describeProblem, isRecord } from "./messages/shape.ts";
import type { ServerMessage, UnhandledMessage } from "./messages/types.ts";

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
  if (type === "Results" && resultsFit(data)) {
    // The hot path: most messages are Results, and a fitting one needs no problem text.
    if (data.from_finalize === undefined) data.from_finalize = false;
    return data as unknown as ServerMessage;
  }
  if (!isKnownType(type)) return unhandled(text, `unknown message type "${type}"`, data);
  const problem = SHAPES[type](data);
  if (problem !== undefined) return unhandled(text, `${type} message: ${describeProblem(problem)}`, data);
  if (type === "Results" && data.from_finalize === undefined) data.from_finalize = false;
  return data as unknown as ServerMessage;
}
