/**
 * `AsyncLiveClient`: the promise face. Only the calling convention lives here; the stream is
 * core's `ReconnectingSession` and the events go through core's `EventPipeline`, as in the
 * threaded face.
 */
import {
  AbortedError,
  type AudioChunk,
  type AudioSource,
  assertKnownOptions,
  CLIENT_OPTION_NAMES,
  type ClientOptions,
  configureFrame,
  finalizeFrame,
  KEEP_ALIVE_FRAME,
  type LiveOptions,
  type LiveTranscriptionEventMap,
  LiveTranscriptionEvents,
  type MetadataMessage,
  type ReconnectedInfo,
  ReconnectingSession,
  type ResultsMessage,
  resolveClientOptions,
  resolveReconnectPolicy,
  type SendFromOptions,
  type ServerMessage,
  type SessionState,
  StateError,
  toAudioFrame,
} from "@earshot/core";
import { deliverSessionEvents, PipelineClient, sendFrom } from "@earshot/core/internal";
import { MessageHub, type MessageSubscription } from "./message-stream.ts";
import type { AsyncLiveClientOptions, FinishOptions, SendOptions, StartOptions } from "./options.ts";
import { disposeStream } from "./stream-helpers.ts";
import { isFinalResults, isResults, isUtterancePart, UtteranceIterator } from "./views.ts";

const OPTION_NAMES = [...CLIENT_OPTION_NAMES, "iteratorBounds"];

/**
 * A live transcription stream with promise methods; transcripts as typed events and as
 * `for await` streams (the client itself, and the filtered views). One client is one stream.
 *
 * @example
 * ```ts
 * await using client = new AsyncLiveClient({ apiKey: process.env.DEEPGRAM_API_KEY, reconnect: true });
 * await client.start({ model: "nova-3", encoding: "linear16", sample_rate: 16000 });
 * const printing = (async () => {
 *   for await (const result of client.finals()) console.log(result.channel.alternatives[0]?.transcript);
 * })();
 * await client.sendFrom(createReadStream("call.raw"), { pace: "realtime" });
 * console.log("audio seconds:", (await client.finish())?.duration);
 * await printing;
 * ```
 */
