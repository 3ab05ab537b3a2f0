/**
 * A Flux stream's events as a client delivers them (both faces, on the application's thread):
 * every message through the turn tracker (§8.6's rules checked on each, violations and
 * `sequence_id` gaps as `protocolWarning`), the answers matched to the requests waiting for
 * them, then the message on its event, each EndOfTurn also as a finished turn on `turn`, and at
 * close the turn still open handed over as `"unfinalised"`.
 */
import type { EventPipeline } from "../pipeline/event-pipeline.ts";
import type { StreamEventSink } from "../pipeline/session-events.ts";
import type { ReconnectedInfo, ReconnectingInfo } from "../reconnect/types.ts";
import type { CloseReport } from "../session/close-report.ts";
import type { FluxEventMap } from "./flux-events.ts";
import { FluxRequests } from "./flux-requests.ts";
import type { FluxServerMessage } from "./message-types.ts";
import type { FluxOptions } from "./options.ts";
import { type FluxTurn, FluxTurnTracker } from "./turn-tracker.ts";

const TURN_EVENTS = new Set(["StartOfTurn", "Update", "EagerEndOfTurn", "TurnResumed", "EndOfTurn"]);

/** What a face adds around the delivery (the async face feeds its iterators). */
export interface FluxDeliveryHooks {
  /** Credentials no error built from the server's text may show (a ConfigureFailure's description). */
  readonly secrets?: readonly (string | undefined)[];
  /** Every message, as it is queued. */
  message?(message: FluxServerMessage): void;
  /** Every turn queued on `turn`. */
  turn?(turn: FluxTurn): void;
  /** The stream is over (before `Close` is queued). */
  closing?(report: CloseReport): void;
}

/**
 * The {@link StreamEventSink} of a Flux stream.
 *
 * @example
 * ```ts
 * const delivery = new FluxDelivery(pipeline, options);
 * deliverStreamEvents(stream, delivery, pipeline);
 * ```
 */
export class FluxDelivery implements StreamEventSink<FluxServerMessage> {
  /** The stream's turn state (the current turn, rule checks). */
  readonly tracker: FluxTurnTracker;
  /** Requests waiting for the server's answer. */
  readonly requests: FluxRequests;
  readonly #pipeline: EventPipeline<FluxEventMap>;
  readonly #hooks: FluxDeliveryHooks;

  constructor(pipeline: EventPipeline<FluxEventMap>, options: FluxOptions, hooks: FluxDeliveryHooks = {}) {
    this.#pipeline = pipeline;
    this.#hooks = hooks;
    this.tracker = new FluxTurnTracker({ multilingual: options.model === "flux-general-multi" });
    this.requests = new FluxRequests(options, hooks.secrets);
  }

  open(info: { readonly requestId: string | undefined }): void {
    this.#pipeline.push("open", info);
  }

  message(message: FluxServerMessage): void {
    this.#hooks.message?.(message);
    const { turn, warnings } = this.tracker.observe(message);
    this.requests.observe(message, turn);
    this.#pushMessage(message);
    if (turn !== undefined) this.#pushTurn(turn);
    for (const warning of warnings) this.#pipeline.push("protocolWarning", warning);
  }

  reconnecting(info: ReconnectingInfo): void {
    // Requests waiting stay waiting: the new connection is sent them again and answers them.
    this.#pipeline.push("reconnecting", info);
  }

  reconnected(info: ReconnectedInfo): void {
    this.#pipeline.push("reconnected", { ...info, restartedTurn: this.tracker.connectionReplaced() });
  }

  close(report: CloseReport): void {
    if (this.#pipeline.closed) return;
    const open = this.tracker.unfinalised();
    if (open !== undefined) this.#pushTurn(open);
    this.requests.closed(report);
    this.#hooks.closing?.(report);
    this.#pipeline.close(report);
  }

  #pushTurn(turn: FluxTurn): void {
    this.#hooks.turn?.(turn);
    this.#pipeline.push("turn", turn);
  }

  #pushMessage(message: FluxServerMessage): void {
    switch (message.type) {
      case "TurnInfo":
        if (TURN_EVENTS.has(message.event)) {
          this.#pipeline.push(message.event as "Update", message);
          return;
        }
        // An event newer than this package: passed on whole, its transcript kept by the tracker.
        this.#pipeline.push("Unhandled", message);
        return;
      case "Connected":
      case "ConfigureSuccess":
      case "ConfigureFailure":
      case "Warning":
        this.#pipeline.push(message.type, message as never);
        return;
      default:
        this.#pipeline.push("Unhandled", message);
    }
  }
}
