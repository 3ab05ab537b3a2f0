/**
 * Accuracy on speech the bundled recording does not contain: twelve sentences rendered with
 * flite at test time (examples/audio/accuracy-sentences.txt), one stream, pauses between them.
 */
import { wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, EngineEvent } from "../src/engine.ts";
import { liveDecoderThreads } from "../src/engines/pocketsphinx/decoder-thread.ts";
import { pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";
import { concatSamples, readSentences, renderSpeech, silence16k } from "./helpers/flite.ts";
import { finalWords, transcribe } from "./helpers/run-engine.ts";

const sentences = readSentences("accuracy-sentences.txt");

let engine: Engine;
let events: EngineEvent[];

beforeAll(async () => {
  const speech = await Promise.all(sentences.map((sentence) => renderSpeech(sentence, "kal16")));
  const audio = concatSamples(speech.flatMap((samples) => [silence16k(1.2), samples]).concat(silence16k(1)));
  engine = await pocketsphinxEngine()();
  events = await transcribe(engine, audio, { options: {} });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  expect(liveDecoderThreads()).toBe(0);
});

describe("pocketsphinx accuracy on flite sentences", () => {
  it("has at least ten sentences to read", () => {
    expect(sentences.length).toBeGreaterThanOrEqual(10);
  });

  it("recognises them with a word error rate of at most 10 %", () => {
    const wer = wordErrorRate(sentences.join(" "), finalWords(events));
    console.info(
      `${sentences.length} flite sentences (kal16): WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.referenceWords})`,
    );
    expect(wer.rate).toBeLessThanOrEqual(0.1);
  });

  it("ends one utterance per sentence", () => {
    const endpointed = events.filter((event) => event.type === "final" && event.endpoint);
    expect(endpointed).toHaveLength(sentences.length);
  });
});
