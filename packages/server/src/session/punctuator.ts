/**
 * The `punctuate` / `smart_format` rendering of words: simple and deterministic. A word the
 * engine wrote with capitals or punctuation ("Hello,") keeps that form; otherwise the first
 * word of a sentence is capitalised, "i" becomes "I", and a final that ends an utterance gets
 * a full stop. `word` itself is always the lower-case spoken form, as on the wire.
 */
import type { Word } from "@earshot/core";
import type { EngineWord } from "../engine.ts";
import { roundTime } from "./time.ts";

/** Words in wire shape plus the alternative's transcript and confidence. */
export interface RenderedAlternative {
  transcript: string;
  confidence: number;
  words: Word[];
}

const SENTENCE_END = /[.?!]$/;
const ANY_TRAILING_PUNCTUATION = /[.?!,;:]$/;

/** Renders one channel's words; remembers across finals whether a sentence is open. */
export class Punctuator {
  /** Whether words get a `punctuated_word` (the client asked for punctuate or smart_format). */
  enabled: boolean;
  #sentenceStart = true;

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  /**
   * Renders `words`. `commit` (finals) keeps the sentence state for the next result;
   * `endsUtterance` closes the sentence with a full stop.
   */
  render(
    words: readonly EngineWord[],
    { commit, endsUtterance }: { commit: boolean; endsUtterance: boolean },
  ): RenderedAlternative {
    let sentenceStart = this.#sentenceStart;
    const out: Word[] = [];
    const written: string[] = [];
    for (const [index, engineWord] of words.entries()) {
      const spoken = spokenForm(engineWord.word);
      const wire: Word = {
        word: spoken,
        start: roundTime(engineWord.start),
        end: roundTime(engineWord.end),
        confidence: engineWord.confidence,
      };
      if (this.enabled) {
        let text = engineWord.word === spoken ? spoken : engineWord.word.trim();
        if (sentenceStart || /^i('|$)/.test(text)) text = capitalise(text);
        if (endsUtterance && index === words.length - 1 && !ANY_TRAILING_PUNCTUATION.test(text)) text += ".";
        sentenceStart = SENTENCE_END.test(text);
        wire.punctuated_word = text;
        written.push(text);
      } else {
        written.push(spoken);
      }
      out.push(wire);
    }
    if (commit)
      this.#sentenceStart = endsUtterance || (words.length === 0 ? this.#sentenceStart : sentenceStart);
    return { transcript: written.join(" "), confidence: meanConfidence(words), words: out };
  }
}

/** The lower-case form without punctuation ("Hello," → "hello", "we'll" stays). */
export function spokenForm(word: string): string {
  const stripped = word
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
    .trim();
  return stripped === "" ? word.toLowerCase().trim() : stripped;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function meanConfidence(words: readonly EngineWord[]): number {
  if (words.length === 0) return 0;
  let sum = 0;
  for (const word of words) sum += word.confidence;
  return Math.round((sum / words.length) * 1e6) / 1e6;
}
