/**
 * Streaming sample-rate conversion of 16-bit PCM for the recognizer, which only takes 16 kHz.
 * A polyphase windowed-sinc filter (Blackman window, 16 zero crossings each side): the low-pass
 * sits just under the lower of the two Nyquist frequencies, so downsampling does not fold high
 * frequencies into the speech band and upsampling does not add images. Equal rates pass the
 * samples through unchanged.
 */

/** A stateful converter for one stream; feed it chunks in order. */
export interface Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Converts the next chunk. The result is a fresh array the caller owns. */
  process(input: Int16Array): Int16Array;
  /** Ends the stream: returns the output still held back for filter look-ahead. */
  flush(): Int16Array;
}

const ZERO_CROSSINGS = 16;
// Leave a little room below Nyquist for the filter's transition band.
const ROLLOFF = 0.92;
// Rates with an awkward ratio would need a huge exact table; this many phases is plenty.
const MAX_PHASES = 512;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function blackman(u: number): number {
  return 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

function clamp16(value: number): number {
  const rounded = Math.round(value);
  return Math.min(32_767, Math.max(-32_768, rounded));
}

/**
 * Creates a converter from `inputRate` to `outputRate` (both positive integers).
 *
 * @param outputRate - @default 16000
 * @example
 * ```ts
 * const resampler = createResampler(48_000);
 * const pcm16k = resampler.process(pcm48k);
 * ```
 */
export function createResampler(inputRate: number, outputRate = 16_000): Resampler {
  for (const rate of [inputRate, outputRate]) {
    if (!Number.isInteger(rate) || rate <= 0)
      throw new RangeError(`sample rate must be a positive integer, got ${rate}`);
  }
  if (inputRate === outputRate) {
    return { inputRate, outputRate, process: (input) => input.slice(), flush: () => new Int16Array(0) };
  }
  return new PolyphaseResampler(inputRate, outputRate);
}

class PolyphaseResampler implements Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  // Output n sits at input position n·down/up.
  readonly #up: number;
  readonly #down: number;
  readonly #phases: number;
  readonly #halfTaps: number;
  readonly #table: Float32Array; // phases × (2·halfTaps) coefficients
  #buffer: Float32Array;
  #length = 0; // samples held in #buffer
  #bufferStart: number; // input index of #buffer[0]
  #received = 0; // input samples seen
  #produced = 0; // output samples made
  #ended = false;

  constructor(inputRate: number, outputRate: number) {
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const divisor = gcd(inputRate, outputRate);
    this.#up = outputRate / divisor;
    this.#down = inputRate / divisor;
    this.#phases = Math.min(this.#up, MAX_PHASES);
    // Cut-off in cycles per input sample.
    const cutoff = 0.5 * Math.min(1, outputRate / inputRate) * ROLLOFF;
    const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
    this.#halfTaps = Math.ceil(halfWidth);
    const taps = 2 * this.#halfTaps;
    this.#table = new Float32Array(this.#phases * taps);
    for (let phase = 0; phase < this.#phases; phase++) {
      const fraction = phase / this.#phases;
      let sum = 0;
      const row = new Float64Array(taps);
      for (let i = 0; i < taps; i++) {
        // Tap i reads input (c - halfTaps + 1 + i); its distance from the output position is:
        const distance = fraction + this.#halfTaps - 1 - i;
        const u = distance / halfWidth;
        const value = Math.abs(u) >= 1 ? 0 : 2 * cutoff * sinc(2 * cutoff * distance) * blackman(u);
        row[i] = value;
        sum += value;
      }
      // Unity gain at DC for every phase, so a constant stays exactly constant.
      for (let i = 0; i < taps; i++) this.#table[phase * taps + i] = (row[i] ?? 0) / sum;
    }
    // Start with silence as history so the first output is centred on the first input sample.
    this.#buffer = new Float32Array(4096);
    this.#length = this.#halfTaps - 1;
    this.#bufferStart = -(this.#halfTaps - 1);
  }

  process(input: Int16Array): Int16Array {
    if (this.#ended) throw new Error("resampler.process() after flush()");
    this.#append(input);
    this.#received += input.length;
    return this.#produce(Number.POSITIVE_INFINITY);
  }

  flush(): Int16Array {
    if (this.#ended) return new Int16Array(0);
    this.#ended = true;
    const real = this.#received;
    this.#append(new Int16Array(this.#halfTaps + 1));
    this.#received += this.#halfTaps + 1;
    return this.#produce(real);
  }

  /** Makes every output whose window is complete and whose position is before `limit`. */
  #produce(limit: number): Int16Array {
    const up = this.#up;
    const down = this.#down;
    const taps = 2 * this.#halfTaps;
    // Outputs whose window ends before #received: n·down/up + halfTaps < received.
    let available = Math.ceil(((this.#received - this.#halfTaps) * up) / down) - this.#produced;
    if (Number.isFinite(limit))
      available = Math.min(available, Math.ceil((limit * up) / down) - this.#produced);
    const out = new Int16Array(Math.max(0, available));
    const table = this.#table;
    const buffer = this.#buffer;
    for (let k = 0; k < out.length; k++) {
      const position = (this.#produced + k) * down;
      let centre = Math.floor(position / up);
      let phase = position - centre * up;
      if (this.#phases !== up) {
        // Nearest tabulated phase; rounding up to a whole sample moves to the next one.
        phase = Math.round((phase / up) * this.#phases);
        if (phase === this.#phases) {
          phase = 0;
          centre += 1;
        }
      }
      const first = centre - this.#halfTaps + 1 - this.#bufferStart;
      const row = phase * taps;
      let acc = 0;
      for (let i = 0; i < taps; i++) acc += (table[row + i] ?? 0) * (buffer[first + i] ?? 0);
      out[k] = clamp16(acc);
    }
    this.#produced += out.length;
    this.#discardConsumed();
    return out;
  }

  #append(input: Int16Array): void {
    if (this.#length + input.length > this.#buffer.length) {
      const grown = new Float32Array(Math.max(this.#buffer.length * 2, this.#length + input.length));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(input, this.#length);
    this.#length += input.length;
  }

  #discardConsumed(): void {
    const nextCentre = Math.floor((this.#produced * this.#down) / this.#up);
    const keepFrom = nextCentre - this.#halfTaps + 1 - this.#bufferStart;
    if (keepFrom <= 0) return;
    const drop = Math.min(keepFrom, this.#length);
    this.#buffer.copyWithin(0, drop, this.#length);
    this.#length -= drop;
    this.#bufferStart += drop;
  }
}
