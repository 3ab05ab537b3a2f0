/**
 * The Flux turn state machine (docs/protocol.md §8.6), kept for the user: feed it every message of
 * one connection and it knows the current turn (index, transcript so far, words, state), hands
 * back each finished turn, reports `sequence_id` gaps, and reports every broken rule as a typed
 * warning. It never throws on what a server sends: a server that breaks a rule is reported,
 * and the tracker follows what the server said.
 */
import type { FluxServerMessage, FluxTurnInfoMessage, FluxTurnTrigger, FluxWord } from "./message-types.ts";

/** Where the current turn is: idle → speaking (StartOfTurn) → awaiting-end (EagerEndOfTurn) → idle (EndOfTurn). */
export type FluxTurnState = "idle" | "speaking" | "awaiting-end";

/** One finished turn (an EndOfTurn), or the open turn handed over at close (`trigger: "unfinalised"`). */
export interface FluxTurn {
  turnIndex: number;
  /** The turn's transcript, punctuated and cased. */
  transcript: string;
  words: FluxWord[];
  /** `audio_window_start` of the EndOfTurn: seconds from the stream's start. */
  start: number;
  /** `audio_window_end` of the EndOfTurn. */
  end: number;
  /** Why it ended; `undefined` from servers older than `trigger`; `"unfinalised"` when the stream closed mid-turn. */
  trigger: FluxTurnTrigger | "unfinalised" | (string & {}) | undefined;
  endOfTurnConfidence: number;
}

/** The turn in progress. */
export interface FluxCurrentTurn {
  turnIndex: number;
  state: FluxTurnState;
  transcript: string;
  words: FluxWord[];
  /** The transcript of the pending EagerEndOfTurn, while `state` is `"awaiting-end"`. */
  eagerTranscript: string | undefined;
}

/**
 * The rules checked: 1–6 are §8.6's numbered rules; `"start-transcript"` is "every StartOfTurn
 * has a non-empty transcript"; `"order"` is an event the state machine does not allow there.
 */
export type FluxRule = 1 | 2 | 3 | 4 | 5 | 6 | "start-transcript" | "order";

/** Something the server sent that breaks the protocol; reported, never thrown. */
export type FluxProtocolWarning =
  | { code: "SEQUENCE_GAP"; expected: number; received: number; message: string }
  | { code: "RULE_VIOLATION"; rule: FluxRule; event: string; turnIndex: number; message: string }
  | { code: "UNKNOWN_EVENT"; event: string; turnIndex: number; message: string };

/** What one message changed. */
export interface FluxObservation {
  /** Set when the message was an EndOfTurn. */
  turn?: FluxTurn;
  warnings: FluxProtocolWarning[];
}

/** How strict the tracker is. */
export interface FluxTurnTrackerOptions {
  /** The stream runs `flux-general-multi` (rule 6: every TurnInfo has `languages` and `languages_hinted`). @default false */
  multilingual?: boolean;
  /**
   * Rule 1 ("an Update about every 0.25 s of audio"): the most audio allowed between two
   * TurnInfos before a violation is reported. "About" is not a number; twice the cadence
   * tolerates a late step and still catches a server that stops reporting. @default 0.5
   */
  maxTurnInfoGapSeconds?: number;
}

/** Float seconds compared with a little slack (0.25 + 0.25 may print as 0.5000000001). */
const EPSILON = 1e-6;

/**
 * Tracks turns across the messages of one connection (a new connection needs a new tracker:
 * `turn_index`, `sequence_id` and audio time restart at 0).
 *
 * @example
 * ```ts
 * const tracker = new FluxTurnTracker();
 * session.on("message", (message) => {
 *   const { turn, warnings } = tracker.observe(message);
 *   for (const warning of warnings) console.warn(warning.message);
 *   if (turn) console.log(`turn ${turn.turnIndex}: ${turn.transcript} (${turn.trigger})`);
 * });
 * ```
 */
export class FluxTurnTracker {
  readonly #multilingual: boolean;
  readonly #maxGap: number;
  #nextSequence = 0;
  #state: FluxTurnState = "idle";
  #turnIndex = 0;
  #transcript = "";
  #words: FluxWord[] = [];
  #eagerTranscript: string | undefined;
  #previous: FluxTurnInfoMessage | undefined;

  constructor(options: FluxTurnTrackerOptions = {}) {
    this.#multilingual = options.multilingual ?? false;
    this.#maxGap = options.maxTurnInfoGapSeconds ?? 0.5;
  }

