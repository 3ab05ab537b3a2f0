/**
 * The pocketsphinx engine on its own (no server): the bundled recording through one stream,
 * checked word by word against its reference text and against where the speech really is.
 */
import { wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, EngineEvent } from "../src/engine.ts";
import { liveDecoderThreads } from "../src/engines/pocketsphinx/decoder-thread.ts";
import { pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";
import { readRecording, readSentences } from "./helpers/flite.ts";
import { finalWords, transcribe } from "./helpers/run-engine.ts";

const recording = readRecording();
const duration = recording.samples.length / recording.sampleRate;
const sentences = readSentences("reference.txt");

type Final = Extract<EngineEvent, { type: "final" }>;
type Interim = Extract<EngineEvent, { type: "interim" }>;

/** Where each sentence starts: the first loud 10 ms after at least a second of silence. */
function speechOnsets(samples: Int16Array, sampleRate: number): number[] {
  const frame = sampleRate / 100;
  const onsets: number[] = [];
  let quietFrames = 100;
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let peak = 0;
    for (let i = start; i < start + frame; i++) peak = Math.max(peak, Math.abs(samples[i] ?? 0));
    if (peak > 300) {
      if (quietFrames >= 100) onsets.push(start / sampleRate);
      quietFrames = 0;
    } else {
      quietFrames += 1;
    }
  }
  return onsets;
}

let engine: Engine;
let events: EngineEvent[];

beforeAll(async () => {
  engine = await pocketsphinxEngine({ poolSize: 1 })();
  events = await transcribe(engine, recording.samples, { chunkSeconds: 0.1 });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  // Closing the engine ends every decoder thread (and frees its native decoder).
  expect(liveDecoderThreads()).toBe(0);
});

