/**
 * Small pieces both async clients (`AsyncLiveClient`, `AsyncFluxClient`) use the same way:
 * disposal, and the Flux client's request answers and iterator sizes.
 */
import {
  AbortedError,
  type FluxCurrentTurn,
  type FluxEventMap,
  type FluxOptions,
  type FluxServerMessage,
  type FluxTurn,
  systemClock,
} from "@earshot/core";
import { type EventPipeline, FluxDelivery, type PendingReply } from "@earshot/core/internal";
import type { MessageHub } from "./message-stream.ts";

/** What `await using` needs of a client. */
interface Disposable {
  readonly state: string;
  finish(): Promise<unknown>;
  abort(reason?: unknown): void;
}

/**
 * `await using`: finishes an open stream (bounded by `finishTimeoutMs`), else aborts. Never
 * throws: a failed finish was already reported through `Error` and `Close`, and the abort after
 * it is a no-op once closed.
 */
export async function disposeStream(client: Disposable): Promise<void> {
  const state = client.state;
  if (state === "open" || state === "closing") {
    try {
      await client.finish();
      return;
    } catch {
      // Reported already; fall through to the abort.
    }
  }
  client.abort(new AbortedError("The client was disposed."));
}

/** Settles with a request's answer from the server, or `ERR_REPLY_TIMEOUT` after `timeoutMs`. */
export function settleReply<T>(reply: PendingReply<T>, timeoutMs: number): Promise<T> {
  const timer = systemClock.setTimeout(() => reply.timeOut(timeoutMs), timeoutMs);
  return new Promise<T>((resolve, reject) =>
    reply.onSettled((state) => {
      systemClock.clearTimeout(timer);
      if (state.status === "resolved") resolve(state.value);
      else if (state.status === "rejected") reject(state.error);
    }),
  );
}

/** The turn before the first StartOfTurn. */
export const IDLE_TURN: FluxCurrentTurn = {
  turnIndex: 0,
  state: "idle",
  transcript: "",
  words: [],
  eagerTranscript: undefined,
};

/** The audio format of the query, for pacing a raw source. */
export function audioFormat(options: FluxOptions | undefined): {
  encoding?: FluxOptions["encoding"];
  sample_rate?: number;
} {
  return {
    ...(options?.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options?.sample_rate === undefined ? {} : { sample_rate: options.sample_rate }),
  };
}

/** About the bytes a turn holds, for the iterator bound. */
export function turnBytes(turn: FluxTurn): number {
  return 64 + turn.transcript.length + turn.words.length * 48;
}

/** The Flux client's delivery: core's `FluxDelivery`, feeding the turn iterator and ending both iterators at close. */
export function fluxDeliveryFor(
  events: EventPipeline<FluxEventMap>,
  options: FluxOptions,
  secrets: readonly (string | undefined)[],
  messages: MessageHub<FluxServerMessage>,
  turns: MessageHub<FluxTurn>,
): FluxDelivery {
  return new FluxDelivery(events, options, {
    secrets,
    turn: (turn) => turns.publish(turn, turnBytes(turn)),
    closing: (report) => {
      messages.end(report.error);
      turns.end(report.error);
    },
  });
}
