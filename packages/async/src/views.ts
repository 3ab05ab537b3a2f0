/**
 * Filtered views of the message stream: every `Results`, final `Results` only, and whole
 * utterances (final results joined until the speaker paused).
 */
import type { ResultsMessage, ServerMessage, UtteranceEndMessage, Word } from "@earshot/core";
import type { MessageSubscription } from "./message-stream.ts";

/** Accepts every `Results` message, interim and final. */
export function isResults(message: ServerMessage): message is ResultsMessage {
  return message.type === "Results";
}

/** Accepts final `Results` only (`is_final: true`). */
export function isFinalResults(message: ServerMessage): message is ResultsMessage {
  return message.type === "Results" && message.is_final;
}

/** Accepts what {@link UtteranceIterator} needs: final results and `UtteranceEnd`. */
export function isUtterancePart(message: ServerMessage): message is ResultsMessage | UtteranceEndMessage {
  return isFinalResults(message) || message.type === "UtteranceEnd";
}

/**
 * One utterance: the final results of one channel joined up to an endpoint (`speech_final`) or
 * an `UtteranceEnd`, or up to the end of the stream.
 */
export interface Utterance {
  /** The final transcripts joined with single spaces. */
  readonly transcript: string;
  /** Every word of the joined results, in order. */
  readonly words: readonly Word[];
  /** Seconds of audio from the stream's start: the first word's start (the first result's, without words). */
  readonly start: number;
  /** Seconds of audio from the stream's start: the last word's end (the last result's, without words). */
  readonly end: number;
  /** The channel (0-based `channel_index[0]`) the utterance was spoken on. */
  readonly channel: number;
}

interface PendingUtterance {
  transcripts: string[];
  words: Word[];
  start: number;
  end: number;
}

/**
 * Turns a subscription of final results and `UtteranceEnd` messages into utterances, one
 * channel at a time. Buffering stays in the subscription (bounded); this adds at most one
 * unfinished utterance per channel.
 */
export class UtteranceIterator implements AsyncIterableIterator<Utterance, undefined> {
  readonly #source: MessageSubscription<ResultsMessage | UtteranceEndMessage>;
  readonly #pending = new Map<number, PendingUtterance>();
  readonly #ready: Utterance[] = [];
  #sourceEnded = false;
  #failure: { readonly error: unknown } | undefined;

  constructor(source: MessageSubscription<ResultsMessage | UtteranceEndMessage>) {
    this.#source = source;
  }

  async next(): Promise<IteratorResult<Utterance, undefined>> {
    for (;;) {
      const ready = this.#ready.shift();
      if (ready !== undefined) return { value: ready, done: false };
      if (this.#sourceEnded) {
        const failure = this.#failure;
        this.#failure = undefined;
        if (failure !== undefined) throw failure.error;
        return { value: undefined, done: true };
      }
      try {
        const result = await this.#source.next();
        if (result.done) this.#endSource(undefined);
        else this.#take(result.value);
      } catch (error) {
        // The words already heard are still worth having: they come out before the error.
        this.#endSource({ error });
      }
    }
  }

  /** Detaches from the stream; the stream itself goes on. */
  async return(): Promise<IteratorResult<Utterance, undefined>> {
    this.#sourceEnded = true;
    this.#failure = undefined;
    this.#ready.length = 0;
    this.#pending.clear();
    await this.#source.return();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #take(message: ResultsMessage | UtteranceEndMessage): void {
    if (message.type === "UtteranceEnd") {
      this.#flush(message.channel[0]);
      return;
    }
    const channel = message.channel_index[0];
    const alternative = message.channel.alternatives[0];
    const words = alternative?.words ?? [];
    // A result's span runs from the end of the previous one, silence included: where words
    // were heard, they say best when the utterance started and ended.
    const start = words[0]?.start ?? message.start;
    const end = words.at(-1)?.end ?? message.start + message.duration;
    const pending = this.#pending.get(channel) ?? { transcripts: [], words: [], start, end };
    if (pending.words.length === 0 && words.length > 0) pending.start = start;
    if (words.length > 0 || pending.words.length === 0) pending.end = end;
    if (alternative !== undefined && alternative.transcript !== "")
      pending.transcripts.push(alternative.transcript);
    pending.words.push(...words);
    this.#pending.set(channel, pending);
    if (message.speech_final) this.#flush(channel);
  }

  #flush(channel: number): void {
    const pending = this.#pending.get(channel);
    if (pending === undefined) return;
    this.#pending.delete(channel);
    // Endpoints in silence close utterances with nothing in them: those are not utterances.
    if (pending.transcripts.length === 0 && pending.words.length === 0) return;
    this.#ready.push({
      transcript: pending.transcripts.join(" "),
      words: pending.words,
      start: pending.start,
      end: pending.end,
      channel,
    });
  }

  #endSource(failure: { readonly error: unknown } | undefined): void {
    this.#sourceEnded = true;
    this.#failure = failure;
    for (const channel of [...this.#pending.keys()].sort((a, b) => a - b)) this.#flush(channel);
  }
}
