/**
 * The part of a client both faces share word for word: `on`/`once`/`off` over the client's
 * `EventPipeline`, and the close report. A face extends it and adds its calling convention.
 */
import { nearestName } from "../options/known-options.ts";
import type { CloseReport } from "../session/close-report.ts";
import { EventPipeline, type PipelineEvents, type PipelineHandler } from "./event-pipeline.ts";

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/**
 * A client whose events go through one {@link EventPipeline}.
 *
 * @example
 * ```ts
 * class MyFace extends PipelineClient<LiveTranscriptionEventMap> {
 *   constructor() { super(Object.values(LiveTranscriptionEvents)); }
 * }
 * new MyFace().on("Results", (result) => console.log(result.is_final));
 * ```
 */
export abstract class PipelineClient<M extends PipelineEvents> {
  /** The stream's events, delivered in order, never re-entering a handler. */
  protected readonly events: EventPipeline<M> = new EventPipeline<M>();
  readonly #eventNames: readonly string[];

  /** @param eventNames - Every event this client emits: a handler for any other name could never run. */
  protected constructor(eventNames: readonly (keyof M & string)[]) {
    this.#eventNames = eventNames;
  }

  /** How the stream ended, once `Close` was emitted. */
  get closeReport(): CloseReport | undefined {
    return this.events.closeReport;
  }

  /**
   * Adds a handler for `event`. Handlers run one at a time, in event order; one that throws is
   * reported as the next `Error` event (`CallbackError`) and the stream goes on.
   *
   * @throws TypeError when `event` is not one of this client's events (naming the nearest) or
   *   `handler` is not a function: such a handler could never run.
   */
  on<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): this {
    this.#check("on", event, handler);
    this.events.on(event, handler);
    return this;
  }

  /** Adds a handler for the next `event` only. @throws TypeError as {@link PipelineClient.on} does. */
  once<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): this {
    this.#check("once", event, handler);
    this.events.once(event, handler);
    return this;
  }

  /** Removes a handler added with `on` or `once`. @throws TypeError as {@link PipelineClient.on} does. */
  off<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): this {
    this.#check("off", event, handler);
    this.events.off(event, handler);
    return this;
  }

  #check(method: string, event: unknown, handler: unknown): void {
    if (typeof event !== "string" || !this.#eventNames.includes(event)) {
      const nearest = typeof event === "string" ? nearestName(event, this.#eventNames) : undefined;
      const hint = nearest === undefined ? "" : ` Did you mean "${nearest}"?`;
      throw new TypeError(
        `${method}(): ${describeValue(event)} is not an event of this client.${hint} Its events: ${this.#eventNames.join(", ")} (LiveTranscriptionEvents has them by name).`,
      );
    }
    if (typeof handler !== "function") {
      throw new TypeError(
        `${method}("${event}", handler): the handler must be a function, not ${describeValue(handler)}.`,
      );
    }
  }
}
