/**
 * A Flux stream's one timeline across reconnects (docs/protocol.md §8.9: every new connection
 * starts its turn index, `sequence_id` and audio time again from 0). The replay starts where
 * the last EndOfTurn ended, so a new connection's turn 0 is the stream's next turn, its audio
 * time 0 is that point, and a turn a drop cut short is heard and transcribed again from its
 * start: it ends once, never twice.
 *
 * A replacement connection also gets the settings the last `ConfigureSuccess` put in force
 * (its query has only the original ones), sent before the replayed audio; its greeting
 * (`Connected`) and the answer to that Configure are the stream's own business and left out,
 * and the sequence numbers are shifted so the stream's `sequence_id` runs on without a gap.
 *
 * Requests a dropped connection left unanswered (Configure, ForceEndTurn) are sent again on the
 * replacement, each at its place in the replayed audio, and their answers there are the ones
 * the client waits for: a Configure takes effect behind the same audio as the first time, and
 * a ForceEndTurn ends the turn it was sent to end. Sending a ForceEndTurn after the whole replay
 * instead would end the turn behind audio sent after the request (a live microphone keeps
 * sending while it waits), or find that turn already ended by the model and get the Warning.
 */
import type { Clock } from "../clock.ts";
import type { ResolvedClientOptions } from "../options.ts";
import type { ReplayedControl } from "../reconnect/replay-plan.ts";
import type { StreamProtocol } from "../reconnect/types.ts";
import { LiveSession } from "../session.ts";
import { fluxWire } from "./flux-wire.ts";
import { FORCE_END_TURN_FRAME } from "./frames.ts";
import type { FluxConfigureSuccessMessage, FluxServerMessage, FluxTurnInfoMessage } from "./message-types.ts";
import type { FluxOptions } from "./options.ts";

/** The Flux {@link StreamProtocol}: one per stream (it holds the stream's counters). */
export class FluxTimeline implements StreamProtocol<FluxServerMessage> {
  readonly #wire: ReturnType<typeof fluxWire>;
  #audioOffset = 0;
  #turnOffset = 0;
  /** Added to a connection's `sequence_id`s; decreases by one per message left out. */
  #sequenceShift = 0;
  #replacement = false;
  /** The replacement's re-sent Configure is still unanswered: its answer is left out. */
  #replayedConfigurePending = false;
  /** EndOfTurns delivered on the stream so far: the next connection's turn 0 is this turn. */
  #endedTurns = 0;
  #lastSequence = -1;
  #inForce: FluxConfigureSuccessMessage | undefined;
  /** Requests sent and not answered yet, oldest first (answers come in order). */
  readonly #unanswered: Array<ReplayedControl & { readonly kind: "configure" | "forceEndTurn" }> = [];

  constructor(options: FluxOptions) {
    this.#wire = fluxWire(options);
  }