  /** The turn in progress (a copy). */
  get current(): FluxCurrentTurn {
    return {
      turnIndex: this.#turnIndex,
      state: this.#state,
      transcript: this.#transcript,
      words: [...this.#words],
      eagerTranscript: this.#eagerTranscript,
    };
  }

  /** Applies one message; returns the finished turn (on EndOfTurn) and any warnings. */
  observe(message: FluxServerMessage): FluxObservation {
    const warnings: FluxProtocolWarning[] = [];
    this.#checkSequence(message, warnings);
    if (message.type !== "TurnInfo") return { warnings };
    this.#checkTurnInfo(message, warnings);
    const turn = this.#apply(message, warnings);
    this.#previous = message;
    return turn === undefined ? { warnings } : { turn, warnings };
  }

  /** The open turn, handed over when the stream closed before its EndOfTurn; `undefined` when idle. */
  unfinalised(): FluxTurn | undefined {
    if (this.#state === "idle") return undefined;
    const previous = this.#previous;
    return {
      turnIndex: this.#turnIndex,
      transcript: this.#transcript,
      words: [...this.#words],
      start: previous?.audio_window_start ?? 0,
      end: previous?.audio_window_end ?? 0,
      trigger: "unfinalised",
      endOfTurnConfidence: previous?.end_of_turn_confidence ?? 0,
    };
  }

  /**
   * The connection was replaced (a reconnect): the turn it cut, if any, is handed back and the
   * state returns to idle, since the new connection transcribes that turn's audio again from its
   * start (StartOfTurn included). The turn index and the sequence stay (the stream re-bases
   * both onto one timeline); the audio cadence check starts afresh.
   */
  connectionReplaced(): FluxTurn | undefined {
    const cut = this.unfinalised();
    this.#state = "idle";
    this.#transcript = "";
    this.#words = [];
    this.#eagerTranscript = undefined;
    this.#previous = undefined;
    return cut;
  }

  #checkSequence(message: FluxServerMessage, warnings: FluxProtocolWarning[]): void {
    const data = message.type === "Unhandled" ? message.data : message;
    const received = (data as { sequence_id?: unknown } | undefined)?.sequence_id;
    if (typeof received !== "number") return;
    if (received !== this.#nextSequence) {
      const expected = this.#nextSequence;
      const what =
        received > expected ? `${received - expected} message(s) missing` : "a number repeated or reordered";
      warnings.push({
        code: "SEQUENCE_GAP",
        expected,
        received,
        message: `sequence_id ${received} arrived where ${expected} was due (${what}).`,
      });
    }
    this.#nextSequence = received + 1;
  }

  #checkTurnInfo(message: FluxTurnInfoMessage, warnings: FluxProtocolWarning[]): void {
    const violation = (rule: FluxRule, text: string): void => {
      warnings.push({
        code: "RULE_VIOLATION",
        rule,
        event: message.event,
        turnIndex: message.turn_index,
        message: text,
      });
    };
    const previous = this.#previous;
    if (previous !== undefined) {
      const step = message.audio_window_end - previous.audio_window_end;
      if (step > this.#maxGap + EPSILON) {
        violation(1, `no TurnInfo for ${step.toFixed(2)} s of audio (one is due about every 0.25 s).`);
      }
    }
    // Rule 5: the index moves by exactly one, right after EndOfTurn, and at no other time.
    const expectedIndex = this.#turnIndex;
    if (message.turn_index !== expectedIndex) {
      const after =
        previous?.event === "EndOfTurn" ? "right after EndOfTurn" : "without an EndOfTurn before it";
      violation(5, `turn_index ${message.turn_index} arrived ${after}; ${expectedIndex} was due.`);
    }
    if (this.#multilingual && (message.languages === undefined || message.languages_hinted === undefined)) {
      violation(6, "a flux-general-multi TurnInfo lacks languages or languages_hinted.");
    }
    if (
      this.#state === "awaiting-end" &&
      message.event === "Update" &&
      message.transcript !== this.#eagerTranscript
    ) {
      violation(4, "the transcript changed after EagerEndOfTurn without a TurnResumed first.");
    }
  }

  #apply(message: FluxTurnInfoMessage, warnings: FluxProtocolWarning[]): FluxTurn | undefined {
    const violation = (rule: FluxRule, text: string): void => {
      warnings.push({
        code: "RULE_VIOLATION",
        rule,
        event: message.event,
        turnIndex: message.turn_index,
        message: text,
      });
    };
    const state = this.#state;
    // The server's index is followed (after a reported violation too), so later turns line up.
    this.#turnIndex = message.turn_index;
    switch (message.event) {
      case "StartOfTurn":
        if (state !== "idle") violation("order", `StartOfTurn while the turn is ${state}.`);
        if (message.transcript.trim() === "")
          violation("start-transcript", "StartOfTurn with an empty transcript.");
        this.#state = "speaking";
        break;
      case "EagerEndOfTurn":
        if (state !== "speaking") violation("order", `EagerEndOfTurn while the turn is ${state}.`);
        if (message.transcript.trim() === "") violation(2, "EagerEndOfTurn with an empty transcript.");
        this.#state = "awaiting-end";
        this.#eagerTranscript = message.transcript;
        break;
      case "TurnResumed":
        if (state !== "awaiting-end")
          violation(3, `TurnResumed while the turn is ${state}, not after EagerEndOfTurn.`);
        this.#state = "speaking";
        this.#eagerTranscript = undefined;
        break;
      case "EndOfTurn":
        return this.#endTurn(message, state, violation);
      case "Update":
        break;
      default:
        warnings.push({
          code: "UNKNOWN_EVENT",
          event: message.event,
          turnIndex: message.turn_index,
          message: `TurnInfo event "${message.event}" is unknown to this version; its transcript is kept.`,
        });
    }
    if (this.#state !== "idle") {
      this.#transcript = message.transcript;
      this.#words = [...message.words];
    }
    return undefined;
  }

  #endTurn(
    message: FluxTurnInfoMessage,
    state: FluxTurnState,
    violation: (rule: FluxRule, text: string) => void,
  ): FluxTurn {
    if (state === "idle") violation("order", "EndOfTurn without a turn (no StartOfTurn before it).");
    // A ForceEndTurn supersedes a pending eager event with what is decoded so far (§8.6), so
    // rule 4 binds the model's and the timeout's EndOfTurn only.
    if (
      state === "awaiting-end" &&
      message.trigger !== "manual" &&
      message.transcript !== this.#eagerTranscript
    ) {
      violation(4, "EndOfTurn's transcript differs from the EagerEndOfTurn before it.");
    }
    this.#state = "idle";
    this.#eagerTranscript = undefined;
    this.#transcript = "";
    this.#words = [];
    this.#turnIndex = message.turn_index + 1;
    return {
      turnIndex: message.turn_index,
      transcript: message.transcript,
      words: [...message.words],
      start: message.audio_window_start,
      end: message.audio_window_end,
      trigger: message.trigger,
      endOfTurnConfidence: message.end_of_turn_confidence,
    };
  }
}
