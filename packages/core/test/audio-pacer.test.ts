import { ManualClock } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { RealtimePacer } from "../src/audio/realtime-pacer.ts";
import { AbortedError } from "../src/errors.ts";

/** Lets pending promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe("RealtimePacer", () => {
  it("lets the burst allowance through at once, then holds bytes to real time", () => {
    const clock = new ManualClock(1_000_000);
    const pacer = new RealtimePacer({ bytesPerSecond: 1_000, burstMs: 250, clock });
    // 250 bytes of allowance: the first 250 bytes cost no wait.
    expect(pacer.reserve(100)).toBe(0);
    expect(pacer.reserve(150)).toBe(0);
    // 100 more bytes: due 100 ms after the start.
    expect(pacer.reserve(100)).toBe(100);
    clock.advance(100);
    expect(pacer.reserve(100)).toBe(100);
    clock.advance(500);
    // 450 bytes counted at t=600 ms: 600 + 250 allowance > 450, so no wait.
    expect(pacer.reserve(100)).toBe(0);
    expect(pacer.sentBytes).toBe(550);
  });

  it("never lets sent bytes exceed elapsed × rate + allowance, over many chunks", async () => {
    const clock = new ManualClock(1_000_000);
    const start = clock.now();
    const pacer = new RealtimePacer({ bytesPerSecond: 32_000, burstMs: 250, clock });
    let sent = 0;
    for (let i = 0; i < 50; i++) {
      const waiting = pacer.pace(3_200);
      let done = false;
      void waiting.then(() => {
        done = true;
      });
      for (let step = 0; step < 200 && !done; step++) {
        await settle();
        if (!done) clock.advance(10);
      }
      expect(done).toBe(true);
      sent += 3_200;
      const elapsedMs = clock.now() - start;
      expect(sent).toBeLessThanOrEqual((elapsedMs * 32_000) / 1000 + 8_000 + 1e-6);
    }
    // 50 × 100 ms of audio with 250 ms of burst: the last chunk leaves at 4.75 s.
    expect(clock.now() - start).toBeGreaterThanOrEqual(4_750);
    expect(clock.now() - start).toBeLessThan(4_800);
  });

  it("rejects with AbortedError when the signal aborts during a wait, and clears its timer", async () => {
    const clock = new ManualClock(1_000_000);
    const pacer = new RealtimePacer({ bytesPerSecond: 1_000, burstMs: 0, clock });
    const controller = new AbortController();
    const waiting = pacer.pace(5_000, { signal: controller.signal });
    expect(clock.pendingTimers).toBe(1);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    expect(clock.pendingTimers).toBe(0);
  });

  it("rejects at once with an already-aborted signal", async () => {
    const pacer = new RealtimePacer({ bytesPerSecond: 1_000, clock: new ManualClock(1_000_000) });
    await expect(pacer.pace(10, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
  });

  it("starts over after reset()", () => {
    const clock = new ManualClock(1_000_000);
    const pacer = new RealtimePacer({ bytesPerSecond: 1_000, burstMs: 0, clock });
    expect(pacer.reserve(1_000)).toBe(1_000);
    pacer.reset();
    clock.advance(5);
    expect(pacer.sentBytes).toBe(0);
    expect(pacer.reserve(500)).toBe(500);
  });

  it("refuses a non-positive rate or a negative burst", () => {
    expect(() => new RealtimePacer({ bytesPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RealtimePacer({ bytesPerSecond: 1, burstMs: -1 })).toThrow(RangeError);
  });
});
