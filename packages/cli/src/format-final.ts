/**
 * A final result as caption lines: its transcript, optionally preceded by its time span
 * (`--timestamps`), its channel (multichannel streams) and split into speaker turns
 * (`--speakers`, with `--diarize`).
 */
import type { ResultsMessage, Word } from "@earshot/core";

/** What to show besides the words. */
export interface FinalFormat {
  readonly timestamps: boolean;
  readonly speakers: boolean;
}

/** `m:ss.s` — minutes unpadded, tenths of a second. */
export function formatClock(seconds: number): string {
  const safe = Math.max(0, seconds);
  const minutes = Math.floor(safe / 60);
  const rest = safe - minutes * 60;
  return `${minutes}:${rest.toFixed(1).padStart(4, "0")}`;
}

function wordText(word: Word): string {
  return word.punctuated_word ?? word.word;
}

/** Consecutive words by the same speaker, as `[speaker, text, start, end]` turns. */
function speakerTurns(
  words: readonly Word[],
): { speaker: number | undefined; text: string; start: number; end: number }[] {
  const turns: { speaker: number | undefined; text: string; start: number; end: number }[] = [];
  for (const word of words) {
    const last = turns.at(-1);
    if (last !== undefined && last.speaker === word.speaker) {
      last.text += ` ${wordText(word)}`;
      last.end = word.end;
    } else {
      turns.push({ speaker: word.speaker, text: wordText(word), start: word.start, end: word.end });
    }
  }
  return turns;
}

/**
 * The lines to print for a final result; none when it carries no words.
 *
 * @example
 * formatFinal(results, { timestamps: true, speakers: false }); // ["[0:01.2 → 0:03.9] good morning"]
 */
export function formatFinal(result: ResultsMessage, format: FinalFormat): string[] {
  const alternative = result.channel.alternatives[0];
  const transcript = alternative?.transcript.trim() ?? "";
  if (transcript === "") return [];
  const [channel, channels] = result.channel_index;
  const channelLabel = channels > 1 ? `[channel ${channel}] ` : "";
  const span = (start: number, end: number) =>
    format.timestamps ? `[${formatClock(start)} → ${formatClock(end)}] ` : "";
  const words = alternative?.words ?? [];
  if (format.speakers && words.some((word) => word.speaker !== undefined)) {
    return speakerTurns(words).map(
      (turn) => `${span(turn.start, turn.end)}${channelLabel}Speaker ${turn.speaker ?? "?"}: ${turn.text}`,
    );
  }
  return [`${span(result.start, result.start + result.duration)}${channelLabel}${transcript}`];
}
