/**
 * `@earshot/async`: live speech-to-text with promises and `for await`. Everything a user of
 * this face needs is exported here (errors, options, messages, events), so `@earshot/core`
 * need not be imported alongside.
 *
 * @example
 * ```ts
 * import { AsyncLiveClient, HandshakeError, LiveTranscriptionEvents } from "@earshot/async";
 *
 * const client = new AsyncLiveClient({ keepAlive: true });
 * client.on(LiveTranscriptionEvents.Error, (error) => console.error(error.code, error.message));
 * try {
 *   await client.start({ model: "nova-3", encoding: "linear16", sample_rate: 16000 });
 * } catch (error) {
 *   if (error instanceof HandshakeError) console.error("refused:", error.status);
 * }
 * ```
 * @packageDocumentation
 */
export * from "@earshot/core";
export { AsyncLiveClient } from "./client.ts";
export { AsyncFluxClient } from "./flux-client.ts";
export type { AsyncFluxClientOptions } from "./flux-options.ts";
export {
  DEFAULT_ITERATOR_MAX_BYTES,
  DEFAULT_ITERATOR_MAX_MESSAGES,
  type IteratorBounds,
  MessageSubscription,
  type SheddingPolicy,
} from "./message-stream.ts";
export type { AsyncLiveClientOptions, FinishOptions, SendOptions, StartOptions } from "./options.ts";
export { type Utterance, UtteranceIterator } from "./views.ts";
