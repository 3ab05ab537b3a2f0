/**
 * The one ordered path from the session to the socket. Audio and control frames enter the same
 * FIFO, so a control frame (Finalize, CloseStream) can never overtake audio queued before it.
 *
 * Before the socket opens, frames wait here (bounded by `maxPendingBytes`). From the moment it
 * opens, they are flushed in order and every later frame is handed to the socket at once:
 * `ws.send()` is synchronous and writes frames in call order, so once the backlog is gone the
 * socket's own buffer is the queue. This measured faster than `p-queue` (concurrency 1), which
 * costs a promise and a microtask hop per frame for the same ordering (see
 * `packages/core/bench/send-order.mjs`).
 */
import { BufferOverflowError } from "../errors.ts";

/** Where frames go once the socket is open. */
export interface FrameSink {
  /** Writes one frame; `done` runs when it has left the process (or failed). */
  write(data: Uint8Array | string, done: (error?: Error) => void): void;
}

/** How a {@link SendQueue} is set up. */
export interface SendQueueInit {
  /** Bytes that may wait before the socket opens. */
  readonly maxPendingBytes: number;
  /** Called after each frame has been written by the sink, with the error (else undefined or null) if the write failed (drives backpressure checks). */
  readonly onWritten: (error?: Error | null) => void;
  /** Called when a frame goes to the sink (the keepalive scheduler counts it as activity). */
  readonly onFrameSent?: () => void;
}

const utf8 = new TextEncoder();

function byteLengthOf(data: Uint8Array | string): number {
  // Strings are the few small control frames; encoding one costs less than it matters.
  return typeof data === "string" ? utf8.encode(data).byteLength : data.byteLength;
}

/** An ordered, bounded FIFO of outgoing frames in front of one socket. */
export class SendQueue {
  readonly #maxPendingBytes: number;
  readonly #onWritten: (error?: Error | null) => void;
  readonly #onFrameSent: (() => void) | undefined;
  #frames: Array<Uint8Array | string> = [];
  #pendingBytes = 0;
  #sink: FrameSink | undefined;
  #closed = false;
  readonly #written = (error?: Error | null): void => this.#onWritten(error);

  constructor(init: SendQueueInit) {
    this.#maxPendingBytes = init.maxPendingBytes;
    this.#onWritten = init.onWritten;
    this.#onFrameSent = init.onFrameSent;
  }

  /** Bytes waiting for the socket to open. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Frames waiting for the socket to open. */
  get pendingFrames(): number {
    return this.#frames.length;
  }

  /**
   * Queues one frame behind every frame queued before it.
   *
   * @param bounded whether the frame counts against `maxPendingBytes` (audio does; the few
   *   bytes of a control frame must always get through, or a full buffer could not be finished).
   * @throws BufferOverflowError when the socket is not open yet and the frame would take the
   *   backlog over `maxPendingBytes`; nothing already accepted is dropped.
   */
  push(data: Uint8Array | string, bounded: boolean): void {
    if (this.#closed) return;
    if (this.#sink !== undefined) {
      this.#onFrameSent?.();
      this.#sink.write(data, this.#written);
      return;
    }
    const bytes = byteLengthOf(data);
    if (bounded && this.#pendingBytes + bytes > this.#maxPendingBytes) {
      throw new BufferOverflowError(
        this.#maxPendingBytes,
        `Sending ${bytes} more bytes before the connection opened would buffer more than maxPendingBytes (${this.#maxPendingBytes}); ${this.#pendingBytes} bytes are already waiting and none were dropped. Await connect() or drained() first, or raise maxPendingBytes.`,
      );
    }
    this.#frames.push(data);
    this.#pendingBytes += bytes;
  }

  /** The socket is open: flushes the backlog in order, then passes frames straight through. */
  attach(sink: FrameSink): void {
    if (this.#closed) return;
    const backlog = this.#frames;
    this.#frames = [];
    this.#pendingBytes = 0;
    this.#sink = sink;
    for (const data of backlog) {
      this.#onFrameSent?.();
      sink.write(data, this.#written);
    }
  }

  /** The socket is gone: drops the backlog (the close report says why) and ignores later pushes. */
  close(): void {
    this.#closed = true;
    this.#sink = undefined;
    this.#frames = [];
    this.#pendingBytes = 0;
  }
}
