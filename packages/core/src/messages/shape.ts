/**
 * A very small structural checker for server messages: each `Shape` looks at one value and
 * returns what is wrong with it, or `undefined` when it fits. Hand-written on purpose: the
 * shapes are few, and a schema library would cost more in bundle size and start-up than the
 * checks themselves. Nothing is allocated while values fit: the field path of a problem is
 * built on the way back up, only when there is one.
 */

/** What is wrong, and where (path segments innermost first, filled in on the way up). */
export interface ShapeProblem {
  readonly segments: (string | number)[];
  readonly expected: string;
  readonly actual: unknown;
}

/** Returns the problem with `value`, or `undefined` when it fits. */
export type Shape = (value: unknown) => ShapeProblem | undefined;

/** True for an object that is not an array or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Plain-words name of what a value is, for problem texts (never the value itself). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** `"channel.alternatives[0].words[2].start" must be a number, not a string`. */
export function describeProblem(problem: ShapeProblem): string {
  let path = "";
  for (let i = problem.segments.length - 1; i >= 0; i--) {
    const segment = problem.segments[i];
    path += typeof segment === "number" ? `[${segment}]` : path === "" ? segment : `.${segment}`;
  }
  return problem.actual === undefined
    ? `"${path}" is missing`
    : `"${path}" must be ${problem.expected}, not ${kindOf(problem.actual)}`;
}

function within(problem: ShapeProblem | undefined, segment: string | number): ShapeProblem | undefined {
  problem?.segments.push(segment);
  return problem;
}

function check(expected: string, fits: (value: unknown) => boolean): Shape {
  return (value) => (fits(value) ? undefined : { segments: [], expected, actual: value });
}

export const string: Shape = check("a string", (value) => typeof value === "string");

export const number: Shape = check(
  "a number",
  (value) => typeof value === "number" && Number.isFinite(value),
);

export const boolean: Shape = check("a boolean", (value) => typeof value === "boolean");

/** `[index, total]`, as in `channel_index` and `channel`. */
export const channelPair: Shape = check(
  "a pair [index, total] of integers",
  (value) => Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n) && n >= 0),
);

export function optional(shape: Shape): Shape {
  return (value) => (value === undefined ? undefined : shape(value));
}

export function arrayOf(shape: Shape): Shape {
  return (value) => {
    if (!Array.isArray(value)) return { segments: [], expected: "an array", actual: value };
    for (let i = 0; i < value.length; i++) {
      const problem = shape(value[i]);
      if (problem !== undefined) return within(problem, i);
    }
    return undefined;
  };
}

/** An object whose every value fits `shape` (keys are free). */
export function recordOf(shape: Shape): Shape {
  return (value) => {
    if (!isRecord(value)) return { segments: [], expected: "an object", actual: value };
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const problem = shape(value[key]);
      if (problem !== undefined) return within(problem, key);
    }
    return undefined;
  };
}

/** An object with these fields; other fields are allowed and kept. */
export function object(fields: Readonly<Record<string, Shape>>): Shape {
  const entries = Object.entries(fields);
  return (value) => {
    if (!isRecord(value)) return { segments: [], expected: "an object", actual: value };
    for (const [key, shape] of entries) {
      const problem = shape(value[key]);
      if (problem !== undefined) return within(problem, key);
    }
    return undefined;
  };
}
