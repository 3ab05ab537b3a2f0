/**
 * The straight-line check of a `Results` message: the one message type that arrives many times
 * a second per stream (an interim every 100 ms or so, a word list each). It answers only "does
 * it fit?", with no closures, no iteration over field tables and nothing allocated; the shape
 * checker (messages/shape.ts) runs only when this says no, to name what is wrong. Measured on
 * 100,000 real-shaped Results (`pnpm bench --only receive`), the generic checker was about a
 * sixth of the client's CPU; this is the same rules written out.
 *
 * It must accept exactly what the `Results` shape in server-shapes.ts accepts: the unit test
 * results-fast-check.test.ts runs both over the same valid and broken messages.
 */

import {
  type Fields,
  isNumber,
  isObject,
  isOptionalNumber,
  isOptionalString,
  isOptionalStrings,
} from "./value-checks.ts";

function isChannelPair(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [index, total] = value as unknown[];
  return (
    Number.isInteger(index) && (index as number) >= 0 && Number.isInteger(total) && (total as number) >= 0
  );
}

function isWord(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.word === "string" &&
    isNumber(value.start) &&
    isNumber(value.end) &&
    isNumber(value.confidence) &&
    isOptionalString(value.punctuated_word) &&
    isOptionalNumber(value.speaker) &&
    isOptionalNumber(value.speaker_confidence) &&
    isOptionalString(value.language)
  );
}

function isAlternative(value: unknown): boolean {
  if (!isObject(value) || typeof value.transcript !== "string" || !isNumber(value.confidence)) return false;
  const { words, languages } = value;
  if (!Array.isArray(words)) return false;
  for (let i = 0; i < words.length; i++) if (!isWord(words[i])) return false;
  return isOptionalStrings(languages);
}

function isModelInfo(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.name === "string" &&
    typeof value.version === "string" &&
    typeof value.arch === "string"
  );
}

function isMetadata(value: unknown): boolean {
  if (
    !isObject(value) ||
    typeof value.request_id !== "string" ||
    typeof value.model_uuid !== "string" ||
    !isModelInfo(value.model_info)
  )
    return false;
  const { extra } = value;
  if (extra === undefined) return true;
  if (!isObject(extra)) return false;
  for (const key in extra) if (Object.hasOwn(extra, key) && typeof extra[key] !== "string") return false;
  return true;
}

function isEntity(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.label === "string" &&
    typeof value.value === "string" &&
    isOptionalString(value.raw_value) &&
    isOptionalNumber(value.confidence) &&
    isOptionalNumber(value.start_word) &&
    isOptionalNumber(value.end_word)
  );
}

/** True when `data` (a parsed `Results` message) has every field the protocol requires. */
export function resultsFit(data: Fields): boolean {
  if (
    !isChannelPair(data.channel_index) ||
    !isNumber(data.duration) ||
    !isNumber(data.start) ||
    typeof data.is_final !== "boolean" ||
    typeof data.speech_final !== "boolean" ||
    (data.from_finalize !== undefined && typeof data.from_finalize !== "boolean") ||
    !isMetadata(data.metadata)
  )
    return false;
  const { channel, entities } = data;
  if (!isObject(channel) || !Array.isArray(channel.alternatives)) return false;
  const alternatives = channel.alternatives as unknown[];
  for (let i = 0; i < alternatives.length; i++) if (!isAlternative(alternatives[i])) return false;
  if (entities === undefined) return true;
  if (!Array.isArray(entities)) return false;
  for (let i = 0; i < entities.length; i++) if (!isEntity(entities[i])) return false;
  return true;
}
