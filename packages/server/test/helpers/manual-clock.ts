/**
 * A clock that only moves when the test says so: `advance(ms)` runs every timer that falls due,
 * in order. For the server's inactivity timeout and fault delays.
 */
import type { Clock } from "@earshot/core";

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  #now = 0;
  #nextId = 1;
  #timers = new Map<number, Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { id, due: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number") this.#timers.delete(handle);
  }

  /** Timers pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, running due timers in due order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.#timers.values()) {
        if (
          timer.due <= target &&
          (next === undefined || timer.due < next.due || (timer.due === next.due && timer.id < next.id))
        ) {
          next = timer;
        }
      }
      if (next === undefined) break;
      this.#timers.delete(next.id);
      this.#now = next.due;
      next.fn();
    }
    this.#now = target;
  }
}
