/**
 * The timers of one session, so that closing it clears every one of them (a session must
 * leave no handle behind) and a pending sleep ends instead of hanging. Timers come from an
 * injectable clock so tests can drive the inactivity timeout without waiting.
 */
import { type Clock, systemClock } from "@earshot/core";

export class SessionTimers {
  readonly #clock: Clock;
  readonly #handles = new Set<unknown>();
  readonly #sleepers = new Set<() => void>();
  #cleared = false;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /** Runs `fn` after `ms` unless cleared first; returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    if (this.#cleared) return () => {};
    const handle = this.#clock.setTimeout(() => {
      this.#handles.delete(handle);
      fn();
    }, ms);
    this.#handles.add(handle);
    return () => {
      this.#clock.clearTimeout(handle);
      this.#handles.delete(handle);
    };
  }

  /** Resolves `true` after `ms`, or `false` as soon as the timers are cleared. */
  sleep(ms: number): Promise<boolean> {
    if (this.#cleared) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        this.#sleepers.delete(wake);
        resolve(false);
      };
      this.#sleepers.add(wake);
      this.after(ms, () => {
        this.#sleepers.delete(wake);
        resolve(true);
      });
    });
  }

  /** Clears every timer for good and wakes every sleeper. */
  clearAll(): void {
    this.#cleared = true;
    for (const handle of this.#handles) this.#clock.clearTimeout(handle);
    this.#handles.clear();
    for (const wake of [...this.#sleepers]) wake();
  }
}
