import { wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, EngineEvent } from "../src/engine.ts";
import { pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";
import { readRecording } from "./helpers/flite.ts";
import { finalWords, transcribe } from "./helpers/run-engine.ts";

const recording = readRecording();
const duration = recording.samples.length / recording.sampleRate;

let engine: Engine;
let events: EngineEvent[];

beforeAll(async () => {
  engine = await pocketsphinxEngine({ poolSize: 1 })();
  events = await transcribe(engine, recording.samples);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

describe("pocketsphinx engine on the bundled recording", () => {
  it("recognises the recording with a word error rate of at most 10 %", () => {
    const wer = wordErrorRate(recording.reference, finalWords(events));
    console.info(
      `bundled recording: WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.referenceWords})`,
    );
    expect(wer.rate).toBeLessThanOrEqual(0.1);
  });
});
