/**
 * A small typed event registry whose listeners cannot hurt the session: a listener that throws
 * is caught, the other listeners still run, and the failure is reported as a `CallbackError`
 * to the `listenerError` listeners — or, when there are none, as a process warning on a later
 * microtask (never an uncaught exception, never a broken stream).
 */
import { CallbackError } from "../errors.ts";

type Listener = (...args: never[]) => void;

/** Registry of listeners per event; `T` maps event names to argument tuples. */
export class ListenerRegistry<T extends { [K in keyof T]: unknown[] }> {
  readonly #listeners = new Map<keyof T, Array<{ fn: Listener; once: boolean }>>();
  readonly #onListenerError: (error: CallbackError) => void;

  /** @param onListenerError receives a `CallbackError` for every listener that throws. */
  constructor(onListenerError: (error: CallbackError) => void) {
    this.#onListenerError = onListenerError;
  }

  add<E extends keyof T>(event: E, fn: (...args: T[E]) => void, once: boolean): void {
    const list = this.#listeners.get(event);
    const entry = { fn: fn as unknown as Listener, once };
    if (list) list.push(entry);
    else this.#listeners.set(event, [entry]);
  }

  remove<E extends keyof T>(event: E, fn: (...args: T[E]) => void): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    const index = list.findIndex((entry) => entry.fn === (fn as unknown as Listener));
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.#listeners.delete(event);
  }

  count(event: keyof T): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Calls every listener of `event` in registration order; none can throw out of here. */
  emit<E extends keyof T>(event: E, ...args: T[E]): void {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return;
    // A snapshot: listeners added or removed during the emit take effect from the next one.
    for (const entry of [...list]) {
      if (entry.once) this.remove(event, entry.fn as unknown as (...a: T[E]) => void);
      try {
        (entry.fn as unknown as (...a: T[E]) => void)(...args);
      } catch (thrown) {
        this.#onListenerError(new CallbackError(String(event), { cause: thrown }));
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
