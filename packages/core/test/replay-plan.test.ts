/**
 * The replay a replacement connection is sent, with the requests the old one left unanswered
 * put back at their places in the audio (`replayPlan`).
 */
import { describe, expect, it } from "vitest";
import { replayPlan } from "../src/reconnect/replay-plan.ts";

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
/** Audio as `{ fill × length }`, controls as themselves: what went out, in order. */
const shape = (plan: Array<Uint8Array | string>) =>
  plan.map((item) => (typeof item === "string" ? item : `${item[0]}×${item.byteLength}`));

describe("replayPlan", () => {
  it("puts each control before the first audio byte at or past its place, in order", () => {
    const chunks = [bytes(4, 1), bytes(4, 2), bytes(4, 3)];
    // The replay starts 100 bytes into the stream; a control at 104 went out after chunk 1.
    const plan = replayPlan(chunks, 100, [
      { frame: "C", atByte: 104 },
      { frame: "F", atByte: 108 },
      { frame: "G", atByte: 108 },
    ]);
    expect(shape(plan)).toEqual(["1×4", "C", "2×4", "F", "G", "3×4"]);
    // Whole chunks are passed on as they are (no copy).
    expect(plan[0]).toBe(chunks[0]);
  });

  it("cuts a chunk at a place inside it; places before the replay lead, at or past its end follow", () => {
    const plan = replayPlan([bytes(6, 1)], 10, [
      { frame: "late", atByte: 16 },
      { frame: "inside", atByte: 12 },
      { frame: "before", atByte: 4 },
    ]);
    expect(shape(plan)).toEqual(["before", "1×2", "inside", "1×4", "late"]);
  });

  it("with nothing to replay, sends the controls alone, oldest first on the same place", () => {
    expect(
      shape(
        replayPlan([], 0, [
          { frame: "A", atByte: 0 },
          { frame: "B", atByte: 0 },
        ]),
      ),
    ).toEqual(["A", "B"]);
  });
});
