/**
 * Feeds decoded audio to the engine (one stream per channel with `multichannel`, else one
 * stream of the downmix) and turns engine events into wire messages: Results, SpeechStarted
 * (`vad_events`) and UtteranceEnd (`utterance_end_ms`).
 */
import type { LiveOptions } from "@earshot/core";
import { downmix } from "../audio/audio-decoder.ts";
import type { Engine, EngineEvent, EngineStream } from "../engine.ts";
import {
  type ResultsContext,
  resultsMessage,
  speechStartedMessage,
  utteranceEndMessage,
} from "./messages.ts";
import { Punctuator } from "./punctuator.ts";

interface ChannelState {
  readonly index: number;
  readonly stream: EngineStream;
  readonly punctuator: Punctuator;
  /** Set while a flush runs: finals of a Finalize carry `from_finalize: true`. */
  flushing: "finalize" | "close" | undefined;
  lastWordEnd: number;
  utteranceEndDue: boolean;
}

export interface TranscriberInit {
  readonly engine: Engine;
  readonly options: LiveOptions;
  readonly context: ResultsContext;
  readonly send: (message: object) => void;
}

export class Transcriber {
  readonly #init: TranscriberInit;
  #channels: ChannelState[] = [];
  #sampleRate = 0;
  #frames = 0;
  #closed = false;
  /** Punctuation chosen by a `Configure` before the first audio opened the streams. */
  #punctuateFromConfigure: boolean | undefined;

  constructor(init: TranscriberInit) {
    this.#init = init;
  }

  /** Seconds of audio received (per channel). */
  get audioSeconds(): number {
    return this.#sampleRate === 0 ? 0 : this.#frames / this.#sampleRate;
  }

  /** Engine streams open (1, or the channel count with `multichannel`). */
  get streamCount(): number {
    return this.#channels.length;
  }

  /** Writes one decoded frame: one Int16Array per source channel. */
  write(channels: readonly Int16Array[], sampleRate: number): void {
    if (this.#closed || channels.length === 0) return;
    const frames = channels[0]?.length ?? 0;
    if (frames === 0) return;
    if (this.#channels.length === 0) this.#open(channels.length, sampleRate);
    this.#frames += frames;
    if (this.#init.options.multichannel === true) {
      for (const state of this.#channels) state.stream.write(channels[state.index] as Int16Array);
    } else {
      this.#channels[0]?.stream.write(downmix(channels));
    }
    for (const state of this.#channels) this.#checkUtteranceEnd(state);
  }

  /** Flushes every channel (or one, for `Finalize` with `channel`). */
  async flush(reason: "finalize" | "close", channel?: number): Promise<void> {
    const targets = this.#channels.filter((state) => channel === undefined || state.index === channel);
    await Promise.all(
      targets.map(async (state) => {
        state.flushing = reason;
        try {
          await state.stream.flush(reason);
        } finally {
          state.flushing = undefined;
        }
      }),
    );
  }

  /** Turns punctuation on or off mid-stream (`Configure`). */
  configure(features: Record<string, unknown>): void {
    const enabled = features.punctuate === true || features.smart_format === true;
    const disabled = features.punctuate === false || features.smart_format === false;
    for (const state of this.#channels) {
      if (enabled) state.punctuator.enabled = true;
      else if (disabled) state.punctuator.enabled = false;
    }
    if (enabled || disabled) this.#punctuateFromConfigure = enabled;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const state of this.#channels) state.stream.close();
  }

  #open(sourceChannels: number, sampleRate: number): void {
    const { engine, options } = this.#init;
    this.#sampleRate = sampleRate;
    const count = options.multichannel === true ? sourceChannels : 1;
    const punctuate =
      this.#punctuateFromConfigure ?? (options.punctuate === true || options.smart_format === true);
    for (let index = 0; index < count; index++) {
      const partial: { state?: ChannelState } = {};
      const stream = engine.createStream({ sampleRate, channel: index, options }, (event) => {
        if (partial.state !== undefined) this.#onEvent(partial.state, event);
      });
      partial.state = {
        index,
        stream,
        punctuator: new Punctuator(punctuate),
        flushing: undefined,
        lastWordEnd: 0,
        utteranceEndDue: false,
      };
      this.#channels.push(partial.state);
    }
  }

  #onEvent(state: ChannelState, event: EngineEvent): void {
    if (this.#closed) return;
    const { options, context, send } = this.#init;
    const channel: [number, number] = [state.index, this.#channels.length];
    switch (event.type) {
      case "speech-started":
        // Speech again: no UtteranceEnd until this speech has been finalised.
        state.utteranceEndDue = false;
        if (options.vad_events === true) send(speechStartedMessage(channel, event.timestamp));
        return;
      case "interim":
        if (options.interim_results !== true) return;
        send(
          resultsMessage(context, {
            channel,
            start: event.start,
            end: event.end,
            isFinal: false,
            speechFinal: false,
            fromFinalize: false,
            alternative: state.punctuator.render(event.words, { commit: false, endsUtterance: false }),
          }),
        );
        break;
      case "final": {
        const speechFinal = event.endpoint && options.endpointing !== false;
        send(
          resultsMessage(context, {
            channel,
            start: event.start,
            end: event.end,
            isFinal: true,
            speechFinal,
            fromFinalize: state.flushing === "finalize",
            alternative: state.punctuator.render(event.words, {
              commit: true,
              endsUtterance: event.endpoint || state.flushing !== undefined,
            }),
          }),
        );
        break;
      }
    }
    const lastWord = event.words[event.words.length - 1];
    if (lastWord === undefined) return;
    state.lastWordEnd = Math.max(state.lastWordEnd, lastWord.end);
    // Words still being spoken (an interim) postpone the UtteranceEnd; a final makes it due.
    state.utteranceEndDue = event.type === "final";
  }

  /**
   * UtteranceEnd once `utterance_end_ms` of audio has passed since the last finalised word.
   * Checked after the engine has taken a frame, so speech later in the same frame counts.
   */
  #checkUtteranceEnd(state: ChannelState): void {
    const gapMs = this.#init.options.utterance_end_ms;
    if (!state.utteranceEndDue || typeof gapMs !== "number") return;
    if (this.audioSeconds + 1e-9 < state.lastWordEnd + gapMs / 1000) return;
    state.utteranceEndDue = false;
    this.#init.send(utteranceEndMessage([state.index, this.#channels.length], state.lastWordEnd));
  }
}
