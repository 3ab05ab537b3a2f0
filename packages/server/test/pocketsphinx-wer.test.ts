/**
 * The word error rate the pocketsphinx accuracy tests rely on (@earshot/testkit's wer.ts):
 * minimal edit distance over normalised words, split into its kinds.
 */
import { normalizeWords, wordErrorRate } from "@earshot/testkit";
import { describe, expect, it } from "vitest";

describe("wordErrorRate", () => {
  it("is zero for the same words, whatever the case and punctuation", () => {
    expect(wordErrorRate("Good morning, and welcome!", "good morning and welcome")).toMatchObject({
      errors: 0,
      referenceWords: 4,
      rate: 0,
    });
  });

  it("counts substitutions, deletions and insertions by the cheapest alignment", () => {
    expect(wordErrorRate("clouds will move in", "clubs will move in")).toMatchObject({
      substitutions: 1,
      deletions: 0,
      insertions: 0,
      rate: 0.25,
    });
    expect(wordErrorRate("stay cool through the week", "stay through the week")).toMatchObject({
      deletions: 1,
      errors: 1,
    });
    expect(wordErrorRate("have a pleasant day", "have a very pleasant day")).toMatchObject({
      insertions: 1,
      errors: 1,
    });
    expect(wordErrorRate("a b c", "x y z w")).toMatchObject({ errors: 4, substitutions: 3, insertions: 1 });
  });

  it("handles empty texts", () => {
    expect(wordErrorRate("", "").rate).toBe(0);
    expect(wordErrorRate("", "noise").rate).toBe(1);
    expect(wordErrorRate("two words", "")).toMatchObject({ deletions: 2, rate: 1 });
  });

  it("normalises to lowercase words, keeping apostrophes inside words", () => {
    expect(normalizeWords("Don't stop — Bob's 'quoted' text, 2 times.")).toEqual([
      "don't",
      "stop",
      "bob's",
      "quoted",
      "text",
      "2",
      "times",
    ]);
  });
});
