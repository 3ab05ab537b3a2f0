import type { Clock } from "@earshot/core";

/** A clock whose timers fire only on `advance()`; it records every delay asked of it. */
export class ManualClock implements Clock {
  #now = 0;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();
  /** Every `setTimeout` delay, in call order. */
  readonly delays: number[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.delays.push(ms);
    this.#timers.set(id, { at: this.#now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing the timers that fall due, in time order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    const due = [...this.#timers].filter(([, timer]) => timer.at <= target).sort((a, b) => a[1].at - b[1].at);
    for (const [id, timer] of due) {
      this.#timers.delete(id);
      this.#now = timer.at;
      timer.fn();
    }
    this.#now = target;
  }
}
