/**
 * The answers to a Flux client's requests (docs/protocol.md §8.6, §8.7): each Configure is
 * answered by exactly one ConfigureSuccess or ConfigureFailure, in order; a ForceEndTurn by the
 * EndOfTurn it causes (trigger `manual`) or by the Warning `FORCE_END_TURN_NO_ACTIVE_TURN`.
 * Answers are matched first in, first out. A request whose wait timed out keeps its place, so
 * its late answer is taken by it and never by the next request. A drop fails nothing: with
 * reconnect, the stream sends the unanswered requests again on the new connection
 * (`FluxTimeline`), whose answers settle them; they fail only when the stream ends.
 */
import { ConfigureRejectedError, type EarshotError, StateError, TimeoutError } from "../errors.ts";
import type { CloseReport } from "../session/close-report.ts";
import { type FluxConfigure, fluxConfigureFrame } from "./frames.ts";
import type { FluxConfigureSuccessMessage, FluxServerMessage, FluxThresholds } from "./message-types.ts";
import type { FluxOptions } from "./options.ts";
import type { FluxTurn } from "./turn-tracker.ts";

/** Default of `replyTimeoutMs`: how long a Flux client waits for the answer to a request. */
export const DEFAULT_REPLY_TIMEOUT_MS = 10_000;

/** Where a request is: waiting, answered, or failed (refused, timed out, or the stream ended). */
export type ReplyState<T> =
  | { readonly status: "pending" }
  | { readonly status: "resolved"; readonly value: T }
  | { readonly status: "rejected"; readonly error: EarshotError };

/**
 * One request waiting for the server's answer. The async face turns it into a promise
 * ({@link PendingReply.onSettled}); the threaded face blocks until {@link PendingReply.state}
 * is no longer pending, taking events meanwhile.
 */
export class PendingReply<T> {
  #state: ReplyState<T> = { status: "pending" };
  #listeners: Array<(state: ReplyState<T>) => void> = [];

  get state(): ReplyState<T> {
    return this.#state;
  }

  /** Calls `listener` once settled (at once if it already is). */
  onSettled(listener: (state: ReplyState<T>) => void): void {
    if (this.#state.status === "pending") this.#listeners.push(listener);
    else listener(this.#state);
  }

  /** Gives up waiting: rejected with `TimeoutError` (`ERR_REPLY_TIMEOUT`); a late answer is ignored. */
  timeOut(timeoutMs: number): void {
    this.settle({ status: "rejected", error: new TimeoutError("ERR_REPLY_TIMEOUT", timeoutMs) });
  }

  /** @internal */
  settle(state: Exclude<ReplyState<T>, { status: "pending" }>): void {
    if (this.#state.status !== "pending") return;
    this.#state = state;
    for (const listener of this.#listeners.splice(0)) listener(state);
  }
}

/** Matches the server's answers to one stream's requests. */
export class FluxRequests {
  readonly #configures: PendingReply<FluxConfigureSuccessMessage>[] = [];
  readonly #forceEnds: PendingReply<FluxTurn | undefined>[] = [];
  #thresholds: FluxThresholds;
  readonly #secrets: readonly (string | undefined)[];

  /** @param secrets credentials an error built from a server's text must never show. */
  constructor(options: FluxOptions, secrets: readonly (string | undefined)[] = []) {
    this.#secrets = secrets;
    this.#thresholds = {
      ...(options.eager_eot_threshold === undefined
        ? {}
        : { eager_eot_threshold: options.eager_eot_threshold }),
      ...(options.eot_threshold === undefined ? {} : { eot_threshold: options.eot_threshold }),
      ...(options.eot_timeout_ms === undefined ? {} : { eot_timeout_ms: options.eot_timeout_ms }),
    };
  }

  /** The thresholds in force as far as the client knows (the query's, then each ConfigureSuccess's). */
  get thresholds(): FluxThresholds {
    return { ...this.#thresholds };
  }

  /** Requests still waiting for an answer (timed-out ones included until their answer comes). */
  get waiting(): number {
    return this.#configures.length + this.#forceEnds.length;
  }

  /**
   * The Configure frame for `change`, checked against the thresholds in force.
   * @throws OptionsError listing every problem (nothing is sent then).
   */
  configureFrame(change: FluxConfigure): string {
    return fluxConfigureFrame(change, this.#thresholds);
  }

  /** A Configure was sent: its answer, in order. */
  expectConfigure(): PendingReply<FluxConfigureSuccessMessage> {
    const reply = new PendingReply<FluxConfigureSuccessMessage>();
    this.#configures.push(reply);
    return reply;
  }

  /** A ForceEndTurn was sent: the turn it ended, or `undefined` when no turn was open. */
  expectForceEndTurn(): PendingReply<FluxTurn | undefined> {
    const reply = new PendingReply<FluxTurn | undefined>();
    this.#forceEnds.push(reply);
    return reply;
  }

  /** Reads one message (after the turn tracker: `turn` is what an EndOfTurn finished). */
  observe(message: FluxServerMessage, turn: FluxTurn | undefined): void {
    switch (message.type) {
      case "ConfigureSuccess":
        for (const [key, value] of Object.entries(message.thresholds)) {
          if (typeof value === "number") this.#thresholds[key as keyof FluxThresholds] = value;
        }
        this.#configures.shift()?.settle({ status: "resolved", value: message });
        return;
      case "ConfigureFailure":
        this.#configures.shift()?.settle({
          status: "rejected",
          error: new ConfigureRejectedError({
            serverCode: message.code ?? message.error_code,
            description: message.description,
            requestId: message.request_id,
            secrets: this.#secrets,
          }),
        });
        return;
      case "Warning":
        if (message.code === "FORCE_END_TURN_NO_ACTIVE_TURN")
          this.#forceEnds.shift()?.settle({ status: "resolved", value: undefined });
        return;
      case "TurnInfo":
        // Only a manual end answers ForceEndTurn: the model's EndOfTurn may come first, and the
        // request then ends the next turn or gets the Warning. Servers older than `trigger` send none.
        if (turn !== undefined && (turn.trigger === "manual" || turn.trigger === undefined))
          this.#forceEnds.shift()?.settle({ status: "resolved", value: turn });
        return;
      default:
        return;
    }
  }

  /** The stream ended: every request still waiting fails with a `StateError` whose `cause` ended it. */
  closed(report: CloseReport): void {
    const error = (what: string): EarshotError =>
      new StateError(`The stream closed before the server answered the ${what}.`, { cause: report.error });
    for (const reply of this.#configures.splice(0))
      reply.settle({ status: "rejected", error: error("Configure") });
    for (const reply of this.#forceEnds.splice(0))
      reply.settle({ status: "rejected", error: error("ForceEndTurn") });
  }
}
