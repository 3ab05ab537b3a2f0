/**
 * Turns one stream's audio into Flux TurnInfo messages (docs/protocol.md §8.6, §8.10 [L]). The clock
 * is audio received: every 0.25 s of audio is one step, and each step reports one TurnInfo —
 * an Update, or the state change due then. The engine (scripted or pocketsphinx) supplies the
 * words; a 10 ms energy detector supplies the trailing silence the end-of-turn confidence
 * comes from. An event that closes or freezes a transcript (EagerEndOfTurn, EndOfTurn) waits
 * until the engine has ended, by its own endpointing, the utterance holding the turn's last
 * words: a turn's words are then the finals `/v1/listen` gives for the same audio, decoded over
 * the same utterance. Cutting the utterance at the turn's end instead (a flush) would decode
 * it over other audio than v1 does, and pocketsphinx's last words depend on where an utterance
 * starts and ends. Only a timeout, ForceEndTurn and CloseStream cut an utterance, as v1's
 * Finalize and CloseStream do.
 */
import type { FluxTurnEvent, FluxTurnTrigger, FluxWord } from "@earshot/core";
import type { Engine, EngineStream, EngineWord } from "../engine.ts";
import { Punctuator } from "../session/punctuator.ts";
import { roundTime } from "../session/time.ts";
import { endOfTurnConfidence, type TurnSettings } from "./end-of-turn.ts";

/** The fields of one TurnInfo (the session adds type, request_id and sequence_id). */
export interface TurnInfoFields {
  event: FluxTurnEvent;
  turn_index: number;
  audio_window_start: number;
  audio_window_end: number;
  transcript: string;
  words: FluxWord[];
  end_of_turn_confidence: number;
  trigger?: FluxTurnTrigger;
}

export interface TurnDetectorInit {
  readonly engine: Engine;
  readonly sampleRate: number;
  readonly settings: () => TurnSettings;
  readonly emit: (fields: TurnInfoFields) => void;
  /** A 10 ms window whose peak |sample| reaches this is speech. @default 500 */
  readonly speechThreshold?: number;
}

type TurnState = "idle" | "speaking" | "awaiting-end";

/** What an EagerEndOfTurn froze: its transcript, words, and how many engine words it held. */
interface FrozenTurn {
  readonly transcript: string;
  readonly words: FluxWord[];
  readonly wordCount: number;
}

/** Audio per step: one TurnInfo per 0.25 s (§8.6 rule 1). */
const STEP_SECONDS = 0.25;

export class TurnDetector {
  readonly #init: TurnDetectorInit;
  readonly #rate: number;
  readonly #stepSamples: number;
  readonly #windowSamples: number;
  readonly #speechThreshold: number;
  readonly #stream: EngineStream;
  #position = 0;
  #nextStep: number;
  #windowCount = 0;
  #windowPeak = 0;
  /** End of the last speech window, in samples; -1 before any speech. */
  #lastSpeechEnd = -1;
  #state: TurnState = "idle";
  #turnIndex = 0;
  /** Where the current turn's audio window starts (the end of the previous turn), samples. */
  #windowStart = 0;
  #committed: EngineWord[] = [];
  #interim: EngineWord[] = [];
  /** The engine has heard words in an utterance it has not ended yet (no final for them). */
  #utteranceOpen = false;
  /** A flush of ours is running: the finals it brings end the utterance for good. */
  #flushing = false;
  /** The transcript and words an EagerEndOfTurn froze. */
  #frozen: FrozenTurn | undefined;
  #speechSinceEager = false;
  #closed = false;

