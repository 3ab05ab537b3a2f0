import { readFluxFixture } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import {
  type FluxProtocolWarning,
  type FluxServerMessage,
  type FluxTurnInfoMessage,
  FluxTurnTracker,
  parseFluxMessage,
} from "../src/index.ts";

let sequence = 0;
function turnInfo(
  fields: Partial<FluxTurnInfoMessage> & Pick<FluxTurnInfoMessage, "event">,
): FluxTurnInfoMessage {
  return {
    type: "TurnInfo",
    sequence_id: sequence++,
    turn_index: 0,
    audio_window_start: 0,
    audio_window_end: 0.25,
    transcript: "",
    words: [],
    end_of_turn_confidence: 0.1,
    ...fields,
  };
}

function feed(tracker: FluxTurnTracker, messages: readonly FluxServerMessage[]) {
  const warnings: FluxProtocolWarning[] = [];
  const turns = [];
  for (const message of messages) {
    const observation = tracker.observe(message);
    warnings.push(...observation.warnings);
    if (observation.turn) turns.push(observation.turn);
  }
  return { warnings, turns };
}

describe("FluxTurnTracker on a well-formed session", () => {
  it("follows the docs' lifecycle (eager mode) without a warning and yields the one turn", () => {
    const lifecycle = JSON.parse(
      readFluxFixture("TurnInfo.turn-lifecycle.docs-state.fragment.json"),
    ) as object[];
    const messages = [
      parseFluxMessage('{"type":"Connected","request_id":"r","sequence_id":0}'),
      ...lifecycle.map((fragment, index) =>
        parseFluxMessage(JSON.stringify({ type: "TurnInfo", sequence_id: index + 1, ...fragment })),
      ),
    ];
    const tracker = new FluxTurnTracker();
    const states: string[] = [];
    const warnings: FluxProtocolWarning[] = [];
    const turns = [];
    for (const message of messages) {
      const observation = tracker.observe(message);
      warnings.push(...observation.warnings);
      if (observation.turn) turns.push(observation.turn);
      states.push(tracker.current.state);
    }
    expect(warnings).toEqual([]);
    expect(states).toEqual([
      "idle",
      "idle",
      "idle",
      "speaking",
      "speaking",
      "speaking",
      "awaiting-end",
      "speaking",
      "speaking",
      "awaiting-end",
      "awaiting-end",
      "idle",
    ]);
    expect(turns).toEqual([
      {
        turnIndex: 0,
        transcript: "Hi I need to cancel my subscription please.",
        words: [],
        start: 0,
        end: 1.7,
        trigger: undefined,
        endOfTurnConfidence: 0.7,
      },
    ]);
    expect(tracker.current).toMatchObject({ turnIndex: 1, state: "idle", transcript: "" });
  });

  it("keeps the current turn's transcript and words, and hands an open turn over as unfinalised", () => {
    sequence = 0;
    const tracker = new FluxTurnTracker();
    const words = [{ word: "Hello", confidence: 0.9, start: 0.1, end: 0.4 }];
    feed(tracker, [turnInfo({ event: "StartOfTurn", transcript: "Hello", words, audio_window_end: 0.5 })]);
    expect(tracker.current).toEqual({
      turnIndex: 0,
      state: "speaking",
      transcript: "Hello",
      words,
      eagerTranscript: undefined,
    });
    expect(tracker.unfinalised()).toMatchObject({ transcript: "Hello", trigger: "unfinalised", end: 0.5 });
  });
});

describe("FluxTurnTracker reports broken rules as typed warnings and goes on", () => {
  it("a sequence_id gap (also across unknown message types)", () => {
    const tracker = new FluxTurnTracker();
    const { warnings } = feed(tracker, [
      parseFluxMessage('{"type":"Connected","sequence_id":0}'),
      parseFluxMessage('{"type":"Novel","sequence_id":1}'),
      parseFluxMessage('{"type":"Connected","sequence_id":4}'),
    ]);
    expect(warnings).toEqual([expect.objectContaining({ code: "SEQUENCE_GAP", expected: 2, received: 4 })]);
  });

  it.each([
    [
      1,
      [
        turnInfo({ event: "Update", audio_window_end: 0.25 }),
        turnInfo({ event: "Update", audio_window_end: 1.5 }),
      ],
    ],
    [
      2,
      [
        turnInfo({ event: "StartOfTurn", transcript: "Hi" }),
        turnInfo({ event: "EagerEndOfTurn", transcript: " " }),
      ],
    ],
    [
      3,
      [
        turnInfo({ event: "StartOfTurn", transcript: "Hi" }),
        turnInfo({ event: "TurnResumed", transcript: "Hi" }),
      ],
    ],
    [
      4,
      [
        turnInfo({ event: "StartOfTurn", transcript: "Hi" }),
        turnInfo({ event: "EagerEndOfTurn", transcript: "Hi there." }),
        turnInfo({ event: "EndOfTurn", transcript: "Hi there, you.", trigger: "model" }),
      ],
    ],
    [
      4,
      [
        turnInfo({ event: "StartOfTurn", transcript: "Hi" }),
        turnInfo({ event: "EagerEndOfTurn", transcript: "Hi there." }),
        turnInfo({ event: "Update", transcript: "Hi there, you" }),
      ],
    ],
    [
      5,
      [
        turnInfo({ event: "StartOfTurn", transcript: "Hi" }),
        turnInfo({ event: "EndOfTurn", transcript: "Hi" }),
        turnInfo({ event: "Update", turn_index: 2 }),
      ],
    ],
    [5, [turnInfo({ event: "Update", turn_index: 1 })]],
    ["start-transcript", [turnInfo({ event: "StartOfTurn", transcript: "" })]],
    ["order", [turnInfo({ event: "EndOfTurn", transcript: "Hi" })]],
  ] as const)("rule %s", (rule, messages) => {
    const { warnings } = feed(
      new FluxTurnTracker(),
      messages.map((message) => ({ ...message, sequence_id: undefined })),
    );
    expect(warnings).toEqual([expect.objectContaining({ code: "RULE_VIOLATION", rule })]);
  });

  it("rule 6 on flux-general-multi, and a manual EndOfTurn may differ from a pending eager transcript", () => {
    const multi = feed(new FluxTurnTracker({ multilingual: true }), [
      { ...turnInfo({ event: "Update" }), sequence_id: undefined, languages: [] },
    ]);
    expect(multi.warnings).toEqual([expect.objectContaining({ rule: 6 })]);
    const manual = feed(
      new FluxTurnTracker(),
      [
        turnInfo({ event: "StartOfTurn", transcript: "Hi" }),
        turnInfo({ event: "EagerEndOfTurn", transcript: "Hi there." }),
        turnInfo({ event: "EndOfTurn", transcript: "Hi there, you", trigger: "manual" }),
      ].map((message) => ({ ...message, sequence_id: undefined })),
    );
    expect(manual.warnings).toEqual([]);
    expect(manual.turns.map((turn) => turn.trigger)).toEqual(["manual"]);
  });

  it("an unknown event is reported and its transcript kept", () => {
    const tracker = new FluxTurnTracker();
    const { warnings } = feed(tracker, [
      { ...turnInfo({ event: "StartOfTurn", transcript: "Hi" }), sequence_id: undefined },
      { ...turnInfo({ event: "Backchannel", transcript: "Hi mm" }), sequence_id: undefined },
    ]);
    expect(warnings).toEqual([expect.objectContaining({ code: "UNKNOWN_EVENT", event: "Backchannel" })]);
    expect(tracker.current.transcript).toBe("Hi mm");
  });
});
