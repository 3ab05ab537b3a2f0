/**
 * `LiveClient`: the threaded face. Only the calling convention lives here: synchronous
 * methods and callbacks, the stream on an engine worker (core's `ReconnectingSession`), frames
 * encoded by core's encoder on this thread, events through core's `EventPipeline` as in the
 * async face.
 */
import {
  AbortedError,
  type AudioChunk,
  type AudioSource,
  CLIENT_OPTION_NAMES,
  configureFrame,
  finalizeFrame,
  KEEP_ALIVE_FRAME,
  type LiveOptions,
  type LiveTranscriptionEventMap,
  LiveTranscriptionEvents,
  type SendFromOptions,
  validateLiveOptions,
} from "@earshot/core";
import {
  type EventPipeline,
  listenEventSink,
  PipelineClient,
  type PipelineEvents,
  type StreamEventSink,
} from "@earshot/core/internal";
import { LIVE_CLIENT_OPTION_NAMES, type LiveClientOptions } from "./options.ts";
import type { StreamMessage } from "./port-protocol.ts";
import type { ThreadedStream } from "./threaded-stream.ts";
import { threadedStreamFor } from "./threaded-stream-for.ts";

const OPTION_NAMES = [...CLIENT_OPTION_NAMES, ...LIVE_CLIENT_OPTION_NAMES];

/**
 * A live transcription stream with synchronous methods and callbacks: `start()` and `finish()`
 * block and deliver their events before returning, `send()` never waits on the network, other
 * events arrive in order when this thread's event loop is free.
 *
 * @example
 * ```ts
 * import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
 *
 * using client = new LiveClient({ apiKey: process.env.DEEPGRAM_API_KEY, reconnect: true });
 * client.on(LiveTranscriptionEvents.Transcript, (result) => {
 *   if (result.is_final) console.log(result.channel.alternatives[0]?.transcript);
 * });
 * if (client.start({ model: "nova-3", encoding: "linear16", sample_rate: 16000 })) {
 *   for (const chunk of chunks) client.send(chunk);
 *   client.finish(); // every final result has been delivered when this returns
 * }
 * ```
 */
export class LiveClient extends PipelineClient<LiveTranscriptionEventMap> implements Disposable {
  readonly #stream: ThreadedStream;

  /** Does not connect. @throws OptionsError for an unknown option (naming the nearest) or one that cannot work. */
  constructor(options: LiveClientOptions = {}) {
    super(Object.values(LiveTranscriptionEvents));
    this.#stream = threadedStreamFor(
      options,
      OPTION_NAMES,
      this.events as unknown as EventPipeline<PipelineEvents>,
    );
  }

  /**
   * Opens the stream. Blocks (at most `connectTimeoutMs` plus the engine's start) until the
   * server accepts or refuses, then delivers `Open` — or `Error` and `Close` — before returning.
   * An engine that cannot load fails at once (`EngineLoadError`, with its own error and a hint).
   *
   * @returns true when the stream is open.
   * @throws OptionsError when `options` cannot work; StateError while a stream of this client is open.
   * @example
   * ```ts
   * if (!client.start({ model: "nova-3", interim_results: true })) process.exitCode = 1;
   * ```
   */
  start(options: LiveOptions): boolean {
    validateLiveOptions(options);
    return this.#stream.start(
      "listen",
      options,
      listenEventSink(this.events) as StreamEventSink<StreamMessage>,
    );
  }

  /**
   * Queues audio; waits (at most `sendTimeoutMs`) only while the engine's ring is full.
   * @returns false once closed (no event: `Close` was last), before `start()`/after `finish()`
   *   (an `Error` says so), or when the wait for room timed out.
   * @throws AudioChunkError when `chunk` is not bytes.
   */
  send(chunk: AudioChunk): boolean {
    return this.#stream.send(chunk);
  }

  /**
   * Sends a whole source (Node `Readable`, (async) iterable) through `send()`, optionally paced
   * in real time; blocks this thread only as `send()` does. Resolves when the source ends;
   * rejects as soon as the stream ends (a `StateError` whose `cause` closed it).
   * @example `await client.sendFrom(fs.createReadStream("call.raw"), { pace: "realtime" });`
   */
  sendFrom(source: AudioSource, options: SendFromOptions = {}): Promise<void> {
    return this.#stream.sendFrom(source, options);
  }

  /** Queues a KeepAlive behind the audio already sent; false when the stream is not open. */
  keepAlive(): boolean {
    return this.#stream.control("keepAlive()", KEEP_ALIVE_FRAME);
  }

  /** Asks for pending audio as finals (`from_finalize`). @throws RangeError for a bad channel (core's encoder). */
  finalize(channel?: number): boolean {
    return this.#stream.control("finalize()", finalizeFrame(channel));
  }

  /** Changes features mid-stream, e.g. `configure({ numerals: true })`; false when not open. */
  configure(features: Record<string, unknown>): boolean {
    return this.#stream.control("configure()", configureFrame(features));
  }

  /**
   * CloseStream behind all queued audio, then blocks (at most `timeout` + grace) until the
   * server closed, taking and delivering events meanwhile; the last finals, `Metadata` and
   * `Close` are delivered before it returns (inside a callback: right after that callback).
   * When the server has not closed after `timeout`, the stream closes with `TimeoutError`
   * (`ERR_FINISH_TIMEOUT`), as the async face's `finish({ timeout })` does.
   *
   * @param options.timeout milliseconds to wait for the server to close after CloseStream
   *   (positive). @default the client's `finishTimeoutMs` (10000)
   * @returns true when the server closed the stream cleanly.
   * @example
   * ```ts
   * if (!client.finish({ timeout: 5000 })) console.warn("the last results may be missing");
   * ```
   */
  finish(options: { readonly timeout?: number } = {}): boolean {
    return this.#stream.finish(options);
  }

  /** Closes now: `Error` (AbortedError, `cause` = `reason`) and `Close` once, before it returns. */
  abort(reason?: unknown): void {
    this.#stream.abort(reason);
  }

  /** `using client = …`: finishes when open (bounded by `finishTimeoutMs`), else aborts. */
  [Symbol.dispose](): void {
    if (this.isConnected()) this.finish();
    this.abort(new AbortedError("The client was disposed."));
  }

  /** True while the stream is open. */
  isConnected(): boolean {
    return this.#stream.open;
  }
}
