/**
 * Speech to warm a fresh decoder with. A decoder's first utterance is recognised worse than
 * later ones (its cepstral mean starts from a generic guess), so every pooled decoder decodes
 * a few seconds of speech before its first stream, and every stream then starts from the
 * normalisation that warm-up left. The speech comes from flite (Debian's `flite`), whose
 * voices this model recognises well; without flite, streams start from the model's guess.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const WARMUP_TEXT =
  "Good morning. This is a short test of the speech recognizer. The weather today is cool and clear.";

/** The 16-bit PCM samples of a little-endian RIFF/WAVE file's `data` chunk, and its rate. */
export function pcmFromWav(bytes: Uint8Array): { samples: Int16Array; sampleRate: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number): string => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") return undefined;
  let sampleRate = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (view.getUint16(body, true) !== 1 || view.getUint16(body + 14, true) !== 16) return undefined;
      sampleRate = view.getUint32(body + 4, true);
    } else if (id === "data" && sampleRate > 0) {
      const end = Math.min(bytes.length, body + size);
      const samples = new Int16Array((end - body) >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { samples, sampleRate };
    }
    offset = body + size + (size & 1);
  }
  return undefined;
}

/**
 * Renders the warm-up sentence with flite's 16 kHz voice; `undefined` when flite is missing
 * or fails (warm-up is an improvement, not a requirement).
 */
export async function renderWarmupSpeech(): Promise<Int16Array | undefined> {
  const dir = await mkdtemp(join(tmpdir(), "earshot-warmup-"));
  try {
    const file = join(dir, "warmup.wav");
    await new Promise<void>((resolve, reject) => {
      execFile("flite", ["-voice", "kal16", "-t", WARMUP_TEXT, "-o", file], { timeout: 10_000 }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
    const wav = pcmFromWav(await readFile(file));
    return wav && wav.sampleRate === 16_000 ? wav.samples : undefined;
  } catch {
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