describe("pocketsphinx engine on the bundled recording (16 kHz)", () => {
  it("recognises the recording with a word error rate of at most 10 %", () => {
    const wer = wordErrorRate(recording.reference, finalWords(events));
    console.info(
      `bundled recording: WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.referenceWords})`,
    );
    expect(wer.rate).toBeLessThanOrEqual(0.1);
  });

  it("ends one utterance per sentence at the recognizer's silence detection (endpoint), the flush's without", () => {
    const finals = events.filter((event): event is Final => event.type === "final");
    const endpointed = finals.filter((event) => event.endpoint);
    expect(endpointed).toHaveLength(sentences.length);
    for (const [index, final] of endpointed.entries()) {
      // Each endpointed utterance is one sentence, give or take a misrecognised word.
      const wer = wordErrorRate(
        sentences[index] ?? "",
        final.words.map((word) => word.word),
      );
      expect(wer.rate).toBeLessThanOrEqual(0.4);
    }
    // The flush at the end closes the trailing silence without an endpoint.
    expect(finals.at(-1)?.endpoint).toBe(false);
    expect(finals.at(-1)?.words).toEqual([]);
  });

  it("gives the same finals, times included, whatever sizes the audio is written in", async () => {
    // 80 ms frames (Flux's advice), an odd 37 ms, and the 100 ms above: the recognizer takes
    // the audio in fixed 50 ms pieces, so where utterances end and what they hold is the audio's.
    const finals = (all: readonly EngineEvent[]) => all.filter((event) => event.type === "final");
    for (const chunkSeconds of [0.08, 0.037]) {
      const other = await transcribe(engine, recording.samples, { chunkSeconds });
      expect(finals(other)).toEqual(finals(events));
    }
  }, 60_000);

  it("gives word times in seconds from the stream's start, in order, inside the audio and their result", () => {
    const finals = events.filter((event): event is Final => event.type === "final");
    let previousEnd = 0;
    for (const final of finals) {
      // Results tile the audio: each starts where the previous one ended.
      expect(final.start).toBeCloseTo(previousEnd, 6);
      expect(final.end).toBeGreaterThan(final.start);
      previousEnd = final.end;
    }
    expect(previousEnd).toBeCloseTo(duration, 2);
    const words = finals.flatMap((final) => final.words.map((word) => ({ ...word, final })));
    let lastStart = -1;
    for (const word of words) {
      expect(word.start).toBeGreaterThanOrEqual(lastStart);
      expect(word.end).toBeGreaterThan(word.start);
      expect(word.start).toBeGreaterThanOrEqual(word.final.start);
      expect(word.end).toBeLessThanOrEqual(word.final.end);
      expect(word.end).toBeLessThanOrEqual(duration);
      expect(word.confidence).toBeGreaterThanOrEqual(0);
      expect(word.confidence).toBeLessThanOrEqual(1);
      lastStart = word.start;
    }
    // Finals carry real posteriors, not a constant.
    expect(new Set(words.map((word) => word.confidence)).size).toBeGreaterThan(5);
  });

  it("places each sentence's first word where that sentence's speech starts", () => {
    const onsets = speechOnsets(recording.samples, recording.sampleRate);
    expect(onsets).toHaveLength(sentences.length);
    const firstWords = events
      .filter((event): event is Final => event.type === "final" && event.endpoint)
      .map((final) => final.words[0]?.start ?? Number.NaN);
    for (const [index, onset] of onsets.entries()) {
      // Within a few frames: the recognizer may give a soft first sound to silence. An offset
      // error (times counted from the utterance instead of the stream) would be seconds.
      expect(Math.abs((firstWords[index] ?? Number.NaN) - onset)).toBeLessThan(0.25);
    }
  });

  it("reports interim hypotheses of an utterance before its final, over the same span", () => {
    let pending: Interim[] = [];
    let utterancesWithInterims = 0;
    for (const event of events) {
      if (event.type === "interim") {
        expect(event.words.length).toBeGreaterThan(0);
        pending.push(event);
      } else if (event.type === "final") {
        for (const interim of pending) {
          expect(interim.start).toBe(event.start);
          expect(interim.end).toBeLessThanOrEqual(event.end);
        }
        if (event.words.length > 0) {
          expect(pending.length).toBeGreaterThan(0);
          utterancesWithInterims += 1;
        }
        pending = [];
      }
    }
    expect(utterancesWithInterims).toBe(sentences.length);
    // Interims are throttled to at most one per 0.5 s of audio.
    const interimEnds = events
      .filter((event): event is Interim => event.type === "interim")
      .map((e) => e.end);
    for (let i = 1; i < interimEnds.length; i++) {
      expect((interimEnds[i] ?? 0) - (interimEnds[i - 1] ?? 0)).toBeGreaterThanOrEqual(0.5 - 1e-9);
    }
  });

  it("reports each sentence's speech start once, at its first word, before that word's results", () => {
    const starts = events.filter((event) => event.type === "speech-started");
    // Not at the stream's first frames (the detector fires there even on digital silence).
    expect(starts).toHaveLength(sentences.length);
    const finals = events.filter((event): event is Final => event.type === "final" && event.words.length > 0);
    for (const [index, final] of finals.entries()) {
      const start = starts[index];
      // The start comes from the first hypothesis with a word; the final may move it a frame or two.
      const timestamp = start?.type === "speech-started" ? start.timestamp : Number.NaN;
      expect(Math.abs(timestamp - (final.words[0]?.start ?? Number.NaN))).toBeLessThan(0.1);
      const position = events.indexOf(start as EngineEvent);
      const firstResult = events.findIndex(
        (event) => (event.type === "interim" || event.type === "final") && event.start === final.start,
      );
      expect(position).toBeLessThan(firstResult);
    }
  });
});

