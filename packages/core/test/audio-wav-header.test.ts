import { silence, tone, wav } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { isRiffWave, readWavHeader } from "../src/audio/wav-header.ts";
import { AudioChunkError } from "../src/errors.ts";

/** Builds a WAV from chunks: [id, body] pairs after "RIFF....WAVE". */
function riff(chunks: Array<[string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [id, body] of chunks) {
    const header = Buffer.alloc(8);
    header.write(id, 0, "ascii");
    header.writeUInt32LE(body.length, 4);
    parts.push(header, body);
    if (body.length % 2 === 1) parts.push(Buffer.alloc(1));
  }
  const content = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write("RIFF", 0, "ascii");
  head.writeUInt32LE(4 + content.length, 4);
  head.write("WAVE", 8, "ascii");
  return Buffer.concat([head, content]);
}

function fmtChunk(tag: number, channels: number, sampleRate: number, bits: number): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(tag, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(sampleRate, 4);
  body.writeUInt32LE((sampleRate * channels * bits) / 8, 8);
  body.writeUInt16LE((channels * bits) / 8, 12);
  body.writeUInt16LE(bits, 14);
  return body;
}

function extensibleFmt(subTag: number, channels: number, sampleRate: number, bits: number): Buffer {
  const body = Buffer.alloc(40);
  fmtChunk(0xfffe, channels, sampleRate, bits).copy(body, 0);
  body.writeUInt16LE(22, 16); // cbSize
  body.writeUInt16LE(bits, 18); // valid bits
  body.writeUInt32LE(channels === 2 ? 3 : 4, 20); // channel mask
  body.writeUInt16LE(subTag, 24); // first two bytes of the sub-format GUID
  Buffer.from("000000001000800000aa00389b71", "hex").copy(body, 26);
  return body;
}

describe("readWavHeader", () => {
  it("reads the canonical 44-byte header", () => {
    const pcm = tone(0.5);
    const info = readWavHeader(wav(pcm, { sampleRate: 16_000 }));
    expect(info).toEqual({
      format: "linear16",
      sampleRate: 16_000,
      channels: 1,
      bitsPerSample: 16,
      blockAlign: 2,
      dataOffset: 44,
      dataLength: pcm.length,
    });
  });

  it("reads stereo 48 kHz", () => {
    const info = readWavHeader(
      wav(silence(0.1, { sampleRate: 48_000, channels: 2 }), { sampleRate: 48_000, channels: 2 }),
    );
    expect(info).toMatchObject({ sampleRate: 48_000, channels: 2, blockAlign: 4, dataOffset: 44 });
  });

  it.each([
    [1, 32, "linear32"],
    [3, 32, "float32"],
    [7, 8, "mulaw"],
    [6, 8, "alaw"],
  ] as const)("reads format tag %i with %i-bit samples as %s", (tag, bits, format) => {
    const bytes = riff([
      ["fmt ", fmtChunk(tag, 1, 8_000, bits)],
      ["data", Buffer.alloc(16)],
    ]);
    expect(readWavHeader(bytes)).toMatchObject({
      format,
      bitsPerSample: bits,
      sampleRate: 8_000,
      dataOffset: 44,
      dataLength: 16,
    });
  });

  it.each([
    [1, 16, "linear16"],
    [3, 32, "float32"],
    [7, 8, "mulaw"],
  ] as const)("reads WAVE_FORMAT_EXTENSIBLE with sub-format %i as %s", (subTag, bits, format) => {
    const bytes = riff([
      ["fmt ", extensibleFmt(subTag, 2, 44_100, bits)],
      ["data", Buffer.alloc(8)],
    ]);
    expect(readWavHeader(bytes)).toMatchObject({
      format,
      channels: 2,
      sampleRate: 44_100,
      dataOffset: 12 + 8 + 40 + 8,
    });
  });

  it("skips unknown chunks (LIST, odd-sized with padding) before and after fmt", () => {
    const list = Buffer.from("INFOISFT\u0005\u0000\u0000\u0000Lavf\u0000", "latin1"); // 17 bytes: padded to 18
    const bytes = riff([
      ["LIST", list],
      ["fmt ", fmtChunk(1, 1, 16_000, 16)],
      ["fact", Buffer.alloc(4)],
      ["data", Buffer.alloc(10)],
    ]);
    const expectedOffset = 12 + (8 + 18) + (8 + 16) + (8 + 4) + 8;
    expect(readWavHeader(bytes)).toMatchObject({
      format: "linear16",
      dataOffset: expectedOffset,
      dataLength: 10,
    });
    expect(bytes.subarray(expectedOffset).length).toBe(10);
  });

  it("reports an unknown data length for streamed WAVs (0 or 0xFFFFFFFF)", () => {
    const streamed = wav(Buffer.alloc(0));
    expect(readWavHeader(streamed)?.dataLength).toBeUndefined();
    const unknown = wav(Buffer.alloc(4));
    unknown.writeUInt32LE(0xffffffff, 40);
    expect(readWavHeader(unknown)?.dataLength).toBeUndefined();
  });

  it("returns undefined until the header is complete, for every prefix", () => {
    const bytes = wav(tone(0.01));
    for (let length = 0; length < 44; length++) {
      expect(readWavHeader(bytes.subarray(0, length))).toBeUndefined();
    }
    expect(readWavHeader(bytes.subarray(0, 44))?.dataOffset).toBe(44);
  });

  it("returns undefined for bytes that are not RIFF/WAVE", () => {
    expect(readWavHeader(tone(0.1))).toBeUndefined();
    expect(isRiffWave(tone(0.1))).toBe(false);
    expect(isRiffWave(Buffer.from("RIFF"))).toBeUndefined();
    expect(isRiffWave(wav(tone(0.01)))).toBe(true);
  });

  it("reads a header inside a larger buffer (non-zero byteOffset)", () => {
    const file = wav(tone(0.01));
    const big = Buffer.concat([Buffer.alloc(7), file]);
    expect(readWavHeader(big.subarray(7))?.format).toBe("linear16");
  });

  it.each([
    ["8-bit PCM", fmtChunk(1, 1, 8_000, 8)],
    ["24-bit PCM", fmtChunk(1, 1, 48_000, 24)],
    ["IMA ADPCM", fmtChunk(0x11, 1, 8_000, 4)],
  ])("throws AudioChunkError for %s", (_name, fmt) => {
    const bytes = riff([
      ["fmt ", fmt],
      ["data", Buffer.alloc(4)],
    ]);
    expect(() => readWavHeader(bytes)).toThrow(AudioChunkError);
  });

  it("throws when the data chunk comes before fmt", () => {
    const bytes = riff([
      ["data", Buffer.alloc(4)],
      ["fmt ", fmtChunk(1, 1, 8_000, 16)],
    ]);
    expect(() => readWavHeader(bytes)).toThrow(/before the fmt chunk/);
  });
});
