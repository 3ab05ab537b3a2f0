/**
 * An AudioWorklet processor that turns the microphone (whatever rate the audio context runs
 * at, usually 44.1 or 48 kHz) into what the server is told to expect: 16 kHz mono linear16.
 * It low-pass filters below the new Nyquist frequency (so nothing above 8 kHz folds back into
 * the speech band), resamples by linear interpolation, and posts 100 ms chunks of 16-bit
 * little-endian samples to the page. The message "flush" posts what is left, then "end".
 */

// The AudioWorkletGlobalScope, as far as this file uses it (TypeScript ships no lib for it).
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

const TARGET_RATE = 16_000;
/** 100 ms per chunk: within the 20–250 ms Deepgram advises, and few messages per second. */
const CHUNK_SAMPLES = TARGET_RATE / 10;
/** Filter length: enough for a clean 8 kHz cut at 48 kHz, cheap at 16 taps a sample less. */
const FILTER_TAPS = 31;

/** A windowed-sinc (Blackman) low-pass with its cutoff at `cutoff` (a fraction of the input rate), gain 1. */
function lowPass(cutoff: number, taps: number): Float32Array {
  const middle = (taps - 1) / 2;
  const weights = new Float32Array(taps);
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const x = n - middle;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const window =
      0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (taps - 1));
    weights[n] = sinc * window;
    sum += sinc * window;
  }
  for (let n = 0; n < taps; n++) weights[n] = (weights[n] as number) / sum;
  return weights;
}

class Linear16Processor extends AudioWorkletProcessor {
  /** Input samples per output sample. */
  readonly #step = sampleRate / TARGET_RATE;
  /** Downsampling needs the filter; upsampling (a context slower than 16 kHz) does not. */
  readonly #weights =
    this.#step > 1 ? lowPass((0.45 * TARGET_RATE) / sampleRate, FILTER_TAPS) : new Float32Array([1]);
  /** The last inputs, newest at `#head - 1` (a ring as long as the filter). */
  readonly #history = new Float32Array(this.#weights.length);
  #head = 0;
  /** Filtered value of the previous input sample, and how many inputs have been read. */
  #previous = 0;
  #read = 0;
  /** Input position (in samples, fractional) of the next output sample. */
  #nextAt = 0;
  #chunk = new Int16Array(CHUNK_SAMPLES);
  #filled = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent) => {
      if (event.data !== "flush") return;
      if (this.#filled > 0) this.#post(this.#chunk.slice(0, this.#filled));
      this.#filled = 0;
      this.port.postMessage("end");
    };
  }

  process(inputs: Float32Array[][]): boolean {
    // The first channel: the page asks getUserMedia for mono.
    const samples = inputs[0]?.[0];
    if (samples === undefined) return true;
    for (const sample of samples) this.#take(sample);
    return true;
  }

  #take(sample: number): void {
    const history = this.#history;
    history[this.#head] = sample;
    this.#head = (this.#head + 1) % history.length;
    let filtered = 0;
    for (let tap = 0; tap < history.length; tap++) {
      filtered += (this.#weights[tap] as number) * (history[(this.#head + tap) % history.length] as number);
    }
    // Every output position between the previous input and this one, interpolated between them.
    while (this.#nextAt <= this.#read) {
      const fraction = this.#nextAt - (this.#read - 1);
      this.#emit(this.#previous + (filtered - this.#previous) * fraction);
      this.#nextAt += this.#step;
    }
    this.#previous = filtered;
    this.#read++;
  }

  #emit(value: number): void {
    const clamped = Math.max(-1, Math.min(1, value));
    this.#chunk[this.#filled++] = clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff;
    if (this.#filled === CHUNK_SAMPLES) {
      this.#post(this.#chunk);
      this.#chunk = new Int16Array(CHUNK_SAMPLES);
      this.#filled = 0;
    }
  }

  /** Posts the samples' bytes (Int16Array is little-endian on every platform browsers run on). */
  #post(samples: Int16Array): void {
    this.port.postMessage(samples.buffer, [samples.buffer]);
  }
}

registerProcessor("linear16", Linear16Processor);
