/**
 * Input at the other common sample rates: the bundled recording converted by sox (an
 * independent resampler) to 8, 22.05, 44.1 and 48 kHz, fed at that rate. Wideband rates give
 * the 16 kHz transcript back; 8 kHz (telephone band) loses the 4–6.8 kHz band the acoustic
 * model was trained with, so it is held to a looser bound.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/engine.ts";
import { liveDecoderThreads } from "../src/engines/pocketsphinx/decoder-thread.ts";
import { pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";
import { pcmFromWav } from "../src/engines/pocketsphinx/warmup.ts";
import { audioDir, readRecording } from "./helpers/flite.ts";
import { finalWords, transcribe } from "./helpers/run-engine.ts";

const recording = readRecording();
let engine: Engine;
let dir: string;

async function convert(rate: number): Promise<{ samples: Int16Array; sampleRate: number }> {
  const file = join(dir, `recording-${rate}.wav`);
  await new Promise<void>((resolve, reject) => {
    execFile("sox", [join(audioDir, "recording.wav"), "-r", String(rate), "-b", "16", file], (error) =>
      error ? reject(error) : resolve(),
    );
  });
  const wav = pcmFromWav(await readFile(file));
  if (!wav) throw new Error(`sox did not write a PCM WAV file at ${rate} Hz`);
  return wav;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "earshot-rates-"));
  engine = await pocketsphinxEngine()();
}, 60_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
  expect(liveDecoderThreads()).toBe(0);
});

describe("pocketsphinx engine at other sample rates", () => {
  for (const [rate, bound] of [
    [48_000, 0.1],
    [44_100, 0.1],
    [22_050, 0.15],
    [8_000, 0.4],
  ] as const) {
    it(`transcribes ${rate} Hz input (WER ≤ ${bound * 100} %) with times in the same seconds`, async () => {
      const input = await convert(rate);
      expect(input.sampleRate).toBe(rate);
      const events = await transcribe(engine, input.samples, { sampleRate: rate, options: {} });
      const wer = wordErrorRate(recording.reference, finalWords(events));
      console.info(`${rate} Hz: WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.referenceWords})`);
      expect(wer.rate).toBeLessThanOrEqual(bound);
      // The first sentence still starts about 0.75 s in, and the last final ends at the audio's end.
      const finals = events.filter((event) => event.type === "final");
      expect(finals.find((final) => final.words.length > 0)?.words[0]?.start).toBeCloseTo(0.75, 0);
      expect(finals.at(-1)?.end).toBeCloseTo(input.samples.length / rate, 2);
    }, 120_000);
  }
});