  constructor(init: TurnDetectorInit) {
    this.#init = init;
    this.#rate = init.sampleRate;
    this.#stepSamples = Math.round(this.#rate * STEP_SECONDS);
    this.#nextStep = this.#stepSamples;
    this.#windowSamples = Math.max(1, Math.round(this.#rate / 100));
    this.#speechThreshold = init.speechThreshold ?? 500;
    // Interim hypotheses give the Updates their words; a short endpoint commits words at pauses.
    this.#stream = init.engine.createStream(
      { sampleRate: this.#rate, channel: 0, options: { interim_results: true, endpointing: 10 } },
      (event) => {
        if (event.type === "final") {
          this.#committed.push(...event.words);
          this.#interim = [];
          // A final without an endpoint that no flush of ours asked for is the engine cutting
          // speech that goes on (pocketsphinx's maximum utterance length): still open.
          this.#utteranceOpen = !event.endpoint && !this.#flushing;
        } else if (event.type === "interim") {
          this.#interim = event.words;
          if (event.words.length > 0) this.#utteranceOpen = true;
        } else {
          this.#utteranceOpen = true;
        }
      },
    );
  }

  /** Whether a turn has started and not ended (ForceEndTurn has something to end). */
  get inTurn(): boolean {
    return this.#state !== "idle";
  }

  /** Seconds of audio received. */
  get audioSeconds(): number {
    return this.#position / this.#rate;
  }

