/**
 * One channel of the scripted engine. Audio is judged in 10 ms windows (speech if the peak
 * reaches the silence threshold). All bookkeeping is in samples, so times are exact and the
 * same audio always yields the same events, whatever the frame sizes.
 */
import type { EngineEvent, EngineStream, EngineStreamContext, EngineWord } from "../engine.ts";
import type { ResolvedScript } from "./scripted-engine.ts";

export class ScriptedStream implements EngineStream {
  readonly #script: ResolvedScript;
  readonly #emit: (event: EngineEvent) => void;
  readonly #rate: number;
  readonly #windowSamples: number;
  readonly #endpointSamples: number;
  readonly #endpoint: boolean;
  readonly #interim: boolean;
  readonly #slotSamples: number;
  readonly #interimSamples: number;
  #closed = false;

  /** Samples judged so far (whole windows). */
  #position = 0;
  #partialCount = 0;
  #partialPeak = 0;

  #inSpeech = false;
  #silentSamples = 0;
  /** End of the last speech window. */
  #speechEnd = 0;
  #segmentStart = 0;
  #lastInterim = 0;
  /** Words heard in the current utterance, not yet in a final. */
  #words: EngineWord[] = [];

  /** Spread mode: next script token, and speech samples heard of it so far. */
  #nextToken = 0;
  #slotProgress = 0;
  #slotStart = 0;
  /** Largest |sample| of the current word's audio (names the word with `wordChoice: "level"`). */
  #slotPeak = 0;
  /** Explicit mode: next script word. */
  #nextWord = 0;

  constructor(script: ResolvedScript, context: EngineStreamContext, emit: (event: EngineEvent) => void) {
    this.#script = script;
    this.#emit = emit;
    this.#rate = context.sampleRate;
    this.#windowSamples = Math.max(1, Math.round(context.sampleRate / 100));
    const { endpointing, interim_results } = context.options;
    // With endpointing=false silence still closes a segment, but never as an endpoint.
    const endpointMs = typeof endpointing === "number" ? endpointing : 10;
    this.#endpointSamples = Math.max(this.#windowSamples, Math.round((endpointMs / 1000) * this.#rate));
    this.#endpoint = endpointing !== false;
    this.#interim = interim_results === true;
    this.#slotSamples = Math.max(1, Math.round(this.#rate / script.wordsPerSecond));
    this.#interimSamples = Math.max(
      this.#windowSamples,
      Math.round(this.#rate * script.interimIntervalSeconds),
    );
  }

  write(samples: Int16Array): void {
    if (this.#closed) return;
    for (let i = 0; i < samples.length; i++) {
      const magnitude = Math.abs(samples[i] as number);
      if (magnitude > this.#partialPeak) this.#partialPeak = magnitude;
      if (++this.#partialCount === this.#windowSamples) this.#judgeWindow();
    }
  }

  async flush(_reason: "finalize" | "close"): Promise<void> {
    if (this.#closed) return;
    if (this.#partialCount > 0) this.#judgeWindow();
    if (this.#slotProgress * 2 >= this.#slotSamples) this.#completeWord(this.#speechEnd);
    this.#slotProgress = 0;
    // Flushed during a pause: that utterance is over, the pause cannot end it a second time.
    if (this.#silentSamples > 0) this.#inSpeech = false;
    if (this.#words.length > 0 || this.#position > this.#segmentStart) this.#final(false);
  }

  close(): void {
    this.#closed = true;
  }

  #judgeWindow(): void {
    const start = this.#position;
    const count = this.#partialCount;
    const peak = this.#partialPeak;
    const speech = peak >= this.#script.silenceThreshold;
    this.#position += count;
    this.#partialCount = 0;
    this.#partialPeak = 0;
    if (speech) this.#heardSpeech(start, count, peak);
    else this.#heardSilence(count);
    this.#arriveExplicitWords();
    if (this.#interim && this.#position - this.#lastInterim >= this.#interimSamples) {
      this.#lastInterim = this.#position;
      this.#emit({
        type: "interim",
        words: [...this.#words],
        start: this.#time(this.#segmentStart),
        end: this.#time(this.#position),
      });
    }
  }

  #heardSpeech(start: number, count: number, peak: number): void {
    if (!this.#inSpeech) {
      this.#inSpeech = true;
      this.#emit({ type: "speech-started", timestamp: this.#time(start) });
    }
    this.#silentSamples = 0;
    this.#speechEnd = this.#position;
    if (this.#script.words !== undefined) return;
    if (this.#slotProgress === 0) {
      this.#slotStart = start;
      this.#slotPeak = 0;
    }
    this.#slotPeak = Math.max(this.#slotPeak, peak);
    this.#slotProgress += count;
    if (this.#slotProgress < this.#slotSamples) return;
    // Windows need not divide a word's length: the excess starts the next word.
    const excess = this.#slotProgress - this.#slotSamples;
    this.#completeWord(this.#position - excess);
    if (excess > 0) {
      this.#slotProgress = excess;
      this.#slotStart = this.#position - excess;
      this.#slotPeak = peak;
    }
  }

  #heardSilence(count: number): void {
    this.#silentSamples += count;
    if (!this.#inSpeech || this.#silentSamples < this.#endpointSamples) return;
    this.#inSpeech = false;
    // A word at least half spoken when the speaker stopped counts; a shorter start is dropped
    // and the word is heard again from the next speech.
    if (this.#slotProgress * 2 >= this.#slotSamples) this.#completeWord(this.#speechEnd);
    this.#slotProgress = 0;
    this.#final(this.#endpoint);
  }

  #completeWord(end: number): void {
    if (this.#slotProgress === 0) return;
    this.#slotProgress = 0;
    const { tokens, loop, confidence, wordChoice, silenceThreshold } = this.#script;
    if (wordChoice === "level") {
      if (tokens.length === 0) return;
      const index = (this.#slotPeak - silenceThreshold) % tokens.length;
      const word = tokens[index] as string;
      this.#words.push({ word, start: this.#time(this.#slotStart), end: this.#time(end), confidence });
      return;
    }
    if (this.#nextToken >= tokens.length) {
      if (!loop || tokens.length === 0) return;
      this.#nextToken = 0;
    }
    const word = tokens[this.#nextToken++] as string;
    this.#words.push({ word, start: this.#time(this.#slotStart), end: this.#time(end), confidence });
  }

  #arriveExplicitWords(): void {
    const words = this.#script.words;
    if (words === undefined) return;
    const now = this.#time(this.#position);
    while (this.#nextWord < words.length) {
      const next = words[this.#nextWord] as { word: string; start: number; end: number };
      if (next.end > now + 1e-9) break;
      this.#nextWord++;
      this.#words.push({
        word: next.word,
        start: next.start,
        end: next.end,
        confidence: this.#script.confidence,
      });
    }
  }

  #final(endpoint: boolean): void {
    const words = this.#words;
    this.#words = [];
    const start = this.#segmentStart;
    this.#segmentStart = this.#position;
    this.#lastInterim = this.#position;
    this.#emit({ type: "final", words, start: this.#time(start), end: this.#time(this.#position), endpoint });
  }

  #time(samples: number): number {
    return samples / this.#rate;
  }
}
