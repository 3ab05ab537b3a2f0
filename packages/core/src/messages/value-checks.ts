/**
 * The value tests the straight-line message checks (results-fast-check.ts,
 * flux/turn-info-fast-check.ts) are made of: the same rules as shape.ts's `string`, `number`,
 * `optional(...)` and `object(...)`, as plain predicates that allocate nothing.
 */

/** A parsed JSON object's fields. */
export type Fields = Record<string, unknown>;

/** True for an object that is not an array or null (shape.ts's `object`). */
export function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A finite number (shape.ts's `number`). */
export function isNumber(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value);
}

export function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

export function isOptionalNumber(value: unknown): boolean {
  return value === undefined || isNumber(value);
}

/** Absent, or an array of strings. */
export function isOptionalStrings(value: unknown): boolean {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== "string") return false;
  return true;
}
