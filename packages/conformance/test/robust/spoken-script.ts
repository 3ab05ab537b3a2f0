/**
 * Scripted speech for the exactly-once suite: utterances of level-coded words (see the scripted
 * engine's `wordChoice: "level"`), so every word's identity and times are fixed by the audio,
 * whichever connection hears it. A script knows the words it must produce and where each lies.
 */
import { levelCodedWord, randomInt, silence } from "@earshot/testkit";

/** Bytes of one second of linear16 mono 16 kHz. */
export const BYTES_PER_SECOND = 32_000;
/** One word's audio: the scripted engine's default speaking rate (2.5 words a second). */
export const WORD_SECONDS = 0.4;
/** How many distinct words the server's script knows (w0 … w999). */
export const VOCABULARY = 1_000;

/** The server's script: the tokens a level names, read by level (mono linear16 carries it exactly). */
export const SERVER_SCRIPT = {
  transcript: Array.from({ length: VOCABULARY }, (_, index) => `w${index}`).join(" "),
  wordChoice: "level",
} as const;

/** One utterance: this many words, then this long a pause (whole 10 ms windows). */
export interface UtteranceLayout {
  readonly words: number;
  readonly pauseSeconds: number;
}

/** One word as the engine must report it: its token and its place on the stream's timeline. */
export interface SpokenWord {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

export interface SpokenScript {
  /** The whole stream's audio. */
  readonly audio: Buffer;
  /** Every word, in order, with its times (seconds from the stream's start). */
  readonly words: readonly SpokenWord[];
  /** Byte offset where each utterance starts. */
  readonly utteranceStarts: readonly number[];
}

/** The audio and words of `layout`; word i of the stream is token `w<i>`. */
export function spokenScript(layout: readonly UtteranceLayout[]): SpokenScript {
  const parts: Buffer[] = [];
  const words: SpokenWord[] = [];
  const utteranceStarts: number[] = [];
  let bytes = 0;
  for (const utterance of layout) {
    utteranceStarts.push(bytes);
    for (let n = 0; n < utterance.words; n++) {
      const index = words.length;
      if (index >= VOCABULARY) throw new RangeError(`a script may hold at most ${VOCABULARY} words`);
      const start = bytes / BYTES_PER_SECOND;
      parts.push(levelCodedWord(index, WORD_SECONDS));
      bytes += WORD_SECONDS * BYTES_PER_SECOND;
      words.push({ word: `w${index}`, start, end: bytes / BYTES_PER_SECOND });
    }
    const pause = silence(utterance.pauseSeconds);
    parts.push(pause);
    bytes += pause.length;
  }
  return { audio: Buffer.concat(parts), words, utteranceStarts };
}

/**
 * A seeded layout of `seconds` of speech: utterances of 1–6 words, each followed by a pause of
 * 0.3–0.9 s; the last pause fills the time up exactly.
 */
export function randomLayout(random: () => number, seconds: number): UtteranceLayout[] {
  const layout: UtteranceLayout[] = [];
  let centis = 0;
  const total = Math.round(seconds * 100);
  for (;;) {
    const words = randomInt(random, 1, 6);
    const pause = randomInt(random, 30, 90);
    const length = words * WORD_SECONDS * 100 + pause;
    if (centis + length + 6 * WORD_SECONDS * 100 + 90 > total) {
      layout.push({ words, pauseSeconds: (total - centis - words * WORD_SECONDS * 100) / 100 });
      return layout;
    }
    layout.push({ words, pauseSeconds: pause / 100 });
    centis += length;
  }
}
