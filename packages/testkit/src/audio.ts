/**
 * Synthetic linear16 audio for tests: loud "speech" (a tone well above the scripted engine's
 * silence threshold) and digital silence, so a test can lay out exactly where endpoints fall.
 */

export interface Pcm16Format {
  /** Samples per second. @default 16000 */
  readonly sampleRate?: number;
  /** Interleaved channels. @default 1 */
  readonly channels?: number;
}

/** Bytes of linear16 audio for `seconds` at the given format. */
export function pcm16ByteLength(seconds: number, format: Pcm16Format = {}): number {
  const { sampleRate = 16_000, channels = 1 } = format;
  return Math.round(seconds * sampleRate) * channels * 2;
}

/** `seconds` of a 440 Hz tone at amplitude 8000 (well above any silence threshold). */
export function tone(seconds: number, format: Pcm16Format = {}): Buffer {
  const { sampleRate = 16_000, channels = 1 } = format;
  const frames = Math.round(seconds * sampleRate);
  const out = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const sample = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
    for (let c = 0; c < channels; c++) out.writeInt16LE(sample, (i * channels + c) * 2);
  }
  return out;
}

/** `seconds` of digital silence. */
export function silence(seconds: number, format: Pcm16Format = {}): Buffer {
  return Buffer.alloc(pcm16ByteLength(seconds, format));
}

/** Splits `audio` into chunks of `chunkSeconds` (the last one may be shorter). */
export function chunk(audio: Buffer, chunkSeconds: number, format: Pcm16Format = {}): Buffer[] {
  const size = pcm16ByteLength(chunkSeconds, format);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < audio.length; offset += size) {
    chunks.push(audio.subarray(offset, Math.min(offset + size, audio.length)));
  }
  return chunks;
}

/** A canonical 44-byte WAV header followed by `pcm` (linear16). */
export function wav(pcm: Buffer, format: Pcm16Format = {}): Buffer {
  const { sampleRate = 16_000, channels = 1 } = format;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/**
 * `seconds` of "speech" that names script token `index` to the scripted engine with
 * `wordChoice: "level"`: a square wave of ±(silenceThreshold + index), linear16 mono 16 kHz.
 * Whatever connection hears it, the engine calls it by the same word.
 */
export function levelCodedWord(index: number, seconds: number, silenceThreshold = 500): Buffer {
  const level = silenceThreshold + index;
  if (!Number.isInteger(index) || index < 0 || level > 32_767)
    throw new RangeError(`levelCodedWord: index must be an integer in 0..${32_767 - silenceThreshold}`);
  const samples = Math.round(seconds * 16_000);
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE(i % 2 === 0 ? level : -level, i * 2);
  return out;
}
