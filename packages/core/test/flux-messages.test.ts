import { readFluxFixture, readFluxFixtures } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import {
  FLUX_CLOSE_STREAM_FRAME,
  type FluxServerMessage,
  FORCE_END_TURN_FRAME,
  findFluxConfigureProblems,
  fluxConfigureFrame,
  OptionsError,
  parseFluxMessage,
} from "../src/index.ts";

/** Whole server messages (fragments lack `type`; client frames, close frames and handshake errors are not server messages). */
const serverMessages = readFluxFixtures().filter(
  (fixture) =>
    /^(Connected|TurnInfo|ConfigureSuccess|ConfigureFailure|Error|Warning)\./.test(fixture.name) &&
    !fixture.name.includes(".fragment."),
);

function expectType<T extends FluxServerMessage["type"]>(
  message: FluxServerMessage,
  type: T,
): asserts message is Extract<FluxServerMessage, { type: T }> {
  expect(message.type, message.type === "Unhandled" ? message.reason : "").toBe(type);
}

describe("every Flux fixture parses to its type with every field kept", () => {
  it("finds the fixtures", () => {
    expect(serverMessages.length).toBe(11);
  });

  it.each(serverMessages.map((fixture) => [fixture.name, fixture.text]))("%s", (name, text) => {
    const message = parseFluxMessage(text);
    expectType(message, name.split(".")[0] as FluxServerMessage["type"]);
    expect(message).toEqual(JSON.parse(text));
  });

  it("docs fragments (no type on the wire) parse once the envelope is added; missing words become []", () => {
    const lifecycle = JSON.parse(
      readFluxFixture("TurnInfo.turn-lifecycle.docs-state.fragment.json"),
    ) as object[];
    for (const [index, fragment] of lifecycle.entries()) {
      const message = parseFluxMessage(
        JSON.stringify({ type: "TurnInfo", sequence_id: index + 1, ...fragment }),
      );
      expectType(message, "TurnInfo");
      expect(Array.isArray(message.words)).toBe(true);
    }
  });
});

describe("what a newer or broken server sends is kept, never fatal", () => {
  it("an unknown type, event, trigger and field pass through", () => {
    const unknownType = parseFluxMessage('{"type":"SpeakerChanged","sequence_id":3,"speaker":1}');
    expectType(unknownType, "Unhandled");
    expect(unknownType.reason).toBe('unknown message type "SpeakerChanged"');
    expect(unknownType.data).toEqual({ type: "SpeakerChanged", sequence_id: 3, speaker: 1 });

    const turn = parseFluxMessage(
      JSON.stringify({
        type: "TurnInfo",
        sequence_id: 4,
        event: "Backchannel",
        turn_index: 0,
        audio_window_start: 0,
        audio_window_end: 1,
        transcript: "mm-hm",
        words: [],
        end_of_turn_confidence: 0.2,
        trigger: "vad",
        sentiment: "positive",
      }),
    );
    expectType(turn, "TurnInfo");
    expect(turn.event).toBe("Backchannel");
    expect(turn.trigger).toBe("vad");
    expect((turn as unknown as { sentiment: string }).sentiment).toBe("positive");
  });

  it("a known type with a bad field, bad JSON and non-objects come back as Unhandled with the reason", () => {
    const bad = parseFluxMessage('{"type":"TurnInfo","event":"Update","turn_index":"0"}');
    expectType(bad, "Unhandled");
    expect(bad.reason).toBe('TurnInfo message: "turn_index" must be a number, not a string');
    expect(parseFluxMessage("{").type).toBe("Unhandled");
    expect(parseFluxMessage("[1]").type).toBe("Unhandled");
    expect(parseFluxMessage('{"type":7}').type).toBe("Unhandled");
  });
});

describe("the three Flux control frames", () => {
  it("are byte-exact as in the fixtures; there is no KeepAlive", () => {
    expect(FORCE_END_TURN_FRAME).toBe(readFluxFixture("ForceEndTurn.docs-force-end-turn.json").trim());
    expect(FLUX_CLOSE_STREAM_FRAME).toBe(readFluxFixture("CloseStream.docs-close-stream.json").trim());
    const configure = JSON.parse(readFluxFixture("Configure.update-both.docs-configure.json"));
    const { type: _type, ...change } = configure;
    expect(fluxConfigureFrame(change)).toBe(
      readFluxFixture("Configure.update-both.docs-configure.json").trim(),
    );
    expect(fluxConfigureFrame({ language_hints: [] })).toBe(
      readFluxFixture("Configure.clear-language-hints.docs-configure.json").trim(),
    );
  });

  it("Configure is checked: ranges, at most 100 keyterms, eager ≤ eot against the values in force, no other field", () => {
    const problems = findFluxConfigureProblems({
      thresholds: { eot_threshold: 1.2, eot_timeout_ms: 100 },
      keyterms: Array.from({ length: 101 }, (_, index) => `term${index}`),
      numerals: true,
    } as never);
    expect(problems.map((problem) => problem.option)).toEqual([
      "numerals",
      "thresholds.eot_threshold",
      "thresholds.eot_timeout_ms",
      "keyterms",
    ]);
    expect(
      findFluxConfigureProblems({ thresholds: { eager_eot_threshold: 0.8 } }, { eot_threshold: 0.9 }),
    ).toEqual([]);
    expect(
      findFluxConfigureProblems({ thresholds: { eot_threshold: 0.6 } }, { eager_eot_threshold: 0.65 })[0]
        ?.message,
    ).toBe("eager_eot_threshold must not exceed eot_threshold (0.65 > 0.6)");
    expect(() => fluxConfigureFrame({ language_hints: ["xx"] })).toThrow(OptionsError);
  });
});
