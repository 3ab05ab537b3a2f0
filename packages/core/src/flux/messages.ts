/**
 * The one parser of Flux server frames: text in, a typed message out, never a throw. Unknown
 * types, events, trigger values and fields are kept (Python SDK 6.0.0 died on a new type:
 * python#668), so what a newer server sends reaches the application.
 */
import {
  arrayOf,
  describeProblem,
  isRecord,
  number,
  object,
  optional,
  type Shape,
  string,
} from "../messages/shape.ts";
import type { UnhandledMessage } from "../messages/types.ts";
import type { FluxServerMessage, FluxServerMessageType } from "./message-types.ts";
import { turnInfoFits } from "./turn-info-fast-check.ts";

const envelope = { sequence_id: optional(number), request_id: optional(string) };

const word = object({ word: string, confidence: number, start: optional(number), end: optional(number) });

const thresholds = object({
  eager_eot_threshold: optional(number),
  eot_threshold: optional(number),
  eot_timeout_ms: optional(number),
});

/** The fields each known type must have; fields not listed are allowed and kept. */
export const FLUX_MESSAGE_SHAPES: Readonly<Record<Exclude<FluxServerMessageType, "Unhandled">, Shape>> = {
  Connected: object(envelope),
  TurnInfo: object({
    ...envelope,
    event: string,
    turn_index: number,
    audio_window_start: number,
    audio_window_end: number,
    transcript: string,
    words: optional(arrayOf(word)),
    end_of_turn_confidence: number,
    trigger: optional(string),
    languages: optional(arrayOf(string)),
    languages_hinted: optional(arrayOf(string)),
  }),
  ConfigureSuccess: object({
    ...envelope,
    thresholds,
    keyterms: arrayOf(string),
    language_hints: optional(arrayOf(string)),
  }),
  ConfigureFailure: object({
    ...envelope,
    code: optional(string),
    description: optional(string),
    error_code: optional(string),
  }),
  Error: object({ ...envelope, code: string, description: string }),
  Warning: object({ ...envelope, code: string, description: string }),
};

function unhandled(raw: string, reason: string, data?: unknown): UnhandledMessage {
  return data === undefined ? { type: "Unhandled", raw, reason } : { type: "Unhandled", raw, reason, data };
}

/**
 * Parses one Flux text frame. Never throws: anything that is not a known, well-formed message
 * comes back as `Unhandled` with the raw text, the reason and (for JSON) the parsed value — its
 * `sequence_id` still counts. A `TurnInfo` without `words` (as in some docs examples) gets `[]`.
 *
 * @example
 * ```ts
 * const message = parseFluxMessage(text);
 * if (message.type === "TurnInfo" && message.event === "EndOfTurn") reply(message.transcript);
 * ```
 */
export function parseFluxMessage(text: string): FluxServerMessage {
  if (typeof text !== "string") return unhandled(String(text), `expected text, got ${typeof text}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return unhandled(text, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(data)) return unhandled(text, "not a JSON object", data);
  const { type } = data;
  if (typeof type !== "string") return unhandled(text, 'no string "type" field', data);
  if (type === "TurnInfo" && turnInfoFits(data)) {
    // The hot path: most messages are TurnInfo, and a fitting one needs no problem text.
    if (data.words === undefined) data.words = [];
    return data as unknown as FluxServerMessage;
  }
  const SHAPES = FLUX_MESSAGE_SHAPES;
  if (!Object.hasOwn(SHAPES, type)) return unhandled(text, `unknown message type "${type}"`, data);
  const problem = SHAPES[type as keyof typeof SHAPES](data);
  if (problem !== undefined) return unhandled(text, `${type} message: ${describeProblem(problem)}`, data);
  if (type === "TurnInfo" && data.words === undefined) data.words = [];
  return data as unknown as FluxServerMessage;
}
