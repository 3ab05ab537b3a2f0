/** Stable captions: LocalAgreement-style commitment of interim words, and the Finalize fallback. */
import { ManualClock } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { CaptionStabilizer, FinalizeWatch, type ResultsMessage, tokenize } from "../src/index.ts";

function result(
  transcript: string,
  init: { final?: boolean; start?: number; duration?: number; channel?: number; fromFinalize?: boolean } = {},
): ResultsMessage {
  return {
    type: "Results",
    channel_index: [init.channel ?? 0, init.channel === undefined ? 1 : 2],
    start: init.start ?? 0,
    duration: init.duration ?? 1,
    is_final: init.final ?? false,
    speech_final: init.final ?? false,
    from_finalize: init.fromFinalize ?? false,
    channel: { alternatives: [{ transcript, confidence: 0.9, words: [] }] },
    metadata: { request_id: "r", model_info: { name: "m", version: "1", arch: "a" }, model_uuid: "u" },
  };
}

describe("tokenize", () => {
  it("keeps every character, splits words in scripts without spaces", () => {
    for (const text of ["Hello, world", "今日は良い天気です", "ok 👍 done", ""]) {
      expect(
        tokenize(text)
          .map((token) => token.text)
          .join(""),
      ).toBe(text);
    }
    expect(tokenize("今日は良い天気です").filter((token) => token.key !== undefined).length).toBeGreaterThan(
      1,
    );
  });
});

describe("CaptionStabilizer", () => {
  it("commits words two consecutive hypotheses agree on, never the newest hypothesis's last word", () => {
    const stabilizer = new CaptionStabilizer();
    expect(stabilizer.push(result("the cat"))).toMatchObject({ committed: "", tentative: "the cat" });
    expect(stabilizer.push(result("the cat sat"))).toMatchObject({ committed: "the cat", tentative: " sat" });
    expect(stabilizer.push(result("the cat sat on"))).toMatchObject({
      committed: "the cat sat",
      tentative: " on",
    });
  });

  it("a revision inside the committed words never takes them back; only the tail changes", () => {
    const stabilizer = new CaptionStabilizer();
    stabilizer.push(result("I scream"));
    stabilizer.push(result("I scream for"));
    const revised = stabilizer.push(result("ice cream for you"));
    // "I scream" stays; the tail is whatever follows the committed tokens positionally.
    expect(revised.committed).toBe("I scream");
    expect(revised.tentative).toBe(" for you");
    const next = stabilizer.push(result("ice cream for you and"));
    expect(next.committed).toBe("I scream");
  });

  it("compares words case-insensitively and shows the latest spelling only in the tail", () => {
    const stabilizer = new CaptionStabilizer();
    stabilizer.push(result("hello there friend"));
    expect(stabilizer.push(result("Hello there friends"))).toMatchObject({
      committed: "Hello there",
      tentative: " friends",
    });
  });

  it("a final replaces the caption and starts the next one afresh", () => {
    const stabilizer = new CaptionStabilizer();
    stabilizer.push(result("good morning"));
    stabilizer.push(result("good morning every"));
    expect(stabilizer.push(result("Good morning, everyone.", { final: true }))).toMatchObject({
      committed: "Good morning, everyone.",
      tentative: "",
      final: true,
    });
    expect(stabilizer.push(result("how", { start: 1 }))).toMatchObject({ committed: "", tentative: "how" });
  });

  it("keeps channels apart", () => {
    const stabilizer = new CaptionStabilizer();
    stabilizer.push(result("left one", { channel: 0 }));
    stabilizer.push(result("right one", { channel: 1 }));
    expect(stabilizer.push(result("left one two", { channel: 0 })).committed).toBe("left one");
    expect(stabilizer.push(result("right", { channel: 1 })).committed).toBe("");
  });

  it("agreement 3 needs three hypotheses; agreement 1 commits everything", () => {
    const three = new CaptionStabilizer({ agreement: 3 });
    three.push(result("a b c"));
    expect(three.push(result("a b c d")).committed).toBe("");
    expect(three.push(result("a b c d e")).committed).toBe("a b c");
    expect(new CaptionStabilizer({ agreement: 1 }).push(result("x y")).committed).toBe("x y");
    expect(() => new CaptionStabilizer({ agreement: 0 })).toThrow(RangeError);
  });

  it("works on CJK text without spaces", () => {
    const stabilizer = new CaptionStabilizer();
    stabilizer.push(result("今日は良い"));
    const caption = stabilizer.push(result("今日は良い天気です"));
    expect(caption.committed.length).toBeGreaterThan(0);
    expect(`${caption.committed}${caption.tentative}`).toBe("今日は良い天気です");
  });

  it("promoteAll ends captions in progress; the late final for the same audio is then dropped", () => {
    const stabilizer = new CaptionStabilizer();
    stabilizer.push(result("see you", { start: 4, duration: 1 }));
    stabilizer.push(result("see you soon", { start: 4, duration: 2 }));
    expect(stabilizer.promoteAll()).toEqual([
      { channel: 0, committed: "see you soon", tentative: "", final: true, start: 4, end: 6 },
    ]);
    expect(stabilizer.promoteAll()).toEqual([]);
    expect(stabilizer.push(result("See you soon.", { final: true, start: 4, duration: 2 })).committed).toBe(
      "",
    );
    // Later audio is shown as usual.
    expect(stabilizer.push(result("Bye.", { final: true, start: 6, duration: 1 })).committed).toBe("Bye.");
  });
});

