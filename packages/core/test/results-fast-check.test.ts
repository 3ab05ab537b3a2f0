import { readFixtures } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { resultsFit } from "../src/messages/results-fast-check.ts";
import { SERVER_MESSAGE_SHAPES } from "../src/messages/server-shapes.ts";

/**
 * The straight-line Results check is a second copy of the Results shape's rules, written for
 * speed: it must agree with the shape on every message, or a broken Results would reach
 * handlers (or a good one be refused). Both run here over every recorded Results and every
 * single-field mutation of them.
 */
const results = readFixtures("messages")
  .filter((fixture) => /^messages\/Results\./.test(fixture.name) && !fixture.name.endsWith(".fragment.json"))
  .map((fixture) => JSON.parse(fixture.text) as Record<string, unknown>);

/** A Results with every optional field present, so each of them gets mutated too. */
function everyOptionalField(message: Record<string, unknown>): Record<string, unknown> {
  type Rich = Record<string, unknown> & {
    metadata: Record<string, unknown>;
    channel: { alternatives: Record<string, unknown>[] };
  };
  const rich = structuredClone(message) as Rich;
  rich.from_finalize = false;
  rich.entities = [
    { label: "NAME", value: "ada", raw_value: "Ada", confidence: 0.9, start_word: 0, end_word: 1 },
  ];
  rich.metadata.extra = { team: "ears" };
  const alternative = rich.channel.alternatives[0] as Record<string, unknown>;
  alternative.languages = ["en"];
  alternative.words = [
    {
      word: "hi",
      start: 0,
      end: 0.5,
      confidence: 0.9,
      punctuated_word: "Hi",
      speaker: 0,
      speaker_confidence: 0.8,
      language: "en",
    },
  ];
  return rich;
}

/** Values every field is tried with in place of its own. */
const REPLACEMENTS: unknown[] = [
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
  {},
  { name: "n", version: "v", arch: "a" },
];

type Path = (string | number)[];

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const here = [...prefix, key];
    return [here, ...paths((value as Record<string | number, unknown>)[key], here)];
  });
}

/** A deep copy of `message` with the value at `path` replaced (or deleted, for undefined). */
function mutated(
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

const shapeFits = (message: Record<string, unknown>): boolean =>
  SERVER_MESSAGE_SHAPES.Results(message) === undefined;

describe("the straight-line Results check agrees with the Results shape", () => {
  results.push(everyOptionalField(results[0] as Record<string, unknown>));

  it("on every recorded Results", () => {
    expect(results.length).toBeGreaterThanOrEqual(7);
    for (const message of results) {
      expect(resultsFit(message)).toBe(true);
      expect(shapeFits(message)).toBe(true);
    }
  });

  it("on every single-field mutation of them (one of them with every optional field)", () => {
    let compared = 0;
    let refused = 0;
    for (const message of results) {
      for (const path of paths(message)) {
        for (const replacement of REPLACEMENTS) {
          const candidate = mutated(message, path, replacement);
          const expected = shapeFits(candidate);
          expect(resultsFit(candidate), `${path.join(".")} = ${String(replacement)}`).toBe(expected);
          compared++;
          if (!expected) refused++;
        }
      }
    }
    // Both verdicts occur in bulk: the comparison is not one-sided.
    expect(refused).toBeGreaterThan(1000);
    expect(compared - refused).toBeGreaterThan(1000);
  });
});
