import { describe, expect, it } from "vitest";
import { audioChunkBytes, chunkAudio } from "../src/audio/chunk.ts";
import { audioBytesPerSecond } from "../src/audio/rate.ts";

describe("chunkAudio", () => {
  it("yields views of the given size, the last one shorter, sharing memory", () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
    const chunks = [...chunkAudio(bytes, 4)];
    expect(chunks.map((chunk) => [...chunk])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    for (const chunk of chunks) expect(chunk.buffer).toBe(bytes.buffer);
  });

  it("yields nothing for empty input", () => {
    expect([...chunkAudio(new Uint8Array(0), 4)]).toEqual([]);
  });

  it("refuses a non-positive or fractional size", () => {
    expect(() => [...chunkAudio(new Uint8Array(4), 0)]).toThrow(RangeError);
    expect(() => [...chunkAudio(new Uint8Array(4), 1.5)]).toThrow(RangeError);
  });
});

describe("audioChunkBytes", () => {
  it("gives whole sample frames for a duration", () => {
    expect(audioChunkBytes(32_000, 100, 2)).toBe(3_200);
    expect(audioChunkBytes(44_100 * 4, 20, 4)).toBe(3_528);
    expect(audioChunkBytes(8_000, 0.01, 1)).toBe(1);
    expect(audioChunkBytes(48_000 * 2 * 2, 33, 4)).toBe(6_336);
  });

  it("refuses nonsense", () => {
    expect(() => audioChunkBytes(0, 100)).toThrow(RangeError);
    expect(() => audioChunkBytes(32_000, 100, 0)).toThrow(RangeError);
  });
});

describe("audioBytesPerSecond", () => {
  it.each([
    [{ encoding: "linear16", sample_rate: 16_000 }, 32_000],
    [{ encoding: "linear16", sample_rate: 48_000, channels: 2 }, 192_000],
    [{ encoding: "linear32", sample_rate: 8_000 }, 32_000],
    [{ encoding: "float32", sample_rate: 16_000 }, 64_000],
    [{ encoding: "mulaw", sample_rate: 8_000 }, 8_000],
    [{ encoding: "alaw", sample_rate: 8_000, channels: 2 }, 16_000],
  ])("%o → %i", (info, expected) => {
    expect(audioBytesPerSecond(info)).toBe(expected);
  });

  it.each([
    [{ encoding: "opus", sample_rate: 48_000 }],
    [{ encoding: "flac", sample_rate: 16_000 }],
    [{ encoding: "linear16" }],
    [{ sample_rate: 16_000 }],
    [{ encoding: "linear16", sample_rate: 0 }],
    [{ encoding: "linear16", sample_rate: 16_000, channels: 0 }],
  ])("is undefined for %o", (info) => {
    expect(audioBytesPerSecond(info)).toBeUndefined();
  });
});
