import { describe, expect, it } from "vitest";
import type { EngineWord } from "../src/engine.ts";
import { Punctuator, spokenForm } from "../src/session/punctuator.ts";

const words = (...texts: string[]): EngineWord[] =>
  texts.map((word, i) => ({ word, start: i * 0.5, end: i * 0.5 + 0.5, confidence: 0.5 + i * 0.1 }));

describe("spokenForm", () => {
  it("lower-cases and strips surrounding punctuation, keeping inner apostrophes", () => {
    expect(["Hello,", "we'll", "WORLD.", "“quoted”", "123.", "?!"].map(spokenForm)).toEqual([
      "hello",
      "we'll",
      "world",
      "quoted",
      "123",
      "?!",
    ]);
  });
});

describe("Punctuator", () => {
  it("capitalises sentence starts and 'I', and ends an utterance with a full stop", () => {
    const punctuator = new Punctuator(true);
    const first = punctuator.render(words("so", "i", "think"), { commit: true, endsUtterance: false });
    expect(first.transcript).toBe("So I think");
    expect(first.words.map((word) => word.word)).toEqual(["so", "i", "think"]);
    const second = punctuator.render(words("it", "works"), { commit: true, endsUtterance: true });
    expect(second.transcript).toBe("it works.");
    expect(punctuator.render(words("next"), { commit: false, endsUtterance: false }).transcript).toBe("Next");
  });

  it("keeps a word's own capitals and punctuation, and sentence ends inside a result", () => {
    const punctuator = new Punctuator(true);
    const rendered = punctuator.render(words("Hello,", "world.", "again"), {
      commit: true,
      endsUtterance: true,
    });
    expect(rendered.words.map((word) => word.punctuated_word)).toEqual(["Hello,", "world.", "Again."]);
  });

  it("interim renders do not change the sentence state", () => {
    const punctuator = new Punctuator(true);
    punctuator.render(words("one"), { commit: false, endsUtterance: false });
    expect(punctuator.render(words("two"), { commit: true, endsUtterance: false }).transcript).toBe("Two");
  });

  it("without punctuation gives spoken forms and no punctuated_word; confidence is the mean", () => {
    const rendered = new Punctuator(false).render(words("Hello,", "World"), {
      commit: true,
      endsUtterance: true,
    });
    expect(rendered.transcript).toBe("hello world");
    expect(rendered.words[0]).toEqual({ word: "hello", start: 0, end: 0.5, confidence: 0.5 });
    expect(rendered.confidence).toBe(0.55);
    expect(new Punctuator(false).render([], { commit: true, endsUtterance: true })).toEqual({
      transcript: "",
      confidence: 0,
      words: [],
    });
  });
});
