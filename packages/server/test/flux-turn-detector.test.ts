/**
 * The turn detector against an engine that ends utterances late, as pocketsphinx does (its
 * silence detection falls about half a second into a pause, later than the end-of-turn
 * confidence reaches 0.7): a turn ends on the utterance the engine ended itself, so its words
 * are the final's (v1's), never an interim's nor a cut the detector made; only a timeout cuts.
 */
import { describe, expect, it } from "vitest";
import type { Engine, EngineEvent, EngineStream, EngineWord } from "../src/engine.ts";
import type { TurnSettings } from "../src/flux/end-of-turn.ts";
import { TurnDetector, type TurnInfoFields } from "../src/flux/turn-detector.ts";

const RATE = 16_000;
const word = (text: string, start: number, end: number): EngineWord => ({
  word: text,
  start,
  end,
  confidence: 0.9,
});
/** What the engine hears mid-utterance, and what its end-of-utterance pass makes of it. */
const INTERIM = [word("hello", 0, 0.5), word("word", 0.5, 1)];
const FINAL = [word("hello", 0, 0.5), word("world", 0.5, 1)];

/**
 * Speech is any non-zero sample; the utterance ends `endAfterSeconds` into silence. With
 * `cutAtSeconds`, speech still going on there is cut into a final without an endpoint holding
 * the first word (as pocketsphinx cuts at its maximum utterance length); the rest follows
 * in the endpoint's final, announced by no speech-started and no interim.
 */
function lateEngine(
  endAfterSeconds: number,
  cutAtSeconds?: number,
): { engine: Engine; flushes: () => number } {
  let flushes = 0;
  const engine: Engine = {
    name: "late",
    async close() {},
    createStream(_context, emit: (event: EngineEvent) => void): EngineStream {
      let position = 0;
      let lastSpeech = -1;
      let open = false;
      let cut = false;
      const end = (endpoint: boolean) => {
        open = false;
        emit({
          type: "final",
          words: cut ? FINAL.slice(1) : FINAL,
          start: 0,
          end: position / RATE,
          endpoint,
        });
      };
      return {
        write(samples) {
          for (const sample of samples) {
            position++;
            if (cutAtSeconds !== undefined && !cut && position === cutAtSeconds * RATE) {
              cut = true;
              emit({ type: "final", words: FINAL.slice(0, 1), start: 0, end: cutAtSeconds, endpoint: false });
            }
            if (sample !== 0) {
              lastSpeech = position;
              if (!open) emit({ type: "speech-started", timestamp: position / RATE });
              open = true;
            } else if (open && position - lastSpeech >= endAfterSeconds * RATE) {
              end(true);
            }
          }
          if (open && !cut) emit({ type: "interim", words: INTERIM, start: 0, end: position / RATE });
        },
        async flush() {
          flushes++;
          if (open) end(false);
        },
        close() {},
      };
    },
  };
  return { engine, flushes: () => flushes };
}

const settings = (eotTimeoutMs: number): TurnSettings => ({
  eotThreshold: 0.7,
  eagerThreshold: undefined,
  eotTimeoutMs,
  keyterms: [],
  languageHints: undefined,
});

async function run(engine: Engine, eotTimeoutMs: number, speechSeconds = 1): Promise<TurnInfoFields[]> {
  const events: TurnInfoFields[] = [];
  const detector = new TurnDetector({
    engine,
    sampleRate: RATE,
    settings: () => settings(eotTimeoutMs),
    emit: (fields) => events.push(fields),
  });
  // Speech (1 s), then 3 s of silence, in 80 ms frames.
  const audio = new Int16Array((speechSeconds + 3) * RATE);
  audio.fill(8_000, 0, speechSeconds * RATE);
  for (let offset = 0; offset < audio.length; offset += 1_280)
    await detector.write(audio.subarray(offset, offset + 1_280));
  detector.close();
  return events;
}

describe("the Flux turn detector with an engine that ends utterances late", () => {
  it("ends the turn on the engine's own end of the utterance, with the final's words, cutting nothing", async () => {
    const { engine, flushes } = lateEngine(1);
    const events = await run(engine, 5_000);
    const ends = events.filter((event) => event.event === "EndOfTurn");
    expect(ends).toHaveLength(1);
    // Confidence reached 0.7 at 1.5 s (0.5 s of silence); the engine ended the utterance at 2 s.
    expect(ends[0]).toMatchObject({ transcript: "Hello world.", trigger: "model", audio_window_end: 2 });
    const beforeEnd = events.slice(0, events.indexOf(ends[0] as TurnInfoFields));
    expect(beforeEnd.filter((event) => event.audio_window_end >= 1.5).map((event) => event.event)).toEqual([
      "Update",
      "Update",
    ]);
    expect(flushes()).toBe(0);
  });

  it("a timeout ends the turn even while the engine holds the utterance open, cutting it there", async () => {
    const { engine, flushes } = lateEngine(Number.POSITIVE_INFINITY);
    const events = await run(engine, 1_000);
    const ends = events.filter((event) => event.event === "EndOfTurn");
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ transcript: "Hello world.", trigger: "timeout", audio_window_end: 2 });
    expect(flushes()).toBe(1);
  });

  it("an utterance the engine cut mid-speech (no endpoint) still holds the turn open until its endpoint", async () => {
    // Cut 0.5 s into 1 s of speech: the rest of the turn's words come only with the endpoint.
    const { engine, flushes } = lateEngine(1, 0.5);
    const events = await run(engine, 5_000);
    const ends = events.filter((event) => event.event === "EndOfTurn");
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ transcript: "Hello world.", trigger: "model", audio_window_end: 2 });
    expect(flushes()).toBe(0);
  });
});
