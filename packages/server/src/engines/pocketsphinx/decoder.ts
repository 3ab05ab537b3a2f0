/**
 * One pocketsphinx decoder as a streaming recognizer: 16 kHz samples in, engine events out.
 * It decides where utterances end (the recognizer's own silence detection, a maximum length,
 * or a flush), when to report interim hypotheses, and turns segments into words with times.
 * It runs inside the decoder worker thread (decoder-worker.ts).
 */
import type { EngineEvent, EngineWord } from "../../engine.ts";
import type { CPointer, PocketsphinxApi } from "./ffi-bindings.ts";

/** Where the model is and how the decoder cuts utterances. */
export interface DecoderSettings {
  /** Acoustic model directory (`-hmm`). */
  readonly hmm: string;
  /** Language model (`-lm`). */
  readonly lm: string;
  /** Pronunciation dictionary (`-dict`). */
  readonly dict: string;
  /** An utterance still in speech after this many seconds is ended anyway (not an endpoint). */
  readonly maxUtteranceSeconds: number;
  /** Interim hypotheses are reported at most once per this many seconds of audio. */
  readonly interimIntervalSeconds: number;
}

/** Per-stream choices. */
export interface DecoderStreamOptions {
  /** Report interim hypotheses (costs a search backtrace each time). */
  readonly interim: boolean;
}

/** A decoder bound to one native `ps_decoder_t`. Methods are synchronous and may block. */
export interface StreamingDecoder {
  /** Starts a new stream: word times restart at 0. Discards any unfinished utterance. */
  begin(options: DecoderStreamOptions): void;
  /** Feeds 16 kHz mono samples of the current stream. */
  write(samples: Int16Array, emit: (event: EngineEvent) => void): void;
  /** Ends the current utterance; emits its final when it holds any audio. */
  flush(emit: (event: EngineEvent) => void): void;
  /** Ends the stream without emitting anything. */
  end(): void;
  /**
   * Makes the decoder's current feature normalisation (after a warm-up) the one every later
   * stream starts from, so a stream's transcript does not depend on the streams before it.
   */
  keepNormalisation(): void;
  /** Frees the native decoder and its configuration; the object is unusable after. */
  free(): void;
}

/**
 * Creates a decoder. Throws when the model cannot be loaded.
 *
 * @example
 * ```ts
 * const decoder = createDecoder(api, { hmm, lm, dict, maxUtteranceSeconds: 12, interimIntervalSeconds: 0.5 });
 * decoder.begin({ interim: true });
 * decoder.write(samples16k, (event) => console.log(event));
 * decoder.flush((event) => console.log(event));
 * ```
 */