export class AsyncLiveClient
  extends PipelineClient<LiveTranscriptionEventMap>
  implements AsyncIterable<ServerMessage>, AsyncDisposable
{
  readonly #clientOptions: ClientOptions;
  readonly #hub: MessageHub;
  /** Aborted, with the refusal as reason, once the stream has ended. */
  readonly #ended = new AbortController();
  #session: ReconnectingSession | undefined;
  #liveOptions: LiveOptions = {};
  /** Set by `abort()` before `start()`: the client is spent without ever connecting. */
  #abortedBeforeStart: AbortedError | undefined;

  /**
   * Does not connect; {@link AsyncLiveClient.start} does.
   *
   * @throws OptionsError for an unknown option (naming the nearest known one) or one that
   *   cannot work (e.g. `ws://` to a remote host); RangeError for bad bounds or reconnect numbers.
   */
  constructor(options: AsyncLiveClientOptions = {}) {
    super(Object.values(LiveTranscriptionEvents));
    assertKnownOptions(options, OPTION_NAMES);
    const { iteratorBounds, ...clientOptions } = options;
    // Checked once, here: a bad url, limit or reconnect policy fails now, not at start().
    resolveClientOptions(clientOptions);
    resolveReconnectPolicy(clientOptions.reconnect);
    this.#clientOptions = clientOptions;
    this.#hub = new MessageHub(iteratorBounds);
  }

  /** `"idle"` before `start()`, then the stream's state (`"connecting"` also between two connections). */
  get state(): SessionState {
    if (this.#abortedBeforeStart !== undefined) return "closed";
    return this.#session?.state ?? "idle";
  }

  /** How many times the stream has reconnected (0 without the `reconnect` option). */
  get reconnects(): number {
    return this.#session?.reconnects ?? 0;
  }

  /** What the latest reconnect did, if any (the latest `Reconnected` payload). */
  get lastReconnect(): ReconnectedInfo | undefined {
    return this.#session?.lastReconnect;
  }

  /** The stream's `dg-request-id`, once the server has sent it. */
  get requestId(): string | undefined {
    return this.#session?.requestId;
  }

  /** Bytes accepted but not yet handed to the network (0 before `start()`). */
  get bufferedBytes(): number {
    return this.#session?.bufferedBytes ?? 0;
  }

  /** Whether the socket is open (audio and control messages go straight out). */
  isConnected(): boolean {
    return this.#session?.state === "open";
  }

  /**
   * Connects; resolves once open (after `Open`). Audio sent before waits in order (bounded by
   * `maxPendingBytes`). `signal` bounds connecting only.
   * @throws OptionsError for options that cannot work; HandshakeError, TimeoutError,
   *   ConnectionError or AbortedError when connecting fails (after `Error` and `Close`).
   * @example `await client.start({ model: "nova-3" }, { signal: AbortSignal.timeout(5000) });`
   */
  async start(options: LiveOptions, { signal }: StartOptions = {}): Promise<void> {
    if (this.#abortedBeforeStart !== undefined) throw this.#abortedBeforeStart;
    if (this.#session !== undefined) {
      throw new StateError(
        "start() was already called on this client; create a new AsyncLiveClient for a new stream.",
      );
    }
    const session = new ReconnectingSession({ options, client: this.#clientOptions });
    this.#session = session;
    this.#liveOptions = options;
    deliverSessionEvents(session, this.events, {
      message: (message, info) => this.#hub.publish(message, info.text.length),
      closing: (report) => this.#hub.end(report.error),
      closed: () => this.#ended.abort(this.events.refusal("sendFrom()")),
    });
    await session.connect(signal === undefined ? {} : { signal });
  }

  /**
   * Queues audio behind everything sent before; resolves once the send buffer is under
   * `highWaterMarkBytes` (default 1 MiB), so an awaiting producer never grows memory unbounded.
   *
   * @throws AudioChunkError for non-bytes; StateError before `start()`, after `finish()`, or once
   *   closed (its `cause` closed the stream); BufferOverflowError over `maxPendingBytes` pre-open.
   * @example `for await (const chunk of microphone) await client.send(chunk);`
   */
  async send(chunk: AudioChunk, { signal }: SendOptions = {}): Promise<void> {
    // The argument first, as in the threaded face: a wrong chunk is wrong in any state.
    const frame = toAudioFrame(chunk);
    const session = this.#writable("send()");
    if (frame === undefined || session.send(frame)) return;
    try {
      await session.drained(signal === undefined ? {} : { signal });
    } catch (error) {
      if (this.events.closed && !(error instanceof AbortedError)) throw this.events.refusal("send()");
      throw error;
    }
  }

  /**
   * Sends a whole source (Node `Readable`, Web `ReadableStream`, (async) iterable) with
   * backpressure, optionally paced in real time; resolves when it ends, rejects as soon as the
   * stream ends (a `StateError` whose `cause` closed it). Aborting stops reading, not the stream.
   * @example `await client.sendFrom(fs.createReadStream("call.wav"), { pace: "realtime" });`
   */
  async sendFrom(source: AudioSource, options?: SendFromOptions): Promise<void> {
    await sendFrom(source, options, {
      liveOptions: this.#liveOptions,
      send: (chunk, signal) => this.send(chunk, signal === undefined ? {} : { signal }),
      ended: this.#ended.signal,
      assertWritable: () => void this.#writable("sendFrom()"),
    });
  }

  /** Queues a KeepAlive behind the audio; false once the stream has closed (nothing sent, no event). */
  keepAlive(): boolean {
    return this.#control("keepAlive()", KEEP_ALIVE_FRAME);
  }

  /**
   * Asks for the pending audio as finals (`from_finalize`), behind queued audio; false once closed.
   * @throws RangeError for a channel that is not a non-negative integer (whatever the stream's state).
   * @example `client.finalize(); client.finalize({ channel: 1 }); client.finalize(1);`
   */
  finalize(options: { channel?: number } | number = {}): boolean {
    // Encoded first (core's encoder checks the channel), as in the threaded face.
    return this.#control("finalize()", finalizeFrame(finalizeChannel(options)));
  }

  /**
   * Toggles features mid-stream, e.g. `configure({ numerals: true })`; false once closed.
   * @throws TypeError when `features` is not an object (whatever the stream's state).
   */
  configure(features: Record<string, unknown>): boolean {
    return this.#control("configure()", configureFrame(features));
  }

  /**
   * Ends the stream gracefully: CloseStream goes out behind everything queued, the server
   * flushes its last final results and `Metadata`, then closes. Resolves with that `Metadata`
   * after every message has been delivered and `Close` fired. Before `start()` it resolves
   * `undefined` at once. With `reconnect`, a connection in backoff connects first; a drop after
   * `finish()` is not reconnected.
   *
   * @throws TimeoutError (`ERR_FINISH_TIMEOUT`) when the server does not close in time;
   *   AbortedError when `signal` aborts; the close error when the stream failed.
   * @example
   * ```ts
   * const metadata = await client.finish({ timeout: 5000 });
   * ```
   */
  async finish({ timeout, signal }: FinishOptions = {}): Promise<MetadataMessage | undefined> {
    if (this.#session === undefined) return undefined;
    return this.#session.finish({
      ...(timeout === undefined ? {} : { timeoutMs: timeout }),
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** Closes the socket now, without waiting for the last results. `Close` reports an `AbortedError` (once). */
  abort(reason?: unknown): void {
    if (this.#session !== undefined) {
      this.#session.abort(reason);
      return;
    }
    if (this.#abortedBeforeStart === undefined) {
      this.#abortedBeforeStart = new AbortedError("The client was aborted before start().", {
        cause: reason,
      });
      this.#hub.end(this.#abortedBeforeStart);
    }
  }

  /** `await using`: finishes when open (bounded by `finishTimeoutMs`), else aborts. Never throws. */
  async [Symbol.asyncDispose](): Promise<void> {
    await disposeStream(this);
  }

  /**
   * Every server message from now on (own bounded buffer; `break` detaches it). Ends after
   * `Metadata` on a normal finish; a failed stream rejects with its error after what arrived.
   */
  [Symbol.asyncIterator](): MessageSubscription<ServerMessage> {
    return this.#hub.subscribe();
  }

  /** Every `Results` message (interim and final) from now on. */
  transcripts(): MessageSubscription<ResultsMessage> {
    return this.#hub.subscribe(isResults);
  }

  /** Final `Results` only (`is_final: true`) from now on. */
  finals(): MessageSubscription<ResultsMessage> {
    return this.#hub.subscribe(isFinalResults);
  }

  /** Final results joined into utterances, up to each `speech_final` or `UtteranceEnd`. */
  utterances(): UtteranceIterator {
    return new UtteranceIterator(this.#hub.subscribe(isUtterancePart));
  }

  /** The stream, or the error for calling `method` now (before start, or once closed). */
  #writable(method: string): ReconnectingSession {
    if (this.#session === undefined) {
      throw this.#abortedBeforeStart ?? new StateError(`${method} needs a stream: call start() first.`);
    }
    if (this.events.closed) throw this.events.refusal(method);
    return this.#session;
  }

  #control(method: string, frame: string): boolean {
    if (this.#session !== undefined && this.events.closed) return false;
    this.#writable(method).sendControl(frame);
    return true;
  }
}

/** The channel of `finalize(options)`: a number, `{ channel }` or nothing; checked by core's encoder. */
function finalizeChannel(options: unknown): number | undefined {
  if (options === undefined) return undefined;
  if (typeof options === "object" && options !== null && !Array.isArray(options))
    return (options as { channel?: number }).channel;
  // Anything else goes to the encoder as the channel, which refuses it with a RangeError.
  return options as number;
}
