/**
 * The resampler that brings every input rate to the recognizer's 16 kHz: tones keep their
 * frequency and level, frequencies above the new Nyquist are removed rather than folded back,
 * and chunking does not change the output.
 */
import { describe, expect, it } from "vitest";
import { createResampler } from "../src/engines/pocketsphinx/resample.ts";

function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 10_000): Int16Array {
  const out = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
  return out;
}

function rms(samples: Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Frequency from upward zero crossings over the middle of the signal (edges hold filter ramps). */
function measuredFrequency(samples: Int16Array, sampleRate: number): number {
  const from = Math.floor(samples.length * 0.1);
  const to = Math.floor(samples.length * 0.9);
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = from + 1; i < to; i++) {
    const a = samples[i - 1] ?? 0;
    const b = samples[i] ?? 0;
    if (a < 0 && b >= 0) {
      // Interpolate where the crossing happened between the two samples.
      const at = i - 1 + -a / (b - a);
      if (first < 0) first = at;
      else crossings += 1;
      last = at;
    }
  }
  return (crossings * sampleRate) / (last - first);
}

function resampleInChunks(
  input: Int16Array,
  from: number,
  to: number,
  chunkSizes: readonly number[],
): Int16Array {
  const resampler = createResampler(from, to);
  const parts: Int16Array[] = [];
  let offset = 0;
  for (let k = 0; offset < input.length; k++) {
    const size = chunkSizes[k % chunkSizes.length] ?? 1;
    parts.push(resampler.process(input.subarray(offset, Math.min(offset + size, input.length))));
    offset += size;
  }
  parts.push(resampler.flush());
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe("createResampler", () => {
  it("passes 16 kHz through unchanged, as a copy the caller owns", () => {
    const input = sine(440, 16_000, 0.1);
    const resampler = createResampler(16_000);
    const output = resampler.process(input);
    expect(output).toEqual(input);
    expect(output.buffer).not.toBe(input.buffer);
    expect(resampler.flush()).toHaveLength(0);
  });

  for (const rate of [8_000, 22_050, 44_100, 48_000, 11_025, 32_000]) {
    it(`converts ${rate} Hz to 16 kHz keeping a 1 kHz tone's frequency and level`, () => {
      const input = sine(1_000, rate, 1);
      const output = resampleInChunks(input, rate, 16_000, [rate / 50]);
      // One output sample per 16 kHz tick of the input's duration.
      expect(output.length).toBe(Math.ceil((input.length * 16_000) / rate));
      expect(measuredFrequency(output, 16_000)).toBeCloseTo(1_000, 0);
      const level = rms(output, 1_600, output.length - 1_600) / rms(input);
      expect(level).toBeGreaterThan(0.98);
      expect(level).toBeLessThan(1.02);
    });
  }

  it("removes frequencies above 8 kHz instead of folding them into the speech band", () => {
    // 11 kHz would alias to 5 kHz at 16 kHz without the low-pass.
    const output = resampleInChunks(sine(11_000, 48_000, 0.5), 48_000, 16_000, [960]);
    expect(rms(output, 800, output.length - 800)).toBeLessThan(10_000 * 0.01);
  });

  it("gives the same output however the input is chunked", () => {
    const input = sine(700, 44_100, 0.5);
    const whole = resampleInChunks(input, 44_100, 16_000, [input.length]);
    const ragged = resampleInChunks(input, 44_100, 16_000, [1, 7, 441, 13, 1024, 3]);
    expect(ragged).toEqual(whole);
  });

  it("keeps silence silent and clips instead of wrapping at full scale", () => {
    expect(resampleInChunks(new Int16Array(4_800), 48_000, 16_000, [480]).every((s) => s === 0)).toBe(true);
    const square = new Int16Array(4_800).map((_, i) => (Math.floor(i / 24) % 2 === 0 ? 32_767 : -32_768));
    const output = resampleInChunks(square, 48_000, 16_000, [480]);
    expect(Math.max(...output)).toBeLessThanOrEqual(32_767);
    expect(Math.min(...output)).toBeGreaterThanOrEqual(-32_768);
    // A full-scale square wave overshoots after filtering; those peaks must clip, not wrap.
    expect(output.some((s) => s === 32_767 || s === -32_768)).toBe(true);
  });

  it("rejects rates that are not positive integers", () => {
    expect(() => createResampler(0)).toThrow(RangeError);
    expect(() => createResampler(44_100.5)).toThrow(RangeError);
  });
});
