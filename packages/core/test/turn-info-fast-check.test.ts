import { compareVerdicts, readFluxFixtures } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { FLUX_MESSAGE_SHAPES } from "../src/flux/messages.ts";
import { turnInfoFits } from "../src/flux/turn-info-fast-check.ts";

/**
 * The straight-line TurnInfo check is a second copy of the TurnInfo shape's rules, written for
 * speed: it must agree with the shape on every message. Both run here over every recorded
 * TurnInfo and every single-field mutation of them.
 */
const recorded = readFluxFixtures()
  .filter((fixture) => fixture.name.startsWith("TurnInfo.") && !fixture.name.includes("lifecycle"))
  .map((fixture) => JSON.parse(fixture.text) as Record<string, unknown>)
  .filter((message) => message.type === "TurnInfo");

/** A TurnInfo with every optional field present, so each of them gets mutated too. */
const everyOptionalField: Record<string, unknown> = {
  type: "TurnInfo",
  request_id: "r",
  sequence_id: 4,
  event: "EndOfTurn",
  turn_index: 0,
  audio_window_start: 0,
  audio_window_end: 1.2,
  transcript: "hello there",
  words: [{ word: "hello", confidence: 0.9, start: 0.1, end: 0.4 }],
  end_of_turn_confidence: 0.9,
  trigger: "model",
  languages: ["en"],
  languages_hinted: ["en", "de"],
};

const shapeFits = (message: Record<string, unknown>): boolean =>
  FLUX_MESSAGE_SHAPES.TurnInfo(message) === undefined;

describe("the straight-line TurnInfo check agrees with the TurnInfo shape", () => {
  const messages = [...recorded, everyOptionalField];

  it("on every recorded TurnInfo", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(6);
    for (const message of messages) {
      expect(turnInfoFits(message)).toBe(true);
      expect(shapeFits(message)).toBe(true);
    }
  });

  it("on every single-field mutation of them (one of them with every optional field)", () => {
    const { compared, refused, disagreements } = compareVerdicts(messages, turnInfoFits, shapeFits);
    expect(disagreements).toEqual([]);
    expect(refused).toBeGreaterThan(400);
    expect(compared - refused).toBeGreaterThan(400);
  });
});
