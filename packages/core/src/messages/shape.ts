/**
 * A very small structural checker for server messages: each `Shape` looks at one value and
 * returns what is wrong with it (naming the field's path), or `undefined` when it fits.
 * Hand-written on purpose: the shapes are few, and a schema library would cost more in
 * bundle size and start-up than the checks themselves.
 */

/** Returns a problem naming `path`, or `undefined` when `value` fits. */
export type Shape = (value: unknown, path: string) => string | undefined;

/** Plain-words name of what a value is, for problem texts (never the value itself). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function expected(path: string, what: string, value: unknown): string {
  return value === undefined ? `"${path}" is missing` : `"${path}" must be ${what}, not ${kindOf(value)}`;
}

/** True for an object that is not an array or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

export const string: Shape = (value, path) =>
  typeof value === "string" ? undefined : expected(path, "a string", value);

export const number: Shape = (value, path) =>
  typeof value === "number" && Number.isFinite(value) ? undefined : expected(path, "a number", value);

export const boolean: Shape = (value, path) =>
  typeof value === "boolean" ? undefined : expected(path, "a boolean", value);

/** `[index, total]`, as in `channel_index` and `channel`. */
export const channelPair: Shape = (value, path) =>
  Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n) && n >= 0)
    ? undefined
    : expected(path, "a pair [index, total] of integers", value);

export function optional(shape: Shape): Shape {
  return (value, path) => (value === undefined ? undefined : shape(value, path));
}

export function arrayOf(shape: Shape): Shape {
  return (value, path) => {
    if (!Array.isArray(value)) return expected(path, "an array", value);
    for (let i = 0; i < value.length; i++) {
      const problem = shape(value[i], `${path}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** An object whose every value fits `shape` (keys are free). */
export function recordOf(shape: Shape): Shape {
  return (value, path) => {
    if (!isRecord(value)) return expected(path, "an object", value);
    for (const [key, item] of Object.entries(value)) {
      const problem = shape(item, join(path, key));
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** An object with these fields; other fields are allowed and kept. */
export function object(fields: Readonly<Record<string, Shape>>): Shape {
  return (value, path) => {
    if (!isRecord(value)) return expected(path, "an object", value);
    for (const [key, shape] of Object.entries(fields)) {
      const problem = shape(value[key], join(path, key));
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}
