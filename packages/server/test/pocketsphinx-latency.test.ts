/**
 * Measures (and prints; asserts no speed) how the engine behaves live: the bundled recording's
 * first sentence streamed in real time in 100 ms chunks, and the whole recording decoded as
 * fast as possible for the real-time factor. The figures go into the project notes.
 */
import { wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, EngineEvent } from "../src/engine.ts";
import { liveDecoderThreads } from "../src/engines/pocketsphinx/decoder-thread.ts";
import { pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";
import { readRecording, silence16k } from "./helpers/flite.ts";
import { finalWords, transcribe } from "./helpers/run-engine.ts";

const recording = readRecording();
let engine: Engine;

beforeAll(async () => {
  engine = await pocketsphinxEngine({ poolSize: 1 })();
  // A first short stream waits behind the decoder's warm-up, so the figures below exclude it.
  await transcribe(engine, silence16k(0.2), { options: {} });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  expect(liveDecoderThreads()).toBe(0);
});

describe("pocketsphinx engine, live", () => {
  it("reports a first interim while the first sentence is still being spoken (real-time pacing)", async () => {
    const chunk = 1_600; // 100 ms
    const seconds = 4.5;
    const arrivals: { event: EngineEvent; wall: number }[] = [];
    let started = 0;
    const stream = engine.createStream(
      { sampleRate: 16_000, channel: 0, options: { interim_results: true } },
      (event) => arrivals.push({ event, wall: (performance.now() - started) / 1000 }),
    );
    started = performance.now();
    for (let offset = 0, k = 0; offset < seconds * 16_000; offset += chunk, k++) {
      // Send each chunk once its audio has been captured (its end), as a microphone would.
      const due = started + (k + 1) * 100;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      stream.write(recording.samples.slice(offset, offset + chunk));
    }
    await stream.flush("close");
    stream.close();

    const firstInterim = arrivals.find(({ event }) => event.type === "interim");
    const firstFinal = arrivals.find(({ event }) => event.type === "final");
    expect(firstInterim?.event.type).toBe("interim");
    expect(arrivals.indexOf(firstInterim as (typeof arrivals)[number])).toBeLessThan(
      arrivals.indexOf(firstFinal as (typeof arrivals)[number]),
    );
    const interim = firstInterim?.event as Extract<EngineEvent, { type: "interim" }>;
    const firstWordStart = interim.words[0]?.start ?? Number.NaN;
    console.info(
      [
        `first interim: "${interim.words.map((word) => word.word).join(" ")}"`,
        `${(firstInterim?.wall ?? 0).toFixed(2)} s after streaming began`,
        `${((firstInterim?.wall ?? 0) - firstWordStart).toFixed(2)} s after its first word began (${firstWordStart} s)`,
        `${((firstInterim?.wall ?? 0) - interim.end).toFixed(2)} s behind the audio it covers (to ${interim.end} s)`,
      ].join("; "),
    );
    const speechStart = arrivals.find(({ event }) => event.type === "speech-started");
    if (speechStart?.event.type === "speech-started") {
      console.info(
        `speech start (at ${speechStart.event.timestamp} s) reported ${speechStart.wall.toFixed(2)} s after streaming began`,
      );
    }
    const final = firstFinal?.event as Extract<EngineEvent, { type: "final" }>;
    const lastWordEnd = final.words.at(-1)?.end ?? Number.NaN;
    console.info(
      `first final (endpoint ${final.endpoint}): ${(firstFinal?.wall ?? 0).toFixed(2)} s after streaming began, ` +
        `${((firstFinal?.wall ?? 0) - lastWordEnd).toFixed(2)} s after its last word ended (${lastWordEnd} s)`,
    );
    expect(final.endpoint).toBe(true);
  }, 60_000);

  it("decodes the whole recording unpaced, as accurately as live (real-time factor printed)", async () => {
    const duration = recording.samples.length / recording.sampleRate;
    const began = performance.now();
    const events = await transcribe(engine, recording.samples, { options: { interim_results: true } });
    const elapsed = (performance.now() - began) / 1000;
    console.info(
      `real-time factor: ${(elapsed / duration).toFixed(3)} (${elapsed.toFixed(2)} s for ${duration.toFixed(2)} s of audio, one decoder thread, interims on)`,
    );
    expect(wordErrorRate(recording.reference, finalWords(events)).rate).toBeLessThanOrEqual(0.1);
  }, 120_000);
});
