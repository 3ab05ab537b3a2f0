/**
 * `@earshot/async`: live speech-to-text with promises and `for await`.
 *
 * @example
 * ```ts
 * import { AsyncLiveClient, LiveTranscriptionEvents } from "@earshot/async";
 *
 * const client = new AsyncLiveClient({ keepAlive: true });
 * client.on(LiveTranscriptionEvents.Error, (error) => console.error(error.code, error.message));
 * await client.start({ model: "nova-3", encoding: "linear16", sample_rate: 16000 });
 * ```
 * @packageDocumentation
 */

export {
  eventForMessage,
  type LiveTranscriptionEvent,
  type LiveTranscriptionEventMap,
  LiveTranscriptionEvents,
  type LiveTranscriptionHandler,
  type MessageEvent,
} from "@earshot/core";
export {
  AsyncLiveClient,
  type AsyncLiveClientOptions,
  type FinishOptions,
  type SendOptions,
  type StartOptions,
} from "./client.ts";
export {
  DEFAULT_ITERATOR_MAX_BYTES,
  DEFAULT_ITERATOR_MAX_MESSAGES,
  type IteratorBounds,
  MessageSubscription,
} from "./message-stream.ts";
export {
  backoffDelay,
  DEFAULT_RECONNECT_ATTEMPTS,
  DEFAULT_RECONNECT_INITIAL_DELAY_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  RECONNECT_DIAGNOSTICS_CHANNEL,
  type ReconnectInfo,
  type ReconnectOptions,
} from "./reconnect.ts";
export type {
  AudioSource,
  ReadableStreamLike,
  SendFromOptions,
} from "./send-from.ts";
export { rebaseTimestamps } from "./timestamp-rebase.ts";
export { type Utterance, UtteranceIterator } from "./views.ts";
