/**
 * Subtitles from final results, written as they come (`--srt FILE`, `--vtt FILE`, `-` for
 * stdout): each final becomes one or more cues of at most two lines of 42 columns and at most
 * 7 s, split at word boundaries by the words' own timestamps — the usual broadcast limits.
 */
import type { ResultsMessage, ServerMessage, Word } from "@earshot/core";
import type { Renderer } from "./renderer.ts";
import { displayWidth, printable } from "./terminal/cells.ts";

/** The subtitle formats. */
export type SubtitleFormat = "srt" | "vtt";

/** Cue limits. */
export interface CueLimits {
  /** Columns per line. @default 42 */
  readonly lineWidth?: number;
  /** Lines per cue. @default 2 */
  readonly lines?: number;
  /** Longest cue, in seconds. @default 7 */
  readonly maxSeconds?: number;
  /** Shortest cue, in seconds (extended into the silence after it when there is one). @default 1 */
  readonly minSeconds?: number;
}

/** One subtitle. */
export interface Cue {
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

const wordText = (word: Word) => printable(word.punctuated_word ?? word.word).trim();

/** Greedy line filling: words → lines of at most `width` columns (a longer word gets a line of its own). */
function fill(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && displayWidth(`${last} ${word}`) <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * A final result's cues. With word timestamps a cue ends where its last word ends; without,
 * the result's span is shared among its cues by length.
 */
export function cuesOf(result: ResultsMessage, limits: CueLimits = {}): Cue[] {
  const lineWidth = limits.lineWidth ?? 42;
  const maxLines = limits.lines ?? 2;
  const maxSeconds = limits.maxSeconds ?? 7;
  const alternative = result.channel.alternatives[0];
  const transcript = printable(alternative?.transcript ?? "").trim();
  if (transcript === "") return [];
  const timed: { text: string; start: number; end: number }[] =
    alternative?.words !== undefined && alternative.words.length > 0
      ? alternative.words.map((word) => ({ text: wordText(word), start: word.start, end: word.end }))
      : [];
  if (timed.length === 0) {
    // No timestamps: spread the words evenly over the result's span.
    const words = transcript.split(/\s+/);
    const step = result.duration / words.length;
    for (const [index, text] of words.entries()) {
      timed.push({ text, start: result.start + index * step, end: result.start + (index + 1) * step });
    }
  }
  const cues: Cue[] = [];
  let current: typeof timed = [];
  const flush = () => {
    if (current.length === 0) return;
    cues.push({
      start: (current[0] as (typeof timed)[number]).start,
      end: (current.at(-1) as (typeof timed)[number]).end,
      lines: fill(
        current.map((word) => word.text),
        lineWidth,
      ),
    });
    current = [];
  };
  for (const word of timed) {
    const candidate = [...current, word];
    const tooLong =
      fill(
        candidate.map((entry) => entry.text),
        lineWidth,
      ).length > maxLines;
    const tooSlow =
      current.length > 0 && word.end - (current[0] as (typeof timed)[number]).start > maxSeconds;
    if (current.length > 0 && (tooLong || tooSlow)) flush();
    current.push(word);
  }
  flush();
  return cues;
}

function timestamp(seconds: number, format: SubtitleFormat): string {
  const millis = Math.max(0, Math.round(seconds * 1000));
  const hours = Math.floor(millis / 3_600_000);
  const minutes = Math.floor(millis / 60_000) % 60;
  const secs = Math.floor(millis / 1000) % 60;
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const separator = format === "srt" ? "," : ".";
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}${separator}${pad(millis % 1000, 3)}`;
}

/** WebVTT cue text is markup: `&`, `<` and `>` are written as entities. */
function escapeVtt(line: string): string {
  return line.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * Writes cues as finals arrive. A cue shorter than the minimum duration is held until a later
 * result shows how far it may be stretched (where the next speech starts, or that none came
 * before the minimum); every other cue is written at once.
 */
export class SubtitleWriter implements Renderer {
  readonly #out: NodeJS.WritableStream;
  readonly #format: SubtitleFormat;
  readonly #limits: CueLimits;
  #index = 0;
  /** The cue held back until the next one shows how far it may be extended. */
  #held: Cue | undefined;
  #lastEnd = 0;

  constructor(out: NodeJS.WritableStream, format: SubtitleFormat, limits: CueLimits = {}) {
    this.#out = out;
    this.#format = format;
    this.#limits = limits;
    if (format === "vtt") this.#out.write("WEBVTT\n\n");
  }

  message(message: ServerMessage): void {
    if (message.type !== "Results") return;
    if (message.is_final) {
      for (const cue of cuesOf(message, this.#limits)) {
        this.#release(cue.start);
        // Overlapping cues (channels, rounding) start where the previous one ended.
        const start = Math.max(cue.start, this.#lastEnd);
        this.#held = { ...cue, start, end: Math.max(cue.end, start + 0.001) };
      }
    }
    this.#releaseWhenSettled(message);
  }

  progress(): void {}

  end(): void {
    this.#release(Number.POSITIVE_INFINITY);
  }

  /**
   * Writes the held cue as soon as nothing can change it any more, rather than at the next
   * final, which may be minutes away in a live stream: when it already lasts the minimum, or
   * when a later result (interim or final) shows where the next speech starts — or shows
   * silence reaching past the minimum.
   */
  #releaseWhenSettled(message: ResultsMessage): void {
    const held = this.#held;
    if (held === undefined) return;
    const minimum = held.start + (this.#limits.minSeconds ?? 1);
    if (held.end >= minimum) {
      this.#release(held.end);
      return;
    }
    // The final that made the cue, or one of its own earlier results, says nothing after it.
    if (message.start < held.end - 0.001) return;
    const firstWord = message.channel.alternatives[0]?.words[0];
    if (firstWord !== undefined) this.#release(firstWord.start);
    else if (message.start + message.duration >= minimum) this.#release(minimum);
  }

  /** Writes the held cue, stretched to the minimum duration if the next one leaves room. */
  #release(nextStart: number): void {
    const cue = this.#held;
    if (cue === undefined) return;
    this.#held = undefined;
    const minimum = cue.start + (this.#limits.minSeconds ?? 1);
    const end = Math.max(cue.end, Math.min(minimum, nextStart));
    this.#lastEnd = end;
    this.#index++;
    const timing = `${timestamp(cue.start, this.#format)} --> ${timestamp(end, this.#format)}`;
    const header = this.#format === "srt" ? `${this.#index}\n` : "";
    const lines = this.#format === "vtt" ? cue.lines.map(escapeVtt) : cue.lines;
    this.#out.write(`${header}${timing}\n${lines.join("\n")}\n\n`);
  }
}
