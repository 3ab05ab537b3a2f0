/**
 * Word error rate, the usual accuracy figure for speech recognition: the fewest word
 * substitutions, deletions and insertions that turn the reference into the hypothesis, divided
 * by the number of reference words. Both texts are normalised first (lowercase, punctuation
 * dropped, apostrophes kept), because the recognizer's output is lowercase and unpunctuated.
 */

/** The parts of a word error rate. */
export interface WordErrorRate {
  /** Substitutions + deletions + insertions. */
  readonly errors: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  /** Words in the reference. */
  readonly referenceWords: number;
  /** errors / referenceWords (0 when both are empty). */
  readonly rate: number;
}

/** Lowercase words without punctuation: `"Don't stop, Bob!"` → `["don't", "stop", "bob"]`. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9'\s]+/g, " ")
    .split(/\s+/)
    .map((word) => word.replace(/^'+|'+$/g, ""))
    .filter((word) => word.length > 0);
}

/**
 * Word error rate of `hypothesis` against `reference` (strings are normalised; arrays are
 * taken as they are).
 *
 * @example
 * ```ts
 * wordErrorRate("the cat sat", "the cat sat down").rate; // 1/3
 * ```
 */
export function wordErrorRate(
  reference: string | readonly string[],
  hypothesis: string | readonly string[],
): WordErrorRate {
  const ref = typeof reference === "string" ? normalizeWords(reference) : reference;
  const hyp = typeof hypothesis === "string" ? normalizeWords(hypothesis) : hypothesis;
  // cost[j] holds, for the current reference prefix, the best alignment with hyp[0..j).
  type Cell = { cost: number; sub: number; del: number; ins: number };
  let previous: Cell[] = Array.from({ length: hyp.length + 1 }, (_, j) => ({
    cost: j,
    sub: 0,
    del: 0,
    ins: j,
  }));
  for (let i = 1; i <= ref.length; i++) {
    const current: Cell[] = [{ cost: i, sub: 0, del: i, ins: 0 }];
    for (let j = 1; j <= hyp.length; j++) {
      const diagonal = previous[j - 1] as Cell;
      const up = previous[j] as Cell;
      const left = current[j - 1] as Cell;
      const same = ref[i - 1] === hyp[j - 1];
      const options: Cell[] = [
        { ...diagonal, cost: diagonal.cost + (same ? 0 : 1), sub: diagonal.sub + (same ? 0 : 1) },
        { ...up, cost: up.cost + 1, del: up.del + 1 },
        { ...left, cost: left.cost + 1, ins: left.ins + 1 },
      ];
      current.push(options.reduce((best, option) => (option.cost < best.cost ? option : best)));
    }
    previous = current;
  }
  const last = previous[hyp.length] as Cell;
  return {
    errors: last.cost,
    substitutions: last.sub,
    deletions: last.del,
    insertions: last.ins,
    referenceWords: ref.length,
    rate: ref.length === 0 ? (hyp.length === 0 ? 0 : 1) : last.cost / ref.length,
  };
}
