/**
 * The events both Flux clients (`AsyncFluxClient`, `FluxClient`) deliver: one definition, so the
 * two faces cannot drift apart. Each TurnInfo arrives on the event named by its `event`; every
 * EndOfTurn also arrives as one finished {@link FluxTurn} on `turn`.
 */
import type { EarshotError } from "../errors.ts";
import type { UnhandledMessage } from "../messages/types.ts";
import type { ReconnectedInfo, ReconnectingInfo } from "../reconnect/types.ts";
import type { CloseReport } from "../session/close-report.ts";
import type {
  FluxConfigureFailureMessage,
  FluxConfigureSuccessMessage,
  FluxConnectedMessage,
  FluxErrorMessage,
  FluxTurnInfoMessage,
  FluxWarningMessage,
} from "./message-types.ts";
import type { FluxProtocolWarning, FluxTurn } from "./turn-tracker.ts";

/**
 * Flux event names. The message events carry the server's message as received (on the stream's
 * one timeline when reconnecting); `turn`, `protocolWarning` and the connection events are the
 * client's own.
 *
 * @example
 * ```ts
 * client.on(FluxEvents.EagerEndOfTurn, (info) => draftReply(info.transcript));
 * client.on(FluxEvents.TurnResumed, () => dropDraft());
 * client.on(FluxEvents.Turn, (turn) => commitReply(turn.transcript));
 * ```
 */
export const FluxEvents = {
  /** The socket is open (payload: `{ requestId }`); once per stream. */
  Open: "open",
  /** The stream is over: exactly once, always the last event (payload: core's `CloseReport`). */
  Close: "close",
  /** A typed `EarshotError` (a fatal server `Error` arrives as `FluxServerError`), before `Close` or from a callback. */
  Error: "error",
  /** The server's greeting (first connection only). */
  Connected: "Connected",
  /** A turn began: the first words were heard (the signal to stop a speaking agent). */
  StartOfTurn: "StartOfTurn",
  /** About every 0.25 s of audio: the turn's transcript so far (empty between turns). */
  Update: "Update",
  /** The turn has probably ended (needs `eager_eot_threshold`): start drafting a reply. */
  EagerEndOfTurn: "EagerEndOfTurn",
  /** The speaker went on after an EagerEndOfTurn: drop the draft. */
  TurnResumed: "TurnResumed",
  /** The turn ended (`trigger`: model, manual or timeout). */
  EndOfTurn: "EndOfTurn",
  /** Each finished turn as `{ turnIndex, transcript, words, start, end, trigger }`; at close, an open turn with trigger `"unfinalised"`. */
  Turn: "turn",
  /** A Configure took effect; the settings now in force. */
  ConfigureSuccess: "ConfigureSuccess",
  /** A Configure was refused; the previous settings stay. */
  ConfigureFailure: "ConfigureFailure",
  /** The server's non-fatal `Warning` (e.g. `FORCE_END_TURN_NO_ACTIVE_TURN`). */
  Warning: "Warning",
  /** Any other message: a type or TurnInfo event newer than this package (raw text kept), or the server's fatal `Error`. */
  Unhandled: "Unhandled",
  /** The server broke §8.6's turn rules or skipped a `sequence_id`: reported, never thrown. */
  ProtocolWarning: "protocolWarning",
  /** With `reconnect`: a connection dropped and another attempt follows. */
  Reconnecting: "reconnecting",
  /** With `reconnect`: a new connection took over (the cut turn, if any, is transcribed again). */
  Reconnected: "reconnected",
} as const;

/** One of the event name strings of {@link FluxEvents}. */
export type FluxEvent = (typeof FluxEvents)[keyof typeof FluxEvents];

/** The `Reconnected` payload of a Flux stream. */
export interface FluxReconnectedInfo extends ReconnectedInfo {
  /**
   * The turn the drop cut short, as far as it had been heard (trigger `"unfinalised"`): the new
   * connection transcribes its audio again from the turn's start, StartOfTurn included, and it
   * ends with one EndOfTurn. `undefined` when no turn was open.
   */
  readonly restartedTurn: FluxTurn | undefined;
}

/** The payload each Flux event's handler receives. */
export interface FluxEventMap {
  open: { readonly requestId: string | undefined };
  close: CloseReport;
  error: EarshotError;
  Connected: FluxConnectedMessage;
  StartOfTurn: FluxTurnInfoMessage;
  Update: FluxTurnInfoMessage;
  EagerEndOfTurn: FluxTurnInfoMessage;
  TurnResumed: FluxTurnInfoMessage;
  EndOfTurn: FluxTurnInfoMessage;
  turn: FluxTurn;
  ConfigureSuccess: FluxConfigureSuccessMessage;
  ConfigureFailure: FluxConfigureFailureMessage;
  Warning: FluxWarningMessage;
  Unhandled: UnhandledMessage | FluxErrorMessage | FluxTurnInfoMessage;
  protocolWarning: FluxProtocolWarning;
  reconnecting: ReconnectingInfo;
  reconnected: FluxReconnectedInfo;
}

/** A handler for Flux event `E`, typed by its payload. */
export type FluxHandler<E extends FluxEvent> = (payload: FluxEventMap[E]) => void;
