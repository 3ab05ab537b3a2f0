/**
 * The one seam between the CLI and the two earshot clients. Everything else in the CLI (sources,
 * pacing, rendering, Ctrl-C) is the same whichever face runs the stream; each adapter file only
 * maps these few calls onto its client.
 */
import type { ClientOptions, LiveOptions, ServerMessage } from "@earshot/core";

/** What a face reports while the stream runs. */
export interface FaceEvents {
  /** Every server message, in order. */
  message(message: ServerMessage): void;
  /** A problem the client reported (the first fatal one also rejects start/send/finish). */
  error(error: unknown): void;
}

/** A live stream, as the CLI drives it. */
export interface Face {
  /** Connects; rejects with the client's typed error. */
  start(options: LiveOptions): Promise<void>;
  /** Queues one frame; resolves once the client can take more (backpressure). */
  send(chunk: Uint8Array): Promise<void>;
  /** Sends `Finalize`: the server flushes what it holds as a final with `from_finalize: true`. */
  finalize(): Promise<void>;
  /**
   * CloseStream behind all audio; resolves after the last finals and Metadata were delivered.
   * `timeoutMs` bounds the wait for the server (the client's finishTimeoutMs if unset); past
   * it, rejects with `TimeoutError`.
   */
  finish(timeoutMs?: number): Promise<void>;
  /**
   * Closes now, without waiting for finals (a second Ctrl-C). On the threaded face it takes
   * effect between calls: inside `finish()` the thread is blocked, so no handler runs until
   * it returns (bounded by its `timeoutMs`).
   */
  abort(): void;
}

/** Builds a face for one stream. */
export type FaceFactory = (client: ClientOptions, events: FaceEvents) => Face;
