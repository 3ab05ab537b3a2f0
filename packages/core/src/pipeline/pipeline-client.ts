/**
 * The part of a client both faces share word for word: `on`/`once`/`off` over the client's
 * `EventPipeline`, and the close report. A face extends it and adds its calling convention.
 */
import type { CloseReport } from "../session/close-report.ts";
import { EventPipeline, type PipelineEvents, type PipelineHandler } from "./event-pipeline.ts";

/**
 * A client whose events go through one {@link EventPipeline}.
 *
 * @example
 * ```ts
 * class MyFace extends PipelineClient<LiveTranscriptionEventMap> {}
 * new MyFace().on("Results", (result) => console.log(result.is_final));
 * ```
 */
export abstract class PipelineClient<M extends PipelineEvents> {
  /** The stream's events, delivered in order, never re-entering a handler. */
  protected readonly events: EventPipeline<M> = new EventPipeline<M>();

  /** How the stream ended, once `Close` was emitted. */
  get closeReport(): CloseReport | undefined {
    return this.events.closeReport;
  }

  /**
   * Adds a handler for `event`. Handlers run one at a time, in event order; one that throws is
   * reported as the next `Error` event (`CallbackError`) and the stream goes on.
   */
  on<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): this {
    this.events.on(event, handler);
    return this;
  }

  /** Adds a handler for the next `event` only. */
  once<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): this {
    this.events.once(event, handler);
    return this;
  }

  /** Removes a handler added with `on` or `once`. */
  off<E extends keyof M>(event: E, handler: PipelineHandler<M, E>): this {
    this.events.off(event, handler);
    return this;
  }
}
