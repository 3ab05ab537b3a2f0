import type { LiveOptions } from "@earshot/core";
import { levelCodedWord, silence, tone } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../src/engine.ts";
import { type ScriptOptions, scriptedEngine } from "../src/index.ts";

function samples(buffer: Buffer): Int16Array {
  return new Int16Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length));
}

async function run(
  script: ScriptOptions,
  options: LiveOptions,
  audio: Buffer[],
  flush?: "finalize" | "close",
) {
  const engine = await scriptedEngine(script)();
  const events: EngineEvent[] = [];
  const stream = engine.createStream({ sampleRate: 16_000, channel: 0, options }, (event) =>
    events.push(event),
  );
  for (const part of audio) stream.write(samples(part));
  if (flush !== undefined) await stream.flush(flush);
  stream.close();
  await engine.close();
  return events;
}

const words = (event: EngineEvent | undefined) =>
  event !== undefined && event.type !== "speech-started" ? event.words.map((w) => w.word) : [];

describe("scripted engine", () => {
  it("spreads the transcript over the speech and ends the utterance at silence", async () => {
    const events = await run({ transcript: "Hello there, world." }, {}, [tone(1.2), silence(0.1)]);
    expect(events[0]).toEqual({ type: "speech-started", timestamp: 0 });
    const final = events.find((event) => event.type === "final");
    expect(final).toMatchObject({ type: "final", start: 0, end: 1.21, endpoint: true });
    expect(words(final)).toEqual(["Hello", "there,", "world."]);
    if (final?.type !== "final") throw new Error("no final");
    expect(final.words.map((w) => [w.start, w.end])).toEqual([
      [0, 0.4],
      [0.4, 0.8],
      [0.8, 1.2],
    ]);
  });

  it("emits a word only once the audio covering it has arrived", async () => {
    const events = await run({ transcript: "one two three" }, { interim_results: true }, [tone(1.0)]);
    const interim = events.find((event) => event.type === "interim");
    expect(interim).toMatchObject({ start: 0, end: 1 });
    expect(words(interim)).toEqual(["one", "two"]);
    expect(events.some((event) => event.type === "final")).toBe(false);
  });

  it("gives the same events whatever the frame sizes", async () => {
    const audio = Buffer.concat([silence(0.3), tone(0.9), silence(0.5), tone(0.45), silence(0.2)]);
    const whole = await run({}, { interim_results: true }, [audio], "close");
    const pieces: Buffer[] = [];
    // Frames of varying sample counts (1, 10, 73, …), none aligned with the 10 ms windows.
    for (let offset = 0, size = 1; offset < audio.length; offset += size * 2, size = (size * 7 + 3) % 997) {
      pieces.push(audio.subarray(offset, offset + size * 2));
    }
    expect(await run({}, { interim_results: true }, pieces, "close")).toEqual(whole);
  });

  it("honours endpointing in ms and endpointing=false", async () => {
    const short = await run({ transcript: "a b" }, { endpointing: 300 }, [tone(0.8), silence(0.2)]);
    expect(short.some((event) => event.type === "final")).toBe(false);
    const long = await run({ transcript: "a b" }, { endpointing: 300 }, [tone(0.8), silence(0.3)]);
    expect(long.find((event) => event.type === "final")).toMatchObject({ endpoint: true, end: 1.1 });
    const off = await run({ transcript: "a b" }, { endpointing: false }, [tone(0.8), silence(0.3)]);
    expect(off.find((event) => event.type === "final")).toMatchObject({ endpoint: false });
  });

  it("counts a half-spoken word at an endpoint and drops a shorter start", async () => {
    const events = await run({ transcript: "a b c d" }, {}, [
      tone(0.6),
      silence(0.1),
      tone(0.1),
      silence(0.1),
    ]);
    const finals = events.filter((event) => event.type === "final");
    expect(finals.map(words)).toEqual([["a", "b"], []]);
    expect(finals[0]).toMatchObject({ type: "final" });
    if (finals[0]?.type === "final") expect(finals[0].words[1]).toMatchObject({ start: 0.4, end: 0.6 });
  });

  it("reports words with explicit times once the audio reaches their end", async () => {
    const script = {
      words: [
        { word: "late", start: 1.5, end: 1.9 },
        { word: "early", start: 0.1, end: 0.5 },
      ],
    };
    const events = await run(script, {}, [tone(1.0), silence(0.1)]);
    expect(words(events.find((event) => event.type === "final"))).toEqual(["early"]);
    const flushed = await run(script, {}, [tone(1.0), silence(1.0)], "finalize");
    expect(flushed.filter((event) => event.type === "final").map(words)).toEqual([["early"], ["late"]]);
  });

  it("flushes the open utterance and loops the default script", async () => {
    const events = await run({}, {}, [tone(4.0)], "finalize");
    const final = events.find((event) => event.type === "final");
    expect(final).toMatchObject({ start: 0, end: 4, endpoint: false });
    expect(words(final)).toEqual([
      "The",
      "quick",
      "brown",
      "fox",
      "jumps",
      "over",
      "the",
      "lazy",
      "dog.",
      "The",
    ]);
  });

  it("a flush during a pause ends the utterance: the rest of the pause is no second endpoint", async () => {
    const engine = await scriptedEngine({ transcript: "a b c" })();
    const events: EngineEvent[] = [];
    const options = { endpointing: 300 };
    const stream = engine.createStream({ sampleRate: 16_000, channel: 0, options }, (event) =>
      events.push(event),
    );
    stream.write(samples(Buffer.concat([tone(0.8), silence(0.1)])));
    await stream.flush("finalize");
    stream.write(samples(silence(0.5)));
    stream.write(samples(tone(0.4)));
    stream.close();
    expect(events.map((event) => event.type)).toEqual(["speech-started", "final", "speech-started"]);
    expect(words(events[1])).toEqual(["a", "b"]);
  });

  it('wordChoice "level": the audio names each word, so any stream hearing the same audio says the same words', async () => {
    const script = { transcript: "zero one two three four", wordChoice: "level" } as const;
    const utterance = [levelCodedWord(3, 0.4), levelCodedWord(1, 0.4), levelCodedWord(4, 0.4), silence(0.1)];
    const events = await run(script, {}, utterance);
    const final = events.find((event) => event.type === "final");
    expect(words(final)).toEqual(["three", "one", "four"]);
    if (final?.type !== "final") throw new Error("no final");
    expect(final.words.map((w) => [w.start, w.end])).toEqual([
      [0, 0.4],
      [0.4, 0.8],
      [0.8, 1.2],
    ]);
    // A second stream that starts at the second word (a replay) hears the same words there.
    const replayed = await run(script, {}, utterance.slice(1));
    expect(words(replayed.find((event) => event.type === "final"))).toEqual(["one", "four"]);
    // Levels past the script wrap around it; a half-spoken word counts at the endpoint.
    const wrapped = await run(script, {}, [levelCodedWord(7, 0.4), levelCodedWord(0, 0.2), silence(0.1)]);
    expect(words(wrapped.find((event) => event.type === "final"))).toEqual(["two", "zero"]);
    expect(() => scriptedEngine({ wordChoice: "loud" as never })).toThrow(/wordChoice/);
  });

  it("sends an interim result every interimIntervalSeconds of audio", async () => {
    const interims = async (script: ScriptOptions) =>
      (await run({ transcript: "a b c d e f", ...script }, { interim_results: true }, [tone(2)])).filter(
        (event) => event.type === "interim",
      );
    expect((await interims({})).map((event) => (event.type === "interim" ? event.end : 0))).toEqual([1, 2]);
    expect(await interims({ interimIntervalSeconds: 0.25 })).toHaveLength(8);
    expect(() => scriptedEngine({ interimIntervalSeconds: 0 })).toThrow(/interimIntervalSeconds/);
  });

  it("treats quiet audio below the threshold as silence", async () => {
    const quiet = Buffer.alloc(32_000);
    for (let i = 0; i < 16_000; i++) quiet.writeInt16LE(i % 2 === 0 ? 300 : -300, i * 2);
    expect(await run({}, { vad_events: true }, [quiet], "close")).toEqual([
      { type: "final", words: [], start: 0, end: 1, endpoint: false },
    ]);
    expect(
      (await run({ silenceThreshold: 200 }, {}, [quiet])).some((event) => event.type === "speech-started"),
    ).toBe(true);
  });
});
