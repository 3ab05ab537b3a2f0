/**
 * Caption text as tokens: words and the separators between them, so that a prefix of tokens is
 * always a prefix of the text. Words are found with `Intl.Segmenter`, which also splits scripts
 * written without spaces (Chinese, Japanese, Thai) into words.
 */

/** One piece of a transcript: a word, or what separates words (spaces, punctuation). */
export interface CaptionToken {
  /** The text as the server wrote it. */
  readonly text: string;
  /** What two hypotheses compare: lower case, for words; undefined for separators. */
  readonly key: string | undefined;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/**
 * Splits `text` into tokens whose texts concatenate back to `text`.
 *
 * @example
 * tokenize("Hello, world").map((token) => token.text); // ["Hello", ",", " ", "world"]
 */
export function tokenize(text: string): CaptionToken[] {
  const tokens: CaptionToken[] = [];
  for (const segment of segmenter.segment(text)) {
    tokens.push({
      text: segment.segment,
      key: segment.isWordLike === true ? segment.segment.toLocaleLowerCase() : undefined,
    });
  }
  return tokens;
}

/** How many leading tokens `a` and `b` share (separators must match by text, words by key). */
export function agreedTokens(a: readonly CaptionToken[], b: readonly CaptionToken[]): number {
  const length = Math.min(a.length, b.length);
  let count = 0;
  while (count < length) {
    const left = a[count] as CaptionToken;
    const right = b[count] as CaptionToken;
    const same =
      left.key !== undefined || right.key !== undefined
        ? left.key === right.key
        : left.text.trim() === right.text.trim();
    if (!same) break;
    count++;
  }
  return count;
}

/** The text of `tokens`. */
export function joinTokens(tokens: readonly CaptionToken[]): string {
  return tokens.map((token) => token.text).join("");
}
