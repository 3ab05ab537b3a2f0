/**
 * The ordered, non-reentrant delivery of a client's events to its callbacks.
 *
 * Every event goes through one queue: those arriving on the port while the event loop is free,
 * those drained synchronously inside `start()`/`finish()`, and the client's own (`Error` for a
 * refused `send()`). While a callback runs, anything that would deliver more (a nested
 * `finish()`, a `send()` that fails) only queues: the outer loop delivers it after the
 * callback returns. So callbacks never re-enter, and every event arrives once, in order.
 */

import {
  CallbackError,
  type EarshotError,
  type LiveTranscriptionEvent,
  type LiveTranscriptionEventMap,
  type LiveTranscriptionHandler,
} from "@earshot/core";
import { HandlerRegistry } from "@earshot/core/internal";

/** One event waiting for delivery. */
export type QueuedEvent = {
  [E in LiveTranscriptionEvent]: { readonly event: E; readonly payload: LiveTranscriptionEventMap[E] };
}[LiveTranscriptionEvent];

export class EventDelivery {
  readonly #handlers = new HandlerRegistry((event, thrown) => this.#handlerThrew(event, thrown));
  readonly #queue: QueuedEvent[] = [];
  #head = 0;
  #delivering = false;

  add<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>, once: boolean): void {
    this.#handlers.add(event, handler, once);
  }

  /** Removes the most recently added registration of `handler`, as EventEmitter does. */
  remove<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): void {
    this.#handlers.remove(event, handler);
  }

  /** True while a callback is running (on this client). */
  get delivering(): boolean {
    return this.#delivering;
  }

  /** Queues an event behind every event queued before it. */
  enqueue(queued: QueuedEvent): void {
    this.#queue.push(queued);
  }

  /** Delivers everything queued, unless a delivery is already running further up the stack. */
  flush(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      while (this.#head < this.#queue.length) {
        const next = this.#queue[this.#head] as QueuedEvent;
        this.#queue[this.#head] = undefined as never;
        this.#head++;
        this.#emit(next);
      }
    } finally {
      this.#queue.length = 0;
      this.#head = 0;
      this.#delivering = false;
    }
  }

  #emit<E extends LiveTranscriptionEvent>(queued: {
    readonly event: E;
    readonly payload: LiveTranscriptionEventMap[E];
  }): void {
    this.#handlers.emit(queued.event, queued.payload);
  }

  #handlerThrew(event: LiveTranscriptionEvent, thrown: unknown): void {
    const error: EarshotError = new CallbackError(event, { cause: thrown });
    // Reported as the next event — except from an Error handler (that would loop) or a Close
    // handler (Close is the last event): those go to the process as a warning, never rethrown.
    if (event === "error" || event === "close") {
      process.emitWarning(error);
      return;
    }
    this.#queue.splice(this.#head, 0, { event: "error", payload: error });
  }
}
