import { readFileSync } from "node:fs";
import { wordErrorRate } from "@earshot/testkit";
import { it } from "vitest";
import { pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";
import { pcmFromWav } from "../src/engines/pocketsphinx/warmup.ts";
import { readRecording } from "./helpers/flite.ts";
import { finalWords, transcribe } from "./helpers/run-engine.ts";
it("rates", async () => {
  const engine = await pocketsphinxEngine()();
  const ref = readRecording().reference;
  for (const r of [8000, 22050, 44100, 48000]) {
    const wav = pcmFromWav(readFileSync(`/tmp/rec-${r}.wav`))!;
    const t0 = Date.now();
    const words = finalWords(await transcribe(engine, wav.samples, { sampleRate: wav.sampleRate }));
    console.log(r, Date.now() - t0, wordErrorRate(ref, words).rate, words.join(" "));
  }
  await engine.close();
}, 120_000);
