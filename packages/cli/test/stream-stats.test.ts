/**
 * The `--stats` figures' arithmetic and wording (the end-to-end runs on both faces are in
 * listen-stats.test.ts and listen-tty.test.ts).
 */
import { describe, expect, it } from "vitest";
import { formatLiveStats, formatStatsSummary, percentile, type StatsSnapshot } from "../src/stream-stats.ts";

const measured: StatsSnapshot = {
  firstInterimMs: 412.4,
  finalLatencyP50Ms: 201.6,
  finalLatencyP95Ms: 610,
  finals: 8,
  finalizeRoundTripMs: 15,
  reconnects: 1,
  bytesSent: 971_416,
};

describe("--stats", () => {
  it("percentile: nearest rank", () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it("the summary: one figure per line, rounded to the millisecond", () => {
    expect(formatStatsSummary(measured, { interimResults: true })).toEqual([
      "earshot: stats: time to first interim   412 ms",
      "earshot: stats: audio end → final       p50 202 ms, p95 610 ms (8 finals)",
      "earshot: stats: Finalize round trip     15 ms",
      "earshot: stats: reconnects              1",
      "earshot: stats: bytes sent              971416",
    ]);
    expect(formatLiveStats(measured)).toBe("1st 412 ms · final p50 202 ms");
  });

  it("without interim results there is no first interim: the line names the flag that gives one", () => {
    const none = { ...measured, firstInterimMs: undefined, finalizeRoundTripMs: undefined };
    const [first, , finalize] = formatStatsSummary(none, { interimResults: false });
    expect(first).toBe(
      "earshot: stats: time to first interim   – (no interim results asked for: add --interim-results)",
    );
    expect(finalize).toBe("earshot: stats: Finalize round trip     –");
    // Asked for, yet none came: only the dash.
    expect(formatStatsSummary(none, { interimResults: true })[0]).toBe(
      "earshot: stats: time to first interim   –",
    );
  });
});
