/**
 * The one typed handler registry of earshot: a session's listeners and a client's callbacks
 * both live in one. Not Node's EventEmitter on purpose: its `"error"` event throws when nobody
 * listens, and the clients' `Error` event is named `"error"` (as in the Deepgram SDK). Here an
 * event nobody listens to is simply not delivered.
 */

/** Maps each event name to the argument list its handlers receive. */
export type EventArgsMap<T> = { [K in keyof T]: readonly unknown[] };

type AnyHandler = (...args: readonly unknown[]) => void;

interface Registration {
  readonly handler: AnyHandler;
  readonly once: boolean;
}

/**
 * Holds handlers per event and calls them in registration order. A handler that throws never
 * stops the others or the caller: `onThrow` hears about it and decides what it becomes (an
 * `Error` event, a `listenerError`, a process warning).
 *
 * @example
 * ```ts
 * const handlers = new HandlerRegistry<{ open: [info: { requestId?: string }] }>((event, thrown) => console.warn(event, thrown));
 * handlers.add("open", (info) => console.log(info.requestId), false);
 * handlers.emit("open", { requestId: "r-1" });
 * ```
 */
export class HandlerRegistry<T extends EventArgsMap<T>> {
  readonly #handlers = new Map<keyof T, Registration[]>();
  readonly #onThrow: (event: keyof T, thrown: unknown) => void;

  /** @param onThrow receives the event name and what a handler of it threw. */
  constructor(onThrow: (event: keyof T, thrown: unknown) => void) {
    this.#onThrow = onThrow;
  }

  /** Adds `handler` for `event`; `once` removes it before its first call. */
  add<E extends keyof T>(event: E, handler: (...args: T[E]) => void, once: boolean): void {
    const list = this.#handlers.get(event);
    const registration = { handler: handler as unknown as AnyHandler, once };
    if (list === undefined) this.#handlers.set(event, [registration]);
    else list.push(registration);
  }

  /** Removes the most recently added registration of `handler` for `event`, as EventEmitter does. */
  remove<E extends keyof T>(event: E, handler: (...args: T[E]) => void): void {
    const list = this.#handlers.get(event);
    if (list === undefined) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]?.handler === (handler as unknown as AnyHandler)) {
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) this.#handlers.delete(event);
  }

  /** How many handlers listen to `event`. */
  count(event: keyof T): number {
    return this.#handlers.get(event)?.length ?? 0;
  }

  /** Calls every handler of `event` in registration order, each isolated from the others. */
  emit<E extends keyof T>(event: E, ...args: T[E]): void {
    const list = this.#handlers.get(event);
    if (list === undefined || list.length === 0) return;
    // A snapshot: handlers added or removed while emitting take effect from the next event.
    for (const registration of [...list]) {
      if (registration.once) this.remove(event, registration.handler as unknown as (...a: T[E]) => void);
      try {
        (registration.handler as unknown as (...a: T[E]) => void)(...args);
      } catch (thrown) {
        this.#onThrow(event, thrown);
      }
    }
  }

  /** Removes every handler. */
  clear(): void {
    this.#handlers.clear();
  }
}
