/**
 * A clock whose time moves only when a test says so. It has the shape of `@earshot/core`'s
 * `Clock` (now / setTimeout / clearTimeout), so it drives the keepalive scheduler, the pacer,
 * the session's timeouts, the server's inactivity timer and the reconnect backoff alike.
 */
export class ManualClock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, { readonly at: number; readonly fn: () => void }>();
  /** Every `setTimeout` delay asked of this clock, in call order. */
  readonly delays: number[] = [];

  /** @param start the time `now()` reports before any `advance()`. @default 0 */
  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.delays.push(ms);
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number") this.#timers.delete(handle);
  }

  /** Timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due in time order (ties in the
   * order they were set), including timers that those timers set within the same window.
   */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= target && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.#timers.get(nextId);
      this.#timers.delete(nextId);
      this.#now = nextAt;
      timer?.fn();
    }
    this.#now = target;
  }
}
