/**
 * Stable live captions from interim results. Interim hypotheses are revised as more audio is
 * heard, so showing each one as it comes makes captions "backspace" over words already read.
 * Following LocalAgreement (Macháček et al., 2023), the words that consecutive hypotheses agree
 * on are committed: they are shown from then on and never change again before the final; only
 * the tail after them may still change. A final result replaces the whole caption, as the
 * server's last word on that stretch of audio.
 */
import type { ResultsMessage } from "../messages.ts";
import { agreedTokens, type CaptionToken, joinTokens, tokenize } from "./tokens.ts";

/** A caption for one channel, as it should be shown now. */
export interface Caption {
  /** The channel it belongs to (`channel_index[0]`). */
  readonly channel: number;
  /** Text that will not change again until the final (shown normally). */
  readonly committed: string;
  /** Text after it that may still change (shown dimmed, or not at all). */
  readonly tentative: string;
  /** True for a final caption: the text is all in `committed`, and the next caption starts afresh. */
  readonly final: boolean;
  /** Audio seconds the caption covers. */
  readonly start: number;
  readonly end: number;
}

/** How the stabiliser decides. */
export interface CaptionStabilizerOptions {
  /**
   * How many consecutive hypotheses must agree on a word before it is committed (the `n` of
   * LocalAgreement-n). 1 commits every word at once (no stabilising). @default 2
   */
  readonly agreement?: number;
}

interface ChannelState {
  committed: CaptionToken[];
  /** The latest hypotheses, newest last (at most `agreement` of them). */
  history: CaptionToken[][];
  start: number;
  end: number;
}

function lastWordIndex(tokens: readonly CaptionToken[]): number {
  for (let index = tokens.length - 1; index >= 0; index--) {
    if (tokens[index]?.key !== undefined) return index;
  }
  return -1;
}

/**
 * Turns a stream of `Results` messages into stable captions, per channel.
 *
 * The newest hypothesis's last word is never committed on agreement alone: it is often a word
 * still being spoken, which the next hypothesis completes ("to" → "today").
 *
 * @example
 * ```ts
 * const stabilizer = new CaptionStabilizer();
 * client.on(LiveTranscriptionEvents.Transcript, (result) => {
 *   const caption = stabilizer.push(result);
 *   if (caption.final) print(caption.committed);
 *   else draw(caption.committed, caption.tentative); // the tentative part dimmed
 * });
 * ```
 */
export class CaptionStabilizer {
  readonly #agreement: number;
  readonly #channels = new Map<number, ChannelState>();
  /** Per channel: audio end of captions promoted to final by {@link promoteAll}. */
  readonly #promotedUntil = new Map<number, number>();

  constructor(options: CaptionStabilizerOptions = {}) {
    const agreement = options.agreement ?? 2;
    if (!Number.isInteger(agreement) || agreement < 1) {
      throw new RangeError(`agreement must be a whole number ≥ 1, got ${agreement}`);
    }
    this.#agreement = agreement;
  }

  /**
   * Takes the next `Results` message and returns its channel's caption. A final that only
   * repeats audio already promoted by {@link promoteAll} comes back empty.
   */
  push(result: ResultsMessage): Caption {
    const channel = result.channel_index[0];
    const start = result.start;
    const end = result.start + result.duration;
    const text = (result.channel.alternatives[0]?.transcript ?? "").trim();
    if (result.is_final) {
      this.#channels.delete(channel);
      const promotedUntil = this.#promotedUntil.get(channel);
      this.#promotedUntil.delete(channel);
      // Hundredths: server timestamps are rounded to a few decimals.
      const alreadyShown = promotedUntil !== undefined && end <= promotedUntil + 0.01;
      return { channel, committed: alreadyShown ? "" : text, tentative: "", final: true, start, end };
    }
    const tokens = tokenize(text);
    const state = this.#channels.get(channel) ?? { committed: [], history: [], start, end };
    state.history.push(tokens);
    if (state.history.length > this.#agreement) state.history.shift();
    state.end = end;
    if (state.history.length === this.#agreement) {
      let agreed = tokens.length;
      for (const earlier of state.history) agreed = Math.min(agreed, agreedTokens(earlier, tokens));
      const limit = this.#agreement === 1 ? tokens.length : lastWordIndex(tokens);
      let commitTo = Math.min(agreed, Math.max(0, limit));
      // A commitment ends on a word: the separator after it belongs with the next word.
      while (commitTo > 0 && tokens[commitTo - 1]?.key === undefined) commitTo--;
      const extendsCommitted = agreedTokens(state.committed, tokens) >= state.committed.length;
      if (commitTo > state.committed.length && extendsCommitted) state.committed = tokens.slice(0, commitTo);
    }
    this.#channels.set(channel, state);
    return this.#caption(channel, state, tokens);
  }

  /**
   * Ends every caption in progress as if its final had come: the committed text and the tail
   * become final. For when a final is overdue (no reply to `Finalize`, see `FinalizeWatch`).
   * A final the server sends later for the same audio is then dropped by {@link push}.
   */
  promoteAll(): Caption[] {
    const promoted: Caption[] = [];
    for (const [channel, state] of this.#channels) {
      const latest = state.history.at(-1) ?? [];
      const caption = this.#caption(channel, state, latest);
      const text = `${caption.committed}${caption.tentative}`.trim();
      this.#promotedUntil.set(channel, state.end);
      if (text !== "") {
        promoted.push({
          channel,
          committed: text,
          tentative: "",
          final: true,
          start: state.start,
          end: state.end,
        });
      }
    }
    this.#channels.clear();
    return promoted;
  }

  /** Forgets everything (a new stream). */
  reset(): void {
    this.#channels.clear();
    this.#promotedUntil.clear();
  }

  #caption(channel: number, state: ChannelState, latest: readonly CaptionToken[]): Caption {
    const committed = joinTokens(state.committed);
    const tentative = joinTokens(latest.slice(state.committed.length));
    return { channel, committed, tentative, final: false, start: state.start, end: state.end };
  }
}
