/**
 * One interface over both Flux clients, so a single list of scenarios runs against the async
 * `AsyncFluxClient` and the threaded `FluxClient`. An adapter records every event its client
 * delivers, in delivery order, and gives the methods one promise-shaped form: what the threaded
 * client returns or throws, the adapter resolves or rejects with.
 */
import type {
  ClientOptions,
  CloseReport,
  FluxConfigure,
  FluxConfigureSuccessMessage,
  FluxCurrentTurn,
  FluxEvent,
  FluxEventMap,
  FluxOptions,
  FluxTurn,
} from "@earshot/core";

/** One delivered Flux event and its payload. */
export type RecordedFluxEvent = {
  [E in FluxEvent]: { readonly event: E; readonly payload: FluxEventMap[E] };
}[FluxEvent];

/** Client options of both Flux clients. */
export interface FluxFaceOptions extends ClientOptions {
  readonly replyTimeoutMs?: number;
}

/** One Flux stream through one face. */
export interface FluxFace {
  /** Every event delivered so far, in delivery order. */
  readonly events: readonly RecordedFluxEvent[];
  readonly closeReport: CloseReport | undefined;
  readonly currentTurn: FluxCurrentTurn;
  /** Opens the stream; rejects with the typed error (after `Error` and `Close`) when it cannot. */
  start(options: FluxOptions, client: FluxFaceOptions): Promise<void>;
  /** Queues one chunk; rejects when the client refused it. */
  send(bytes: Uint8Array): Promise<void>;
  configure(change: FluxConfigure): Promise<FluxConfigureSuccessMessage>;
  forceEndTurn(): Promise<FluxTurn | undefined>;
  /** CloseStream; resolves once the server closed cleanly (rejects with the close error otherwise). */
  finish(): Promise<void>;
  abort(reason?: unknown): void;
}

/** A face by name: how to make a stream of it, and what to release after a test file. */
export interface FluxFaceKind {
  readonly name: "async" | "threaded";
  create(): FluxFace;
  cleanup(): Promise<void>;
}

/** The payloads of every `event` recorded. */
export function fluxPayloads<E extends FluxEvent>(
  events: readonly RecordedFluxEvent[],
  event: E,
): FluxEventMap[E][] {
  return events
    .filter((recorded) => recorded.event === event)
    .map((recorded) => recorded.payload as FluxEventMap[E]);
}

/** The event names recorded, in order, runs of `Update` collapsed into one. */
export function fluxShape(events: readonly RecordedFluxEvent[]): string[] {
  const names = events.map((recorded) => recorded.event);
  return names.filter((name, index) => !(name === "Update" && names[index - 1] === "Update"));
}

/** A finished turn as a line of text: what two faces must agree on. */
export function describeTurn(turn: FluxTurn): string {
  const words = turn.words.map((word) => `${word.word}@${word.start ?? "?"}-${word.end ?? "?"}`).join(" ");
  return `#${turn.turnIndex} ${turn.trigger} ${turn.start}-${turn.end} "${turn.transcript}" [${words}]`;
}

/**
 * One event as a line of text without what differs between two runs (request ids): with the
 * scripted engine, two faces must agree on every line.
 */
export function describeFluxEvent(recorded: RecordedFluxEvent): string {
  const { event, payload } = recorded;
  switch (event) {
    case "StartOfTurn":
    case "Update":
    case "EagerEndOfTurn":
    case "TurnResumed":
    case "EndOfTurn":
      return `${event} #${payload.turn_index} seq${payload.sequence_id} ${payload.audio_window_start}-${payload.audio_window_end} c=${payload.end_of_turn_confidence} "${payload.transcript}"${payload.trigger ? ` ${payload.trigger}` : ""}`;
    case "turn":
      return `turn ${describeTurn(payload)}`;
    case "ConfigureSuccess":
      return `ConfigureSuccess ${JSON.stringify(payload.thresholds)} ${payload.keyterms.join(",")}`;
    case "error":
      return `error ${payload.code} ${payload.dgCode ?? ""}`;
    case "close":
      return `close ${payload.code} ${payload.wasClean}`;
    case "protocolWarning":
      return `protocolWarning ${payload.message}`;
    case "reconnected":
      return `reconnected offset=${payload.offsetSeconds} restarted=${payload.restartedTurn?.turnIndex}`;
    case "reconnecting":
      return `reconnecting ${payload.error.code}`;
    default:
      return event;
  }
}
