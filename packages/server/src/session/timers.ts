/**
 * The timers of one session, so that closing it clears every one of them (a session must
 * leave no handle behind) and a pending sleep ends instead of hanging.
 */
export class SessionTimers {
  readonly #handles = new Set<NodeJS.Timeout>();
  readonly #sleepers = new Set<() => void>();
  #cleared = false;

  /** Runs `fn` after `ms` unless cleared first; returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    if (this.#cleared) return () => {};
    const handle = setTimeout(() => {
      this.#handles.delete(handle);
      fn();
    }, ms);
    this.#handles.add(handle);
    return () => {
      clearTimeout(handle);
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
    for (const handle of this.#handles) clearTimeout(handle);
    this.#handles.clear();
    for (const wake of [...this.#sleepers]) wake();
  }
}
