/**
 * Test speech for the recognizer tests: flite sentences (rendered by testkit's
 * `renderSpeechWav`) as 16 kHz samples, and the bundled recording in examples/audio/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { audioDir, readSentences, renderSpeechWav } from "@earshot/testkit";
import { pcmFromWav } from "../../src/engines/pocketsphinx/warmup.ts";

export { audioDir, concatSamples, readSentences, silence16k } from "@earshot/testkit";

/** The bundled recording's 16 kHz mono samples and its reference text. */
export function readRecording(): { samples: Int16Array; sampleRate: number; reference: string } {
  const wav = pcmFromWav(readFileSync(join(audioDir, "recording.wav")));
  if (!wav) throw new Error("examples/audio/recording.wav is not a 16-bit PCM WAV file");
  return { ...wav, reference: readSentences("reference.txt").join(" ") };
}

/** Renders `text` with flite's `voice` (16 kHz voices: kal16, slt, rms, awb) as samples. */
export async function renderSpeech(text: string, voice = "kal16"): Promise<Int16Array> {
  const wav = pcmFromWav(await renderSpeechWav(text, voice));
  if (wav?.sampleRate !== 16_000) throw new Error(`flite voice ${voice} did not produce 16 kHz PCM`);
  return wav.samples;
}