  /** Feeds mono samples; reports one TurnInfo per completed step, in order. */
  async write(samples: Int16Array): Promise<void> {
    let offset = 0;
    while (offset < samples.length && !this.#closed) {
      const take = Math.min(samples.length - offset, this.#nextStep - this.#position);
      const piece = samples.subarray(offset, offset + take);
      this.#stream.write(piece);
      this.#listen(piece);
      offset += take;
      if (this.#position === this.#nextStep) {
        this.#nextStep += this.#stepSamples;
        // A step reports the words of the audio up to it: an engine that decodes elsewhere
        // (pocketsphinx's worker threads) is waited for, so turns do not depend on its speed.
        await this.#stream.sync?.();
        await this.#step();
      }
    }
  }

  /** ForceEndTurn: ends the turn now (`trigger: "manual"`); false when no turn is active. */
  async forceEndTurn(): Promise<boolean> {
    if (this.#state === "idle" || this.#closed) return false;
    await this.#flush();
    // A pending eager transcript is superseded by what is decoded now, without TurnResumed (§8.6).
    this.#endTurn("manual", this.#render(true));
    return true;
  }

  /**
   * CloseStream: decodes what was received and reports it in one last Update when audio arrived
   * since the last step. The open turn is not ended (§8.8).
   */
  async closeStream(): Promise<void> {
    await this.#flush();
    if (this.#closed || this.#position <= this.#nextStep - this.#stepSamples) return;
    const rendered = this.#state === "awaiting-end" && this.#frozen ? this.#frozen : this.#render(false);
    this.#report("Update", this.#state === "idle" ? { transcript: "", words: [] } : rendered);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stream.close();
  }

  #listen(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i++) {
      const magnitude = Math.abs(samples[i] as number);
      if (magnitude > this.#windowPeak) this.#windowPeak = magnitude;
      this.#position++;
      if (++this.#windowCount === this.#windowSamples) this.#judgeWindow();
    }
  }

  #judgeWindow(): void {
    if (this.#windowPeak >= this.#speechThreshold) {
      this.#lastSpeechEnd = this.#position;
      if (this.#state === "awaiting-end") this.#speechSinceEager = true;
    }
    this.#windowCount = 0;
    this.#windowPeak = 0;
  }

  async #step(): Promise<void> {
    const settings = this.#init.settings();
    const silence = this.#silenceSeconds();
    const confidence = endOfTurnConfidence(silence);
    const timedOut = silence * 1000 >= settings.eotTimeoutMs;
    const modelEnds = settings.eotThreshold < 1 && confidence >= settings.eotThreshold;
    const eager = settings.eagerThreshold;
    switch (this.#state) {
      case "idle":
        if (this.#turnWords().length === 0) return this.#report("Update", { transcript: "", words: [] });
        this.#state = "speaking";
        return this.#report("StartOfTurn", this.#render(false), confidence);
      case "speaking": {
        const eagerDue = eager !== undefined && confidence >= eager;
        if (timedOut) {
          // The one end that does not wait for the engine: silence this long is the turn's end
          // even when the engine still holds the utterance open (noise it takes for speech).
          if (this.#utteranceOpen) await this.#flush();
          return this.#endTurn("timeout", this.#render(true), confidence);
        }
        // Due, but the engine has not ended the utterance yet: its final comes within a few
        // steps of silence (pocketsphinx: about half a second), and the turn ends on it.
        if (!(modelEnds || eagerDue) || this.#utteranceOpen)
          return this.#report("Update", this.#render(false), confidence);
        // With eager mode on, a model end is always announced by an EagerEndOfTurn first (one
        // step earlier), so rule 4 ("EndOfTurn's transcript equals the preceding eager one")
        // holds on either reading of whether an EndOfTurn may come without one.
        if (eager !== undefined) return this.#freeze(confidence);
        return this.#endTurn("model", this.#render(true), confidence);
      }
      case "awaiting-end": {
        const frozen = this.#frozen as FrozenTurn;
        if (this.#speechSinceEager || this.#turnWords().length !== frozen.wordCount) {
          this.#state = "speaking";
          this.#frozen = undefined;
          return this.#report("TurnResumed", this.#render(false), confidence);
        }
        if (timedOut) return this.#endTurn("timeout", frozen, confidence);
        if (modelEnds) return this.#endTurn("model", frozen, confidence);
        return this.#report("Update", frozen, confidence);
      }
    }
  }

  #freeze(confidence: number): void {
    const rendered = this.#render(true);
    this.#frozen = { ...rendered, wordCount: this.#turnWords().length };
    this.#speechSinceEager = false;
    this.#state = "awaiting-end";
    this.#report("EagerEndOfTurn", rendered, confidence);
  }

  #endTurn(
    trigger: FluxTurnTrigger,
    rendered: { transcript: string; words: FluxWord[] },
    confidence = endOfTurnConfidence(this.#silenceSeconds()),
  ): void {
    this.#report("EndOfTurn", rendered, confidence, trigger);
    this.#turnIndex++;
    this.#state = "idle";
    this.#frozen = undefined;
    this.#committed = [];
    this.#interim = [];
    this.#utteranceOpen = false;
    this.#windowStart = this.#position;
  }

  #report(
    event: FluxTurnEvent,
    rendered: { transcript: string; words: FluxWord[] },
    confidence = 0,
    trigger?: FluxTurnTrigger,
  ): void {
    if (this.#closed) return;
    const fields: TurnInfoFields = {
      event,
      turn_index: this.#turnIndex,
      audio_window_start: roundTime(this.#windowStart / this.#rate),
      audio_window_end: roundTime(this.#position / this.#rate),
      transcript: rendered.transcript,
      words: rendered.words,
      end_of_turn_confidence: confidence,
    };
    if (trigger !== undefined) fields.trigger = trigger;
    this.#init.emit(fields);
  }

  #turnWords(): EngineWord[] {
    return this.#interim.length === 0 ? this.#committed : [...this.#committed, ...this.#interim];
  }

  /** The turn's words punctuated and cased; `ending` closes the sentence with a full stop. */
  #render(ending: boolean): { transcript: string; words: FluxWord[] } {
    const rendered = new Punctuator(true).render(this.#turnWords(), { commit: false, endsUtterance: ending });
    return {
      transcript: rendered.transcript,
      words: rendered.words.map((word) => ({
        word: word.punctuated_word ?? word.word,
        confidence: word.confidence,
        start: word.start,
        end: word.end,
      })),
    };
  }

  #silenceSeconds(): number {
    return this.#lastSpeechEnd < 0 ? 0 : (this.#position - this.#lastSpeechEnd) / this.#rate;
  }

  async #flush(): Promise<void> {
    if (this.#closed) return;
    this.#flushing = true;
    try {
      await this.#stream.flush("finalize");
    } finally {
      this.#flushing = false;
    }
  }
}