  connection(
    client: ResolvedClientOptions,
    clock: Clock,
    start: { readonly offsetSeconds: number; readonly replacement: boolean },
  ): LiveSession<FluxServerMessage> {
    const session = new LiveSession<FluxServerMessage>({ wire: this.#wire, client, clock });
    this.#audioOffset = start.offsetSeconds;
    this.#turnOffset = this.#endedTurns;
    this.#replacement = start.replacement;
    // Connected (sequence 0) is left out on a replacement: its next message continues the stream.
    this.#sequenceShift = start.replacement ? this.#lastSequence : 0;
    this.#replayedConfigurePending = false;
    const inForce = this.#inForce;
    if (start.replacement && inForce !== undefined) {
      session.sendControl(configureAgain(inForce));
      this.#replayedConfigurePending = true;
    }
    return session;
  }

  rebase(message: FluxServerMessage): FluxServerMessage | undefined {
    if (this.#replacement && message.type === "Connected") return undefined;
    if (
      this.#replayedConfigurePending &&
      (message.type === "ConfigureSuccess" || message.type === "ConfigureFailure")
    ) {
      this.#replayedConfigurePending = false;
      this.#sequenceShift--;
      return undefined;
    }
    const rebased = this.#shift(message);
    const sequence = sequenceOf(rebased);
    if (sequence !== undefined) this.#lastSequence = sequence;
    if (rebased.type === "ConfigureSuccess") this.#inForce = rebased;
    this.#answered(rebased);
    if (rebased.type === "TurnInfo" && rebased.event === "EndOfTurn")
      this.#endedTurns = rebased.turn_index + 1;
    return rebased;
  }

  controlSent(frame: string, atByte: number): void {
    if (frame === FORCE_END_TURN_FRAME) this.#unanswered.push({ kind: "forceEndTurn", frame, atByte });
    else if (frame.startsWith('{"type":"Configure"'))
      this.#unanswered.push({ kind: "configure", frame, atByte });
  }

  unansweredControls(): readonly ReplayedControl[] {
    return this.#unanswered.map(({ frame, atByte }) => ({ frame, atByte }));
  }

  acknowledges(message: FluxServerMessage): number | undefined {
    // Everything up to a finished turn's end is transcribed for good; what follows belongs to
    // the next turn and is replayed after a drop.
    return message.type === "TurnInfo" && message.event === "EndOfTurn"
      ? message.audio_window_end
      : undefined;
  }

  /** The oldest request `message` answers is answered (matched as `FluxRequests` matches them). */
  #answered(message: FluxServerMessage): void {
    let kind: "configure" | "forceEndTurn" | undefined;
    if (message.type === "ConfigureSuccess" || message.type === "ConfigureFailure") kind = "configure";
    else if (message.type === "Warning" && message.code === "FORCE_END_TURN_NO_ACTIVE_TURN")
      kind = "forceEndTurn";
    else if (
      message.type === "TurnInfo" &&
      message.event === "EndOfTurn" &&
      (message.trigger === "manual" || message.trigger === undefined)
    )
      kind = "forceEndTurn";
    const index = this.#unanswered.findIndex((request) => request.kind === kind);
    if (index >= 0) this.#unanswered.splice(index, 1);
  }

  #shift(message: FluxServerMessage): FluxServerMessage {
    const shift = this.#sequenceShift;
    if (message.type === "TurnInfo") return this.#shiftTurn(message, shift);
    if (shift === 0) return message;
    if (message.type === "Unhandled") {
      const data = message.data as { sequence_id?: unknown } | undefined;
      if (typeof data?.sequence_id !== "number") return message;
      return { ...message, data: { ...data, sequence_id: data.sequence_id + shift } };
    }
    return message.sequence_id === undefined
      ? message
      : { ...message, sequence_id: message.sequence_id + shift };
  }

  #shiftTurn(message: FluxTurnInfoMessage, shift: number): FluxTurnInfoMessage {
    const audio = this.#audioOffset;
    const turns = this.#turnOffset;
    if (audio === 0 && turns === 0 && shift === 0) return message;
    const at = (seconds: number) => round(seconds + audio);
    return {
      ...message,
      ...(message.sequence_id === undefined ? {} : { sequence_id: message.sequence_id + shift }),
      turn_index: message.turn_index + turns,
      audio_window_start: at(message.audio_window_start),
      audio_window_end: at(message.audio_window_end),
      words: message.words.map((word) => ({
        ...word,
        ...(word.start === undefined ? {} : { start: at(word.start) }),
        ...(word.end === undefined ? {} : { end: at(word.end) }),
      })),
    };
  }
}

function sequenceOf(message: FluxServerMessage): number | undefined {
  const value =
    message.type === "Unhandled"
      ? (message.data as { sequence_id?: unknown } | undefined)?.sequence_id
      : message.sequence_id;
  return typeof value === "number" ? value : undefined;
}

/** Seconds to the microsecond: float sums (12.3 + 0.25) must not print as 12.549999999. */
function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** A Configure restoring what a ConfigureSuccess reported in force (every value it listed). */
function configureAgain(inForce: FluxConfigureSuccessMessage): string {
  return JSON.stringify({
    type: "Configure",
    thresholds: inForce.thresholds,
    keyterms: inForce.keyterms,
    ...(inForce.language_hints === undefined ? {} : { language_hints: inForce.language_hints }),
  });
}