describe("pocketsphinx engine streams", () => {
  it("hears no words, no speech start and no endpoint in silence and faint noise", async () => {
    // A deterministic generator keeps the noise the same on every run.
    let seed = 12_345;
    const noise = new Int16Array(3 * 16_000).map(() => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.round((seed / 2_147_483_648 - 0.5) * 60);
    });
    const audio = new Int16Array(5 * 16_000);
    audio.set(noise, 2 * 16_000);
    const seen = await transcribe(engine, audio);
    expect(seen.filter((event) => event.type === "speech-started")).toEqual([]);
    expect(finalWords(seen)).toEqual([]);
    expect(seen.some((event) => event.type === "final" && event.endpoint)).toBe(false);
    // The flush still closes the stream's audio with a (empty) final.
    expect(seen.at(-1)).toMatchObject({ type: "final", words: [], end: 5 });
  });

  it("sends no interim results unless the stream asks for them", async () => {
    const firstSentence = recording.samples.subarray(0, 4 * recording.sampleRate);
    const quiet = await transcribe(engine, firstSentence, { options: {} });
    expect(quiet.some((event) => event.type === "interim")).toBe(false);
    expect(finalWords(quiet).join(" ")).toContain("weather report");
  });

  it("finalize ends the utterance mid-sentence and resolves after its final; the stream then goes on", async () => {
    const seen: EngineEvent[] = [];
    const stream = engine.createStream({ sampleRate: 16_000, channel: 0, options: {} }, (event) =>
      seen.push(event),
    );
    // 2.1 s is in the middle of "good morning and welcome to the weather report for today".
    const cut = Math.round(2.1 * 16_000);
    stream.write(recording.samples.slice(0, cut));
    await stream.flush("finalize");
    const first = seen.filter((event): event is Final => event.type === "final");
    expect(first).toHaveLength(1);
    expect(first[0]?.endpoint).toBe(false);
    expect(first[0]?.end).toBeCloseTo(2.1, 6);
    expect(first[0]?.words.map((word) => word.word).slice(0, 2)).toEqual(["good", "morning"]);
    stream.write(recording.samples.slice(cut, 9 * 16_000));
    await stream.flush("close");
    stream.close();
    const finals = seen.filter((event): event is Final => event.type === "final");
    // Times go on from the stream's start after the cut.
    expect(finals[1]?.start).toBeCloseTo(2.1, 6);
    expect(finals.flatMap((final) => final.words).every((word) => word.start >= 0 && word.end <= 9)).toBe(
      true,
    );
    expect(finalWords(seen).join(" ")).toContain("from the west during the afternoon");
  });

  it("gives the same audio the same result whatever the decoder decoded before", async () => {
    const firstTwo = recording.samples.subarray(0, Math.round(8.4 * 16_000));
    const once = await transcribe(engine, firstTwo);
    // The same decoder again, after all the streams above…
    const again = await transcribe(engine, firstTwo);
    // …and two at once, so one of them runs on a second decoder.
    const [left, right] = await Promise.all([transcribe(engine, firstTwo), transcribe(engine, firstTwo)]);
    expect(again).toEqual(once);
    expect(left).toEqual(once);
    expect(right).toEqual(once);
  }, 120_000);

  it("keeps concurrent streams apart, each on its own decoder", async () => {
    const first = recording.samples.subarray(0, Math.round(4.2 * 16_000));
    const third = recording.samples.subarray(Math.round(9.3 * 16_000), Math.round(13.5 * 16_000));
    const [a, b] = await Promise.all([transcribe(engine, first), transcribe(engine, third)]);
    expect(wordErrorRate(sentences[0] ?? "", finalWords(a ?? [])).rate).toBeLessThanOrEqual(0.2);
    expect(wordErrorRate(sentences[2] ?? "", finalWords(b ?? [])).rate).toBeLessThanOrEqual(0.2);
    // Times are per stream: the third sentence, sent alone, starts near 0.
    const firstWord = (b ?? []).find(
      (event): event is Final => event.type === "final" && event.words.length > 0,
    );
    expect(firstWord?.words[0]?.start).toBeLessThan(1);
  });

  it("a closed stream emits nothing more, and its decoder serves the next stream from time 0", async () => {
    const seen: EngineEvent[] = [];
    const stream = engine.createStream({ sampleRate: 16_000, channel: 0, options: {} }, (event) =>
      seen.push(event),
    );
    stream.write(recording.samples.slice(0, 8 * 16_000));
    stream.close();
    const next = await transcribe(engine, recording.samples.subarray(0, 4 * 16_000), { options: {} });
    expect(seen).toEqual([]);
    expect(finalWords(next).slice(0, 2)).toEqual(["good", "morning"]);
    const firstFinal = next.find((event): event is Final => event.type === "final");
    expect(firstFinal?.start).toBe(0);
  });
});