describe("FinalizeWatch", () => {
  it("measures the round trip to the from_finalize reply and stops its timer", () => {
    const clock = new ManualClock(1000);
    let timeouts = 0;
    const watch = new FinalizeWatch({ clock, timeoutMs: 500, onTimeout: () => timeouts++ });
    watch.sent();
    expect(watch.pending).toBe(true);
    clock.advance(120);
    expect(watch.observe(result("not the reply"))).toBeUndefined();
    expect(watch.observe(result("done", { final: true, fromFinalize: true }))).toBe(120);
    expect(watch.pending).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1000);
    expect(timeouts).toBe(0);
  });

  it("a server still sending results is still at work: the timeout counts from its latest result", () => {
    const clock = new ManualClock();
    let timeouts = 0;
    const watch = new FinalizeWatch({ clock, timeoutMs: 500, onTimeout: () => timeouts++ });
    watch.sent();
    // An offline recognizer behind real time: results of audio sent before the Finalize.
    for (let i = 0; i < 5; i++) {
      clock.advance(400);
      expect(watch.observe(result(`sentence ${i}`, { final: i % 2 === 1 }))).toBeUndefined();
    }
    expect(timeouts).toBe(0);
    clock.advance(100);
    expect(watch.observe(result("the rest", { final: true, fromFinalize: true }))).toBe(2100);
    clock.advance(5000);
    expect(timeouts).toBe(0);
    // Once the server falls silent, the timeout runs its full length from the last result.
    watch.sent();
    clock.advance(300);
    watch.observe(result("one more"));
    clock.advance(499);
    expect(timeouts).toBe(0);
    clock.advance(1);
    expect(timeouts).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it("calls onTimeout once when no reply comes; a late reply is not a round trip", () => {
    const clock = new ManualClock();
    let timeouts = 0;
    const watch = new FinalizeWatch({ clock, timeoutMs: 500, onTimeout: () => timeouts++ });
    watch.sent();
    clock.advance(499);
    expect(timeouts).toBe(0);
    clock.advance(1);
    expect(timeouts).toBe(1);
    expect(watch.observe(result("late", { final: true, fromFinalize: true }))).toBeUndefined();
    clock.advance(5000);
    expect(timeouts).toBe(1);
  });
});
