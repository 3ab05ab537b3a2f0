import { ManualClock } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  AttemptBudget,
  backoffDelay,
  ConnectionClosedError,
  HandshakeError,
  isReconnectable,
  OptionsError,
  resolveReconnectPolicy,
} from "../src/index.ts";

const closed = (closeCode: number, reason: string) =>
  new ConnectionClosedError({ closeCode, reason, requestId: undefined });
const NET_0001 =
  "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001";

describe("the reconnect policy", () => {
  it("is off unless asked, with documented defaults when on", () => {
    expect(resolveReconnectPolicy(undefined)).toBeUndefined();
    expect(resolveReconnectPolicy(false)).toBeUndefined();
    expect(resolveReconnectPolicy(true)).toMatchObject({
      attempts: 3,
      initialDelayMs: 250,
      maxDelayMs: 4000,
      maxAttemptsPerWindow: 10,
      windowMs: 300_000,
      reconnectWhenIdle: false,
    });
    expect(() => resolveReconnectPolicy({ attempts: 0 })).toThrow(RangeError);
    expect(() => resolveReconnectPolicy({ maxAttemptsPerWindow: 1.5 })).toThrow(RangeError);
    expect(() => resolveReconnectPolicy({ initialDelayMs: -1 })).toThrow(RangeError);
  });

  it("refuses what plain JavaScript could pass: another type, a misspelt key, a bound or hook that cannot work", () => {
    expect(() => resolveReconnectPolicy("yes" as never)).toThrow(OptionsError);
    expect(() => resolveReconnectPolicy(null as never)).toThrow(
      /reconnect: must be true, false or an object/,
    );
    expect(() => resolveReconnectPolicy({ attemps: 2 } as never)).toThrow(
      /reconnect\.attemps: is not a reconnect option; did you mean attempts\?/,
    );
    expect(() => resolveReconnectPolicy({ replayMaxSeconds: -1 })).toThrow(
      /replayMaxSeconds must be a positive/,
    );
    expect(() => resolveReconnectPolicy({ random: 5 as never })).toThrow(TypeError);
    expect(() => resolveReconnectPolicy({ clock: {} as never })).toThrow(/reconnect\.clock/);
    expect(resolveReconnectPolicy({ replayMaxSeconds: 5, clock: new ManualClock() })?.replayMaxSeconds).toBe(
      5,
    );
  });

  it("backs off with full jitter: a random share of the capped exponential ceiling", () => {
    const policy = { initialDelayMs: 250, maxDelayMs: 4000 };
    expect(backoffDelay({ ...policy, random: () => 0.5 }, 1)).toBe(125);
    expect(backoffDelay({ ...policy, random: () => 0.5 }, 3)).toBe(500);
    expect(backoffDelay({ ...policy, random: () => 0.999 }, 10)).toBe(3996);
    expect(backoffDelay({ ...policy, random: () => 0 }, 4)).toBe(0);
  });

  it("retries retryable drops only; the idle NET-0001 only with audio to replay or when asked", () => {
    const policy = { reconnectWhenIdle: false };
    expect(isReconnectable(closed(1006, ""), 0, policy)).toBe(true);
    expect(isReconnectable(closed(1011, "NET-0000"), 0, policy)).toBe(true);
    expect(isReconnectable(closed(1008, "DATA-0000"), 100, policy)).toBe(false);
    expect(isReconnectable(new AbortedError(), 100, policy)).toBe(false);
    expect(isReconnectable(new HandshakeError({ status: 401 } as never), 100, policy)).toBe(false);
    expect(isReconnectable(closed(1011, NET_0001), 0, policy)).toBe(false);
    expect(isReconnectable(closed(1011, NET_0001), 3200, policy)).toBe(true);
    expect(isReconnectable(closed(1011, NET_0001), 0, { reconnectWhenIdle: true })).toBe(true);
  });

  it("bounds attempts per outage, and in total per window even when connections open in between", () => {
    const clock = new ManualClock();
    const policy = resolveReconnectPolicy({ attempts: 2, maxAttemptsPerWindow: 3, windowMs: 1000, clock });
    const budget = new AttemptBudget(policy as NonNullable<typeof policy>);
    expect([budget.take(), budget.take(), budget.take()]).toEqual([1, 2, 0]);
    budget.opened();
    expect(budget.take()).toBe(1);
    budget.opened();
    // Three attempts inside the window already: an open does not give them back.
    expect(budget.take()).toBe(0);
    clock.advance(1001);
    expect(budget.take()).toBe(1);
  });
});
