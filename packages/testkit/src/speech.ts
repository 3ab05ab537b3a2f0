/**
 * Test speech from flite (Debian's `flite`): English sentences rendered at test time, which
 * the pocketsphinx model recognises well, and the sentence lists bundled in examples/audio/.
 * Shared by the server's recognizer tests and the cross-package accuracy tests.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./fixtures.ts";

/** examples/audio/, where the bundled recording and the sentence lists live. */
export const audioDir = join(repoRoot, "examples", "audio");

/** Non-empty, trimmed lines of a text file in examples/audio/. */
export function readSentences(file: "reference.txt" | "accuracy-sentences.txt"): string[] {
  return readFileSync(join(audioDir, file), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * Renders `text` with flite's `voice` (16 kHz voices: kal16, slt, rms, awb) and returns the WAV
 * file's bytes. The file is written to a fresh temporary directory, removed before returning.
 */
export async function renderSpeechWav(text: string, voice = "kal16"): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), "earshot-flite-"));
  try {
    const file = join(dir, "speech.wav");
    await new Promise<void>((resolve, reject) => {
      execFile("flite", ["-voice", voice, "-t", text, "-o", file], { timeout: 20_000 }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `seconds` of digital silence at 16 kHz, as samples. */
export function silence16k(seconds: number): Int16Array {
  return new Int16Array(Math.round(seconds * 16_000));
}

/** Joins sample arrays end to end. */
export function concatSamples(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
