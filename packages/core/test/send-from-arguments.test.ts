/**
 * sendFrom()'s arguments, as plain JavaScript may pass them: each wrong one gets a typed error
 * naming it, before the stream's state is looked at and before anything is read.
 */
import { describe, expect, it } from "vitest";
import { OptionsError, StateError } from "../src/index.ts";
import { type AudioSink, sendFrom } from "../src/internal.ts";

function sink(state: { writable: boolean; sent: Uint8Array[] }): AudioSink {
  return {
    liveOptions: { encoding: "linear16", sample_rate: 16_000 },
    send: async (chunk) => {
      state.sent.push(chunk as Uint8Array);
    },
    assertWritable: () => {
      if (!state.writable) throw new StateError("sendFrom() was refused: start() was never called.");
    },
  };
}

describe("sendFrom() arguments", () => {
  it("names a source that is no source (a string, though iterable, is text)", async () => {
    const state = { writable: true, sent: [] };
    for (const [source, named] of [
      [null, "received null"],
      [undefined, "received undefined"],
      [42, "received number 42"],
      [{}, "an object that is not iterable"],
      ["pcm", "a string (text, not audio bytes)"],
    ] as const) {
      await expect(sendFrom(source as never, {}, sink(state))).rejects.toThrow(
        new RegExp(`^sendFrom\\(\\) needs a Node Readable.*${named.replace(/[()]/g, "\\$&")}`),
      );
    }
    expect(state.sent).toEqual([]);
  });

  it("names options that are no options: null, a string, an unknown pace, a signal that is no AbortSignal", async () => {
    const state = { writable: true, sent: [] };
    const audio = [new Uint8Array(640)];
    for (const [options, option] of [
      [null, "options"],
      ["realtime", "options"],
      [{ pace: "fast" }, "pace"],
      [{ signal: 5 }, "signal"],
      [{ clock: {} }, "clock"],
    ] as const) {
      const failure = await sendFrom(audio, options as never, sink(state)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OptionsError);
      expect((failure as OptionsError).problems[0]?.option).toBe(option);
    }
    expect(state.sent).toEqual([]);
  });

  it("checks the arguments before the state, and the state before reading", async () => {
    const state = { writable: false, sent: [] };
    await expect(sendFrom(null as never, {}, sink(state))).rejects.toBeInstanceOf(TypeError);
    let read = false;
    const source = (function* () {
      read = true;
      yield new Uint8Array(640);
    })();
    await expect(sendFrom(source, undefined, sink(state))).rejects.toBeInstanceOf(StateError);
    expect(read).toBe(false);
    state.writable = true;
    await sendFrom([new Uint8Array(640)], undefined, sink(state));
    expect(state.sent).toHaveLength(1);
  });
});
