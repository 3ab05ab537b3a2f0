/**
 * The client pipeline both faces deliver through: one handler registry, one ordered queue,
 * delivery that never re-enters a callback, the callback-throw policy, the close report turned
 * into `Error` then `Close`, and the rule that nothing follows `Close`.
 *
 * It is generic over the event map so that a second protocol (Flux, `/v2/listen`) reuses it with
 * its own events; the only events it knows by name are `error` and `close`.
 */
import { CallbackError, type EarshotError, StateError } from "../errors.ts";
import type { CloseReport } from "../session/close-report.ts";
import { HandlerRegistry } from "./handler-registry.ts";
import { warnLater } from "./warn.ts";

/** What every client event map has: a typed `error` and the one `close`. */
export interface PipelineEvents {
  error: EarshotError;
  close: CloseReport;
}

/** One event and its payload. */
export type QueuedEvent<M> = { [E in keyof M]: { readonly event: E; readonly payload: M[E] } }[keyof M];

/** A handler for event `E` of map `M`. */
export type PipelineHandler<M, E extends keyof M> = (payload: M[E]) => void;

type RegistryMap<M> = { [K in keyof M]: [payload: M[K]] };

/**
 * Ordered, non-reentrant delivery of one stream's events to its handlers.
 *
 * - `push()` queues an event; `flush()` delivers everything queued, unless a delivery is already
 *   running further up the stack (then the outer loop delivers it after the callback returns):
 *   callbacks never re-enter and every event arrives once, in order.
 * - A callback that throws becomes a `CallbackError` delivered as the very next `Error` event;
 *   one thrown from an `Error` or `Close` handler (which would loop, or follow `Close`) becomes
 *   a process warning.
 * - `close(report)` queues `Error` (when the report carries one not already reported) then
 *   `Close`; after it nothing is queued any more.
 * - At most one `Error` per cause: an error that is, or is caused by, one already reported is
 *   not reported again.
 *
 * @example
 * ```ts
 * const pipeline = new EventPipeline<LiveTranscriptionEventMap>();
 * pipeline.on("Results", (result) => console.log(result.is_final));
 * pipeline.push("Results", result);
 * pipeline.close({ code: 1000, reason: "", wasClean: true });
 * pipeline.flush(); // Results, then close
 * ```
 */
export class EventPipeline<M extends PipelineEvents> {
  readonly #handlers: HandlerRegistry<RegistryMap<M>>;
  #queue: Array<QueuedEvent<M> | undefined> = [];
  #head = 0;
  /** Where the next `CallbackError` of the event being delivered goes: after those before it. */
  #insertAt = 0;
  #delivering = false;
  #report: CloseReport | undefined;
  readonly #reported = new Set<unknown>();

  constructor() {
    this.#handlers = new HandlerRegistry<RegistryMap<M>>((event, thrown) =>
      this.#handlerThrew(event, thrown),
    );
  }

  /** Adds a handler for `event`. */
  on<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): void {
    this.#handlers.add(event, handler as (...args: RegistryMap<M>[E]) => void, false);
  }

  /** Adds a handler for the next `event` only. */
  once<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): void {
    this.#handlers.add(event, handler as (...args: RegistryMap<M>[E]) => void, true);
  }

  /** Removes the most recent registration of `handler` for `event`. */
  off<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): void {
    this.#handlers.remove(event, handler as (...args: RegistryMap<M>[E]) => void);
  }

  /** How many handlers listen to `event`. */
  count(event: keyof M): number {
    return this.#handlers.count(event);
  }

  /** True once `Close` is queued: nothing more will be. */
  get closed(): boolean {
    return this.#report !== undefined;
  }

  /** The close report, once `Close` is queued. */
  get closeReport(): CloseReport | undefined {
    return this.#report;
  }

  /** True while a callback of this stream is running. */
  get delivering(): boolean {
    return this.#delivering;
  }

  /** Queues `event` behind every event queued before it; ignored once closed. */
  push<E extends keyof M>(event: E, payload: M[E]): void {
    if (this.#report !== undefined) return;
    this.#queue.push({ event, payload } as QueuedEvent<M>);
  }

  /**
   * Queues `error` as an `Error` event unless the stream is closed or the same cause was
   * already reported.
   *
   * @returns whether it was queued.
   */
  error(error: EarshotError): boolean {
    if (this.#report !== undefined || this.#alreadyReported(error)) return false;
    this.push("error", error);
    return true;
  }

  /** Queues the close report's error (when new) and `Close`; does nothing when already closed. */
  close(report: CloseReport): void {
    if (this.#report !== undefined) return;
    if (report.error !== undefined) this.error(report.error);
    this.push("close", report);
    this.#report = report;
  }

  /** Starts a new stream on the same handlers (the threaded client may start again after a close). */
  reopen(): void {
    this.#report = undefined;
    this.#reported.clear();
  }

  /**
   * The error a call on a closed stream gets: a `StateError` whose `cause` is the error that
   * closed the stream (absent after a normal close). No event is queued for it.
   */
  refusal(method: string): StateError {
    const report = this.#report;
    const why =
      report?.error === undefined
        ? "the stream is closed"
        : `the stream is closed (${report.error.code}: ${report.error.message})`;
    return new StateError(`${method} was refused: ${why}.`, { cause: report?.error });
  }

  /** Delivers everything queued, unless a delivery is already running further up the stack. */
  flush(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      while (this.#head < this.#queue.length) {
        const next = this.#queue[this.#head] as QueuedEvent<M>;
        this.#queue[this.#head] = undefined;
        this.#head++;
        this.#insertAt = this.#head;
        this.#handlers.emit(next.event, ...([next.payload] as RegistryMap<M>[keyof M]));
      }
    } finally {
      this.#queue = [];
      this.#head = 0;
      this.#delivering = false;
    }
  }

  /** Queues then delivers (the usual way to emit from an event source). */
  emit<E extends keyof M>(event: E, payload: M[E]): void {
    this.push(event, payload);
    this.flush();
  }

  #alreadyReported(error: EarshotError): boolean {
    let current: unknown = error;
    for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
      if (this.#reported.has(current)) return true;
      current = current instanceof Error ? current.cause : undefined;
    }
    this.#reported.add(error);
    return false;
  }

  #handlerThrew(event: keyof M, thrown: unknown): void {
    const error = new CallbackError(String(event), { cause: thrown });
    if (event === "error" || event === "close" || this.#delivering === false) {
      warnLater(error);
      return;
    }
    // Reported as the very next event, ahead of anything already queued (several handlers of
    // one event that throw: in the order they threw).
    this.#reported.add(error);
    this.#queue.splice(this.#insertAt++, 0, { event: "error", payload: error } as QueuedEvent<M>);
  }
}
