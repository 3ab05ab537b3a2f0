/**
 * The straight-line check of a Flux `TurnInfo`: the message that arrives about every 0.25 s per
 * stream. Like the Results check (messages/results-fast-check.ts), it answers only "does it
 * fit?" with nothing allocated; the shape checker runs only when it says no, to name what is
 * wrong. Measured with `pnpm bench --only flux`: the generic checker took about a tenth of
 * the async client's CPU.
 *
 * It must accept exactly what the `TurnInfo` shape in flux/messages.ts accepts: the unit test
 * turn-info-fast-check.test.ts runs both over the same valid and broken messages.
 */

import {
  type Fields,
  isNumber,
  isObject,
  isOptionalNumber,
  isOptionalStrings,
} from "../messages/value-checks.ts";

function isWord(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.word === "string" &&
    isNumber(value.confidence) &&
    isOptionalNumber(value.start) &&
    isOptionalNumber(value.end)
  );
}

/** True when `data` (a parsed `TurnInfo` message) has every field the protocol requires. */
export function turnInfoFits(data: Fields): boolean {
  if (
    !isOptionalNumber(data.sequence_id) ||
    (data.request_id !== undefined && typeof data.request_id !== "string") ||
    typeof data.event !== "string" ||
    !isNumber(data.turn_index) ||
    !isNumber(data.audio_window_start) ||
    !isNumber(data.audio_window_end) ||
    typeof data.transcript !== "string" ||
    !isNumber(data.end_of_turn_confidence) ||
    (data.trigger !== undefined && typeof data.trigger !== "string") ||
    !isOptionalStrings(data.languages) ||
    !isOptionalStrings(data.languages_hinted)
  )
    return false;
  const { words } = data;
  if (words === undefined) return true;
  if (!Array.isArray(words)) return false;
  for (let i = 0; i < words.length; i++) if (!isWord(words[i])) return false;
  return true;
}
