/**
 * Time as the session, the keepalive scheduler and the pacer see it. Injectable so tests can
 * drive timers from a fake clock instead of waiting on the wall clock.
 */

/** A source of time and timers. Timers from {@link systemClock} never keep the process alive. */
export interface Clock {
  /** Milliseconds; only differences between two readings are meaningful for timers. */
  now(): number;
  /** Schedules `fn` after `ms`; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer from {@link Clock.setTimeout}; unknown or spent handles are ignored. */
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock: `now()` is epoch milliseconds with sub-millisecond precision that never goes
 * backwards (`performance.timeOrigin + performance.now()`), and every timer is unref'd, so a
 * forgotten session cannot keep the process alive.
 *
 * Timers are looked up on `globalThis` at call time, so `vi.useFakeTimers()` drives them.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout(fn, ms) {
    const handle = globalThis.setTimeout(fn, ms);
    // Fake timers may hand back a number; only real Node timers have unref.
    if (typeof handle === "object" && handle !== null && "unref" in handle) handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  },
};
