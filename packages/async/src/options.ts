/** The options of an `AsyncLiveClient` and of its methods. */
import type { ClientOptions } from "@earshot/core";
import type { IteratorBounds } from "./message-stream.ts";

/** How an {@link AsyncLiveClient} connects and buffers: core's `ClientOptions` (with `reconnect`), plus iterator bounds. */
export interface AsyncLiveClientOptions extends ClientOptions {
  /**
   * Bounds of each `for await` iterator's buffer (each iterator has its own). A consumer that
   * falls behind first loses interim results, then fails with `SlowConsumerError`.
   * @default { maxMessages: 1000, maxBytes: 16 MiB }
   */
  readonly iteratorBounds?: IteratorBounds;
}

/** Options of {@link AsyncLiveClient.start}. */
export interface StartOptions {
  /** Aborts the connection attempt: `start()` rejects with `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** Options of {@link AsyncLiveClient.send}. */
export interface SendOptions {
  /** Stops waiting for the send buffer to drain (the chunk itself is already queued). */
  readonly signal?: AbortSignal;
}

/** Options of {@link AsyncLiveClient.finish}. */
export interface FinishOptions {
  /** Milliseconds to wait for the server to close after CloseStream. @default the client's finishTimeoutMs (10000) */
  readonly timeout?: number;
  /** Aborts the wait: the socket is closed at once and `finish()` rejects with `AbortedError`. */
  readonly signal?: AbortSignal;
}
