/**
 * A typed registry of event handlers. Not Node's EventEmitter on purpose: its `"error"` event
 * throws when nobody listens, and our `Error` event is named `"error"` (as in the Deepgram SDK).
 * Here an event nobody listens to is simply not delivered.
 */
import type {
  LiveTranscriptionEvent,
  LiveTranscriptionEventMap,
  LiveTranscriptionHandler,
} from "./events.ts";

interface Registration {
  readonly handler: (payload: never) => void;
  readonly once: boolean;
}

/**
 * Holds the handlers of one client and calls them; both faces use it, so `on`/`once`/`off`
 * behave the same in each. A handler that throws never stops the others or the stream:
 * `onThrow` hears about it (each client turns it into an `Error` event).
 *
 * @example
 * ```ts
 * const handlers = new HandlerRegistry((event, thrown) => console.warn(event, thrown));
 * handlers.add("Results", (result) => console.log(result.is_final), false);
 * handlers.emit("Results", result);
 * ```
 */
export class HandlerRegistry {
  readonly #handlers = new Map<LiveTranscriptionEvent, Registration[]>();
  readonly #onThrow: (event: LiveTranscriptionEvent, thrown: unknown) => void;

  constructor(onThrow: (event: LiveTranscriptionEvent, thrown: unknown) => void) {
    this.#onThrow = onThrow;
  }

  add<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>, once: boolean): void {
    const list = this.#handlers.get(event) ?? [];
    list.push({ handler, once });
    this.#handlers.set(event, list);
  }

  /** Removes the most recently added registration of `handler` for `event`, as EventEmitter does. */
  remove<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): void {
    const list = this.#handlers.get(event);
    if (list === undefined) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]?.handler === handler) {
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) this.#handlers.delete(event);
  }

  /** How many handlers listen to `event`. */
  count(event: LiveTranscriptionEvent): number {
    return this.#handlers.get(event)?.length ?? 0;
  }

  /** Calls every handler of `event` in registration order, each isolated from the others. */
  emit<E extends LiveTranscriptionEvent>(event: E, payload: LiveTranscriptionEventMap[E]): void {
    const list = this.#handlers.get(event);
    if (list === undefined || list.length === 0) return;
    // A snapshot: handlers added or removed while emitting take effect from the next event.
    for (const registration of [...list]) {
      if (registration.once) this.remove(event, registration.handler as LiveTranscriptionHandler<E>);
      try {
        (registration.handler as LiveTranscriptionHandler<E>)(payload);
      } catch (thrown) {
        this.#onThrow(event, thrown);
      }
    }
  }
}
