/**
 * Holding a fast "does it fit?" check to the verdict of the shape checker it stands in for:
 * every single-field mutation of valid messages (each field deleted or replaced by values of
 * every JSON kind and the edge cases of numbers and pairs) goes through both.
 */

/** Values every field is tried with in place of its own (`undefined`: the field deleted). */
export const FIELD_REPLACEMENTS: readonly unknown[] = [
  undefined,
  "text",
  "",
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  null,
  true,
  [],
  [0, 1],
  [0, -1],
  [0.5, 1],
  [1, 2, 3],
  ["en"],
  {},
  { name: "n", version: "v", arch: "a" },
];

type Path = (string | number)[];

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
export function fieldPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const here = [...prefix, key];
    return [here, ...fieldPaths((value as Record<string | number, unknown>)[key], here)];
  });
}

/** A deep copy of `message` with the value at `path` replaced (or deleted, for undefined). */
export function withField(
  message: Record<string, unknown>,
  path: Path,
  replacement: unknown,
): Record<string, unknown> {
  const copy = structuredClone(message);
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** How the two checks compared over every mutation. */
export interface VerdictComparison {
  readonly compared: number;
  /** Mutations the reference refused. */
  readonly refused: number;
  /** Where the two disagreed: the field path and the value, as text. */
  readonly disagreements: string[];
}

/** Runs `fast` and `reference` over every single-field mutation of each of `messages`. */
export function compareVerdicts(
  messages: readonly Record<string, unknown>[],
  fast: (message: Record<string, unknown>) => boolean,
  reference: (message: Record<string, unknown>) => boolean,
): VerdictComparison {
  let compared = 0;
  let refused = 0;
  const disagreements: string[] = [];
  for (const message of messages) {
    for (const path of fieldPaths(message)) {
      for (const replacement of FIELD_REPLACEMENTS) {
        const candidate = withField(message, path, replacement);
        const expected = reference(candidate);
        if (fast(candidate) !== expected)
          disagreements.push(`${path.join(".")} = ${JSON.stringify(replacement) ?? "(deleted)"}`);
        compared++;
        if (!expected) refused++;
      }
    }
  }
  return { compared, refused, disagreements };
}