export function createDecoder(api: PocketsphinxApi, settings: DecoderSettings): StreamingDecoder {
  const SAMPLE_RATE = 16_000;
  const FRAMES_PER_SECOND = 100;
  // The recognizer takes the audio in pieces of exactly 50 ms, whatever sizes it arrives in,
  // and the speech flag is read after each. Where an utterance ends, and what the recognizer's
  // running normalisation has seen by then, depend on how the audio is cut into calls, so the
  // same audio in 80 ms frames (Flux) or 250 ms frames (v1) would otherwise give utterances
  // ending 40 ms apart and, now and then, another last word. Holding back a partial piece
  // also bounds how late a fall of the flag is noticed (50 ms).
  const PIECE = 800;
  // After a forced cut the detector may take this long to declare the ongoing speech again.
  const CUT_SPEECH_GRACE = 0.3;

  api.silenceLog();
  const config: CPointer = api.createConfig([
    "-hmm",
    settings.hmm,
    "-lm",
    settings.lm,
    "-dict",
    settings.dict,
    "-samprate",
    String(SAMPLE_RATE),
  ]);
  if (!config) throw new Error("pocketsphinx rejected its configuration (cmd_ln_init returned NULL)");
  const ps: CPointer = api.init(config);
  if (!ps) {
    api.freeConfig(config);
    throw new Error(`pocketsphinx could not load the model (ps_init returned NULL): ${settings.hmm}`);
  }

  // Every stream starts from this cepstral mean (the model's initial one until a warm-up).
  let normalisation = api.getCepstralMean(ps);
  let streaming = false;
  let interim = false;
  let fed = 0; // samples of the current stream fed so far
  let uttStart = 0; // sample where the current utterance began
  let inSpeech = false;
  let speechRise = 0; // sample where the current speech run was noticed
  let continuesCutSpeech = false; // the utterance was started by a forced cut mid-speech
  // Whether this run of speech has been reported (speech-started). The detector's flag alone
  // is not enough: it rises on the first frames of every stream, even digital silence, so a
  // run is reported once the recognizer hears a word in it, at that word's start.
  let announced = false;
  let lastInterimAt = 0;
  let lastInterimText = "";
  // The start of the next piece, until PIECE samples have arrived.
  const held = new Int16Array(PIECE);
  let heldCount = 0;

  const seconds = (samples: number): number => samples / SAMPLE_RATE;

  function words(): EngineWord[] {
    const out: EngineWord[] = [];
    for (const seg of api.segments(ps)) {
      // Fillers (<s>, </s>, <sil>, [NOISE], [SPEECH], …) are not words.
      if (seg.word.startsWith("<") || seg.word.startsWith("[") || seg.word.startsWith("+")) continue;
      const confidence = Math.min(1, Math.max(0, seg.probability));
      out.push({
        // "the(2)" is the second pronunciation of "the".
        word: seg.word.replace(/\(\d+\)$/, ""),
        // Frames count from ps_start_stream, silence the detector dropped included.
        start: seg.startFrame / FRAMES_PER_SECOND,
        end: (seg.endFrame + 1) / FRAMES_PER_SECOND,
        confidence: Math.round(confidence * 10_000) / 10_000,
      });
    }
    return out;
  }

  function announce(emit: (event: EngineEvent) => void, found: readonly EngineWord[]): void {
    const first = found[0];
    if (announced || !first) return;
    announced = true;
    emit({ type: "speech-started", timestamp: first.start });
  }

  function endUtterance(emit: ((event: EngineEvent) => void) | undefined, endpoint: boolean): void {
    api.endUtt(ps);
    if (emit) {
      const found = words();
      announce(emit, found);
      // Only speech has an end: a flag raised by noise that held no word is no endpoint.
      emit({
        type: "final",
        words: found,
        start: seconds(uttStart),
        end: seconds(fed),
        endpoint: endpoint && found.length > 0,
      });
    }
    api.startUtt(ps);
    uttStart = fed;
    inSpeech = false;
    announced = false;
    lastInterimAt = fed;
    lastInterimText = "";
  }

  function maybeInterim(emit: (event: EngineEvent) => void): void {
    if (!interim || !inSpeech) return;
    if (fed - lastInterimAt < settings.interimIntervalSeconds * SAMPLE_RATE) return;
    lastInterimAt = fed;
    if (!api.hypothesis(ps)) return;
    const current = words();
    const text = current.map((w) => w.word).join(" ");
    if (current.length === 0 || text === lastInterimText) return;
    lastInterimText = text;
    emit({ type: "interim", words: current, start: seconds(uttStart), end: seconds(fed) });
  }

  function process(piece: Int16Array): void {
    const searched = api.processRaw(ps, piece, piece.length);
    if (searched < 0) throw new Error("pocketsphinx failed to process audio (ps_process_raw < 0)");
    fed += piece.length;
  }

  function feed(piece: Int16Array, emit: (event: EngineEvent) => void): void {
    process(piece);
    const speech = api.inSpeech(ps);
    if (speech && !inSpeech) {
      inSpeech = true;
      speechRise = fed;
      continuesCutSpeech = false;
    } else if (!speech && continuesCutSpeech && fed - uttStart > CUT_SPEECH_GRACE * SAMPLE_RATE) {
      // The speech ended right at the cut: the next rise is a new start again.
      continuesCutSpeech = false;
      announced = false;
    } else if (!speech && inSpeech) {
      // End at every fall of the flag: an utterance spanning dropped silence gets wrong times.
      endUtterance(emit, true);
      return;
    }
    if (inSpeech && fed - speechRise >= settings.maxUtteranceSeconds * SAMPLE_RATE) {
      endUtterance(emit, false);
      // The speech goes on into the next utterance: not a new start.
      continuesCutSpeech = true;
      announced = true;
      return;
    }
    if (inSpeech && !announced && api.hypothesis(ps)) announce(emit, words());
    maybeInterim(emit);
  }

  return {
    begin(options) {
      if (streaming) api.endUtt(ps);
      if (normalisation) api.setCepstralMean(ps, normalisation);
      api.startStream(ps);
      api.startUtt(ps);
      streaming = true;
      interim = options.interim;
      fed = 0;
      uttStart = 0;
      inSpeech = false;
      speechRise = 0;
      continuesCutSpeech = false;
      announced = false;
      lastInterimAt = 0;
      lastInterimText = "";
      heldCount = 0;
    },
    write(samples, emit) {
      if (!streaming) throw new Error("decoder.write() before begin()");
      let offset = 0;
      while (offset < samples.length) {
        if (heldCount === 0 && samples.length - offset >= PIECE) {
          feed(samples.subarray(offset, offset + PIECE), emit);
          offset += PIECE;
          continue;
        }
        const take = Math.min(samples.length - offset, PIECE - heldCount);
        held.set(samples.subarray(offset, offset + take), heldCount);
        heldCount += take;
        offset += take;
        if (heldCount === PIECE) {
          heldCount = 0;
          feed(held, emit);
        }
      }
    },
    flush(emit) {
      if (!streaming) return;
      // The utterance ends here, so the partial piece goes in with it.
      if (heldCount > 0) process(held.subarray(0, heldCount));
      heldCount = 0;
      if (fed === uttStart) return;
      endUtterance(emit, false);
      continuesCutSpeech = false;
      announced = false;
    },
    end() {
      if (!streaming) return;
      heldCount = 0;
      api.endUtt(ps);
      streaming = false;
    },
    keepNormalisation() {
      normalisation = api.getCepstralMean(ps) ?? normalisation;
    },
    free() {
      if (streaming) api.endUtt(ps);
      streaming = false;
      api.free(ps);
      api.freeConfig(config);
    },
  };
}