describe("pocketsphinx engine with every decoder busy", () => {
  it("holds a stream's audio until a decoder frees up, then decodes it from time 0", async () => {
    const small = await pocketsphinxEngine({ poolSize: 1, maxDecoders: 1, warmup: false })();
    try {
      const first: EngineEvent[] = [];
      const second: EngineEvent[] = [];
      const a = small.createStream({ sampleRate: 16_000, channel: 0, options: {} }, (event) =>
        first.push(event),
      );
      const b = small.createStream({ sampleRate: 16_000, channel: 0, options: {} }, (event) =>
        second.push(event),
      );
      a.write(recording.samples.slice(0, Math.round(4.2 * 16_000)));
      // The third sentence, alone; it waits while `a` holds the only decoder.
      b.write(recording.samples.slice(Math.round(8.4 * 16_000), Math.round(12.6 * 16_000)));
      await a.flush("close");
      expect(second).toEqual([]);
      a.close();
      await b.flush("close");
      b.close();
      expect(wordErrorRate(sentences[0] ?? "", finalWords(first)).rate).toBeLessThanOrEqual(0.2);
      expect(wordErrorRate(sentences[2] ?? "", finalWords(second)).rate).toBeLessThanOrEqual(0.2);
      const firstFinal = second.find(
        (event): event is Final => event.type === "final" && event.words.length > 0,
      );
      expect(firstFinal?.words[0]?.start).toBeLessThan(2);
    } finally {
      await small.close();
    }
  }, 120_000);

  it("fails a waiting stream that piles up more than a minute of audio, instead of growing without bound", async () => {
    const small = await pocketsphinxEngine({ poolSize: 1, maxDecoders: 1, warmup: false })();
    try {
      const holder = small.createStream({ sampleRate: 16_000, channel: 0, options: {} }, () => {});
      holder.write(new Int16Array(1_600));
      const waiting = small.createStream({ sampleRate: 16_000, channel: 0, options: {} }, () => {});
      // Wait until the holder has really leased the decoder, so `waiting` must queue.
      await holder.flush("finalize");
      for (let i = 0; i < 61; i++) waiting.write(new Int16Array(16_000));
      holder.close();
      await expect(waiting.flush("close")).rejects.toThrow(/every decoder stayed busy.*raise maxDecoders/);
      waiting.close();
    } finally {
      await small.close();
    }
  }, 120_000);
});

describe("pocketsphinx engine with a short maximum utterance", () => {
  it("cuts speech running past the maximum into a final without an endpoint, and goes on", async () => {
    const short = await pocketsphinxEngine({ maxUtteranceSeconds: 2, warmup: false })();
    try {
      // "Temperatures will stay cool through the rest of the week": about 3 s without a pause.
      const sentence = recording.samples.slice(Math.round(12.6 * 16_000), Math.round(17.6 * 16_000));
      const seen = await transcribe(short, sentence, { options: {} });
      const finals = seen.filter((event): event is Final => event.type === "final");
      const cut = finals.filter((final) => !final.endpoint && final.words.length > 0);
      expect(cut.length).toBeGreaterThanOrEqual(1);
      // The cut final ends about maxUtteranceSeconds after speech was detected, mid-sentence,
      // and the rest of the sentence follows in the next utterance.
      expect(cut[0]?.end).toBeLessThan(3);
      expect(finals.filter((final) => final.words.length > 0).length).toBeGreaterThanOrEqual(2);
      // Speech that goes on across the cut is not a new start.
      expect(seen.filter((event) => event.type === "speech-started")).toHaveLength(1);
      // A word caught by the cut may be misheard, but the sentence is there.
      expect(wordErrorRate(sentences[3] ?? "", finalWords(seen)).rate).toBeLessThanOrEqual(0.4);
      let lastEnd = 0;
      for (const final of finals) {
        expect(final.start).toBeCloseTo(lastEnd, 6);
        lastEnd = final.end;
      }
    } finally {
      await short.close();
    }
  }, 120_000);
});
