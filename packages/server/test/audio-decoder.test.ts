import { tone, wav } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { AudioDecodeError, AudioDecoder, downmix } from "../src/audio/audio-decoder.ts";
import { ALAW_TO_LINEAR16, MULAW_TO_LINEAR16 } from "../src/audio/g711.ts";

describe("G.711 tables", () => {
  it("expand μ-law and A-law to the standard values", () => {
    expect([0x00, 0x7f, 0x80, 0xff].map((code) => MULAW_TO_LINEAR16[code])).toEqual([-32124, 0, 32124, 0]);
    expect([0x55, 0xd5, 0x2a, 0xaa].map((code) => ALAW_TO_LINEAR16[code])).toEqual([-8, 8, -32256, 32256]);
  });
});

describe("AudioDecoder", () => {
  it("decodes linear16, keeping a split sample for the next frame", () => {
    const decoder = new AudioDecoder({ encoding: "linear16", sampleRate: 16_000 });
    const bytes = Buffer.from([0x01, 0x00, 0xff, 0x7f, 0x00, 0x80]);
    expect(Array.from(decoder.decode(bytes.subarray(0, 3))[0] ?? [])).toEqual([1]);
    expect(Array.from(decoder.decode(bytes.subarray(3))[0] ?? [])).toEqual([32767, -32768]);
  });

  it("deinterleaves channels and downmixes them", () => {
    const decoder = new AudioDecoder({ encoding: "linear16", sampleRate: 8_000, channels: 2 });
    const frame = Buffer.alloc(8);
    for (const [i, value] of [100, -100, 300, 101].entries()) frame.writeInt16LE(value, i * 2);
    const channels = decoder.decode(frame);
    expect(channels.map((channel) => Array.from(channel))).toEqual([
      [100, 300],
      [-100, 101],
    ]);
    expect(Array.from(downmix(channels))).toEqual([0, 201]);
  });

  it("decodes linear32 to its top 16 bits", () => {
    const decoder = new AudioDecoder({ encoding: "linear32", sampleRate: 8_000 });
    const frame = Buffer.alloc(8);
    frame.writeInt32LE(0x12345678, 0);
    frame.writeInt32LE(-0x80000000, 4);
    expect(Array.from(decoder.decode(frame)[0] ?? [])).toEqual([0x1234, -32768]);
  });

  it("reads the format from a WAV header split across frames, and ignores chunks after the data", () => {
    const pcm = tone(0.01, { sampleRate: 8_000, channels: 2 });
    const file = Buffer.concat([
      wav(pcm, { sampleRate: 8_000, channels: 2 }),
      Buffer.from("LIST\x04\x00\x00\x00abcd"),
    ]);
    const decoder = new AudioDecoder({});
    expect(decoder.decode(file.subarray(0, 20))).toEqual([]);
    expect(decoder.format).toBeUndefined();
    const channels = decoder.decode(file.subarray(20));
    expect(decoder.format).toEqual({ sampleFormat: "linear16", sampleRate: 8_000, channels: 2 });
    expect(channels[0]?.length).toBe(80);
    expect(channels[0]?.[1]).toBe(pcm.readInt16LE(4));
  });

  it("refuses audio that is not WAV when no encoding is given, and encodings it cannot decode", () => {
    expect(() => new AudioDecoder({}).decode(Buffer.from("OggS-not-wav"))).toThrow(AudioDecodeError);
    expect(() => new AudioDecoder({ encoding: "opus", sampleRate: 48_000 }).decode(Buffer.alloc(10))).toThrow(
      /opus/,
    );
    expect(() => new AudioDecoder({ encoding: "linear16" }).decode(Buffer.alloc(10))).toThrow(/sample_rate/);
  });

  it("refuses a WAV whose bits per sample do not match its format", () => {
    const file = wav(Buffer.alloc(8), { sampleRate: 8_000 });
    file.writeUInt16LE(24, 34); // bitsPerSample
    file.writeUInt16LE(3 * 1, 32); // block align
    expect(() => new AudioDecoder({}).decode(file)).toThrow(AudioDecodeError);
  });
});
