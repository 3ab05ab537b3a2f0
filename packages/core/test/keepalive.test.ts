import { ManualClock } from "@earshot/testkit";
import { describe, expect, it, vi } from "vitest";
import { systemClock } from "../src/clock.ts";
import { KeepAliveScheduler } from "../src/keepalive.ts";

function setup(intervalMs?: number) {
  const clock = new ManualClock(1_000_000);
  const sentAt: number[] = [];
  const scheduler = new KeepAliveScheduler({
    ...(intervalMs === undefined ? {} : { intervalMs }),
    clock,
    send: () => sentAt.push(clock.now()),
  });
  return { clock, sentAt, scheduler, t0: clock.now() };
}

describe("KeepAliveScheduler", () => {
  it("sends nothing before start()", () => {
    const { clock, sentAt } = setup();
    clock.advance(60_000);
    expect(sentAt).toEqual([]);
  });

  it("sends after the default 4 s idle interval, then every further idle interval", () => {
    const { clock, sentAt, scheduler, t0 } = setup();
    scheduler.start();
    clock.advance(3_999);
    expect(sentAt).toEqual([]);
    clock.advance(1);
    expect(sentAt).toEqual([t0 + 4_000]);
    clock.advance(8_000);
    expect(sentAt).toEqual([t0 + 4_000, t0 + 8_000, t0 + 12_000]);
    scheduler.stop();
  });

  it("never sends while frames keep going out more often than the interval", () => {
    const { clock, sentAt, scheduler } = setup(1_000);
    scheduler.start();
    for (let i = 0; i < 50; i++) {
      clock.advance(900);
      scheduler.frameSent();
    }
    expect(sentAt).toEqual([]);
    scheduler.stop();
  });

  it("counts idle time from the last frame", () => {
    const { clock, sentAt, scheduler, t0 } = setup(1_000);
    scheduler.start();
    clock.advance(700);
    scheduler.frameSent(); // at t0+700: the next KeepAlive is due at t0+1700
    clock.advance(999);
    expect(sentAt).toEqual([]);
    clock.advance(1);
    expect(sentAt).toEqual([t0 + 1_700]);
    scheduler.stop();
  });

  it("never sends after stop(), and leaves no timer", () => {
    const { clock, sentAt, scheduler } = setup(1_000);
    scheduler.start();
    clock.advance(1_000);
    expect(sentAt).toHaveLength(1);
    scheduler.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10_000);
    scheduler.start();
    scheduler.frameSent();
    clock.advance(10_000);
    expect(sentAt).toHaveLength(1);
    expect(scheduler.running).toBe(false);
  });

  it("stops from inside send without re-arming", () => {
    const clock = new ManualClock(1_000_000);
    let count = 0;
    const scheduler: KeepAliveScheduler = new KeepAliveScheduler({
      intervalMs: 500,
      clock,
      send: () => {
        count++;
        scheduler.stop();
      },
    });
    scheduler.start();
    clock.advance(5_000);
    expect(count).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it("passes what send throws to onError and keeps going", () => {
    const clock = new ManualClock(1_000_000);
    const errors: unknown[] = [];
    const scheduler = new KeepAliveScheduler({
      intervalMs: 100,
      clock,
      send: () => {
        throw new Error("socket gone");
      },
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    clock.advance(300);
    expect(errors).toHaveLength(3);
    scheduler.stop();
  });

  it("refuses a non-positive interval", () => {
    expect(() => new KeepAliveScheduler({ intervalMs: 0, send: () => {} })).toThrow(RangeError);
    expect(() => new KeepAliveScheduler({ intervalMs: Number.NaN, send: () => {} })).toThrow(RangeError);
  });

  it("uses unref'd timers on the system clock, so it never keeps the process alive", () => {
    const handle = systemClock.setTimeout(() => {}, 60_000) as NodeJS.Timeout;
    try {
      expect(handle.hasRef()).toBe(false);
    } finally {
      systemClock.clearTimeout(handle);
    }
  });

  it("works with vi.useFakeTimers through the system clock's timers", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const sent: number[] = [];
      const scheduler = new KeepAliveScheduler({
        intervalMs: 4_000,
        send: () => sent.push(1),
        clock: systemClock,
      });
      scheduler.start();
      vi.advanceTimersByTime(3_999);
      expect(sent).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(sent).toHaveLength(1);
      vi.advanceTimersByTime(8_000);
      expect(sent).toHaveLength(3);
      scheduler.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
