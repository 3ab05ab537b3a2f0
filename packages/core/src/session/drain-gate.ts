/**
 * Backpressure waits: `drained()` promises that resolve once the buffered bytes fall under the
 * high-water mark, or settle with the session's end.
 */
import { abortable, isAbortError } from "abort-controller-x";
import { AbortedError, type EarshotError, isEarshotError } from "../errors.ts";

type Waiter = { resolve: () => void; reject: (error: unknown) => void };

/** The pending `drained()` calls of one session. */
export class DrainGate {
  #waiters: Waiter[] = [];

  /** Whether anyone waits (a frame written now needs a completion callback). */
  get waiting(): boolean {
    return this.#waiters.length > 0;
  }

  /**
   * A promise that resolves at the next {@link DrainGate.open}. `signal` rejects it with
   * `AbortedError` and removes it (the session goes on).
   */
  wait(signal: AbortSignal | undefined): Promise<void> {
    let waiter: Waiter | undefined;
    const wait = new Promise<void>((resolve, reject) => {
      waiter = { resolve, reject };
      this.#waiters.push(waiter);
    });
    if (signal === undefined) return wait;
    return abortable(signal, wait).catch((error: unknown) => {
      this.#waiters = this.#waiters.filter((entry) => entry !== waiter);
      if (!isEarshotError(error) && (signal.aborted || isAbortError(error))) {
        throw new AbortedError("Waiting for the send buffer to drain was aborted.", { cause: signal.reason });
      }
      throw error;
    });
  }

  /** The buffer is under the mark: every waiter resolves. */
  open(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  /** The session ended: waiters resolve after a normal end, else reject with its error. */
  settle(error: EarshotError | undefined): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}
