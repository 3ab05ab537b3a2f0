/**
 * `AsyncLiveClient`: the promise face of earshot. A thin facade over core's `LiveSession` —
 * the session owns the protocol (options, frames, ordering, backpressure, keepalive, close
 * reporting); this class turns it into awaited methods, typed events and `for await` streams.
 */
import {
  AbortedError,
  type AudioChunk,
  CallbackError,
  type ClientOptions,
  type CloseReport,
  diagnosticsChannel,
  type EarshotError,
  emitWarning,
  eventForMessage,
  HandlerRegistry,
  type LiveOptions,
  LiveSession,
  type LiveTranscriptionEvent,
  type LiveTranscriptionHandler,
  type MetadataMessage,
  type ReplayBuffer,
  type ResolvedClientOptions,
  type ResultsMessage,
  resolveClientOptions,
  type ServerMessage,
  type SessionState,
  StateError,
  toAudioFrame,
} from "@earshot/core";
import { type IteratorBounds, MessageHub, type MessageSubscription } from "./message-stream.ts";
import {
  backoffDelay,
  isReconnectable,
  RECONNECT_DIAGNOSTICS_CHANNEL,
  type ReconnectInfo,
  type ReconnectOptions,
  type ReconnectPolicy,
  replayBufferFor,
  resolveReconnect,
  waitOnClock,
} from "./reconnect.ts";
import { type AudioSource, type SendFromOptions, sendFrom } from "./send-from.ts";
import { rebaseTimestamps } from "./timestamp-rebase.ts";
import { isFinalResults, isResults, isUtterancePart, UtteranceIterator } from "./views.ts";

const reconnectChannel = diagnosticsChannel(RECONNECT_DIAGNOSTICS_CHANNEL);

/** How an {@link AsyncLiveClient} connects and buffers: core's `ClientOptions`, plus iterator bounds. */
export interface AsyncLiveClientOptions extends ClientOptions {
  /**
   * Bounds of each `for await` iterator's buffer (each iterator has its own). A consumer that
   * falls behind first loses interim results, then fails with `SlowConsumerError`.
   * @default { maxMessages: 1000, maxBytes: 16 MiB }
   */
  readonly iteratorBounds?: IteratorBounds;
  /**
   * Reconnect after a retryable drop (a 1006 drop, 1011 NET-0000, a refused or failed
   * connection, …) instead of failing the stream: wait (exponential backoff), open a new
   * connection with the same options, send again the audio no final result has covered, and
   * shift the new connection's timestamps so the stream keeps one timeline. `true` takes every
   * default. Needs raw audio with `encoding` and `sample_rate` (containerised or compressed
   * audio cannot be replayed: `start()` throws `OptionsError`), and no `multichannel`.
   * Non-retryable closes (401, 1008 DATA-0000, an abort) and drops after `finish()` never
   * reconnect. `Open` and `Close` still fire once each; reconnects show in
   * {@link AsyncLiveClient.reconnects}, {@link AsyncLiveClient.lastReconnect} and on the
   * `earshot:async:reconnect` diagnostics channel.
   * @default false
   */
  readonly reconnect?: boolean | ReconnectOptions;
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

/**
 * A live transcription stream with promise methods. Transcripts arrive as typed events
 * (`on`/`once`/`off`) and as `for await` streams: the client itself iterates every server
 * message, and {@link AsyncLiveClient.transcripts}, {@link AsyncLiveClient.finals} and
 * {@link AsyncLiveClient.utterances} are filtered views. One client is one stream.
 *
 * @example
 * ```ts
 * import { AsyncLiveClient } from "@earshot/async";
 * import { createReadStream } from "node:fs";
 *
 * await using client = new AsyncLiveClient({ apiKey: process.env.DEEPGRAM_API_KEY });
 * await client.start({ model: "nova-3", interim_results: true });
 * const printing = (async () => {
 *   for await (const result of client.finals()) console.log(result.channel.alternatives[0]?.transcript);
 * })();
 * await client.sendFrom(createReadStream("call.wav"), { pace: "realtime" });
 * const metadata = await client.finish();
 * await printing;
 * console.log("audio seconds:", metadata?.duration);
 * ```
 */
export class AsyncLiveClient implements AsyncIterable<ServerMessage>, AsyncDisposable {
  readonly #clientOptions: ResolvedClientOptions;
  readonly #hub: MessageHub;
  readonly #handlers: HandlerRegistry;
  readonly #policy: ReconnectPolicy | undefined;
  /** Aborted by `abort()`: cancels a backoff wait. */
  readonly #lifetime = new AbortController();
  #session: LiveSession | undefined;
  #replay: ReplayBuffer | undefined;
  /** `finish()` or `abort()` was called: no more reconnects. */
  #ending = false;
  /** A connection has opened at least once (`Open` was emitted). */
  #opened = false;
  /** Connection attempts since the last drop. */
  #attempt = 0;
  /** The error that ended the last connection that had opened. */
  #dropError: EarshotError | undefined;
  /** Resolves once a connection waiting out its backoff has started connecting. */
  #backoff: Promise<void> | undefined;
  /** Attempts the latest reconnect took (kept apart from `#attempt`, which an open resets). */
  #attemptsUsed = 0;
  #reconnects = 0;
  #lastReconnect: ReconnectInfo | undefined;
  #liveOptions: LiveOptions | undefined;
  /** Set by `abort()` before `start()`: the client is spent without ever connecting. */
  #abortedBeforeStart: AbortedError | undefined;

  /**
   * Does not connect; {@link AsyncLiveClient.start} does.
   *
   * @throws OptionsError when a client option cannot work (e.g. `ws://` to a remote host);
   *   RangeError for iterator bounds that are not positive.
   */
  constructor(options: AsyncLiveClientOptions = {}) {
    const { iteratorBounds, reconnect, ...clientOptions } = options;
    this.#policy = resolveReconnect(reconnect);
    // Resolved once, here: a bad url or limit fails at construction, not at the first start().
    this.#clientOptions = resolveClientOptions(clientOptions);
    this.#hub = new MessageHub(iteratorBounds);
    this.#handlers = new HandlerRegistry((event, thrown) => this.#handlerThrew(event, thrown));
  }

  /**
   * `"idle"` before `start()`, then the session's state: connecting, open, closing, closed.
   * With `reconnect`, a stream between two connections is `"connecting"`.
   */
  get state(): SessionState {
    if (this.#abortedBeforeStart !== undefined) return "closed";
    const state = this.#session?.state ?? "idle";
    // A replacement connection waiting out its backoff is, for the user, still connecting.
    return state === "idle" && this.#opened ? "connecting" : state;
  }

  /** How many times the stream has reconnected (0 without the `reconnect` option). */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** What the latest reconnect did, if any. */
  get lastReconnect(): ReconnectInfo | undefined {
    return this.#lastReconnect;
  }

  /** The stream's `dg-request-id`, once the server has sent it. */
  get requestId(): string | undefined {
    return this.#session?.requestId;
  }

  /** Audio and control bytes accepted but not yet handed to the network (0 before `start()`). */
  get bufferedBytes(): number {
    return this.#session?.bufferedBytes ?? 0;
  }

  /** Whether the socket is open (audio and control messages go straight out). */
  isConnected(): boolean {
    return this.#session?.state === "open";
  }

  /**
   * Connects. Resolves once the socket is open (after the `Open` event); audio may be sent
   * before that — it waits, in order, for the socket (bounded by `maxPendingBytes`).
   *
   * @throws OptionsError when the live options cannot work (nothing was attempted);
   *   HandshakeError (refused upgrade), TimeoutError, ConnectionError or AbortedError when the
   *   connection fails — reported through the `Error` and `Close` events as well.
   * @example
   * ```ts
   * await client.start({ model: "nova-3", encoding: "linear16", sample_rate: 16000 }, { signal: AbortSignal.timeout(5000) });
   * ```
   */
  async start(options: LiveOptions, { signal }: StartOptions = {}): Promise<void> {
    if (this.#abortedBeforeStart !== undefined) throw this.#abortedBeforeStart;
    if (this.#session !== undefined) {
      throw new StateError(
        "start() was already called on this client; create a new AsyncLiveClient for a new stream.",
      );
    }
    if (this.#policy !== undefined)
      this.#replay = replayBufferFor(options, this.#policy, this.#clientOptions.maxPendingBytes);
    this.#liveOptions = options;
    const session = this.#newSession();
    this.#session = session;
    if (signal === undefined) {
      await session.connect();
      return;
    }
    // The session's own signal would also abort the stream once open; start()'s signal only
    // bounds connecting (so `AbortSignal.timeout(5000)` is a connect timeout, not a stream limit).
    const connecting = new AbortController();
    const onAbort = (): void => connecting.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    try {
      await session.connect({ signal: connecting.signal });
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Queues one chunk of audio behind everything sent before. Resolves when the chunk is
   * accepted and the send buffer is under its high-water mark (`highWaterMarkBytes`, default
   * 1 MiB), so a producer that awaits each `send()` never grows memory without bound.
   *
   * @throws AudioChunkError when `chunk` is not bytes; StateError before `start()` or after
   *   `finish()`; BufferOverflowError when more than `maxPendingBytes` would wait for the socket
   *   to open; the close error when the stream fails while waiting.
   * @example
   * ```ts
   * for await (const chunk of microphone) await client.send(chunk);
   * ```
   */
  async send(chunk: AudioChunk, { signal }: SendOptions = {}): Promise<void> {
    const session = this.#requireSession("send()");
    const below = session.send(chunk);
    if (this.#replay !== undefined) {
      const frame = toAudioFrame(chunk);
      if (frame !== undefined) this.#replay.record(frame);
    }
    if (below) return;
    try {
      await session.drained(signal === undefined ? {} : { signal });
    } catch (error) {
      // The connection dropped and a new one took over: the chunk is in the replay.
      if (this.#session !== session && !(error instanceof AbortedError)) return;
      throw error;
    }
  }

  /**
   * Sends a whole audio source, honouring backpressure; resolves when the source ends (the
   * stream stays open: call {@link AsyncLiveClient.finish} next). With `pace: "realtime"` it
   * sends no faster than the audio's own duration, read from a WAV header or from the live
   * options' `encoding`, `sample_rate` and `channels`.
   *
   * Aborting stops reading the source (and destroys/cancels it) but keeps the stream open.
   *
   * @example
   * ```ts
   * await client.sendFrom(fs.createReadStream("call.wav"), { pace: "realtime" });
   * await client.sendFrom((await fetch(url)).body!);
   * ```
   */
  async sendFrom(source: AudioSource, options: SendFromOptions = {}): Promise<void> {
    this.#requireSession("sendFrom()");
    await sendFrom(source, options, {
      liveOptions: this.#liveOptions ?? {},
      send: (chunk, signal) => this.send(chunk, signal === undefined ? {} : { signal }),
    });
  }

  /** Sends a KeepAlive now (queued behind audio). `keepAlive: true` in the client options does this when idle. */
  keepAlive(): void {
    this.#requireSession("keepAlive()").keepAlive();
  }

  /**
   * Asks the server to flush what it has as final results (`from_finalize: true`), behind all
   * queued audio. The stream stays open. `finalize(1)` (the threaded client's form) works too.
   *
   * @example
   * ```ts
   * client.finalize();               // every channel
   * client.finalize({ channel: 1 }); // one channel
   * ```
   */
  finalize(options: { channel?: number } | number = {}): void {
    const channel = typeof options === "number" ? options : options.channel;
    this.#requireSession("finalize()").finalize(channel);
  }

  /** Toggles features mid-stream, e.g. `configure({ numerals: true })`, behind all queued audio. */
  configure(features: Record<string, unknown>): void {
    this.#requireSession("configure()").configure(features);
  }

  /**
   * Ends the stream gracefully: CloseStream goes out behind everything queued, the server
   * flushes its last final results and `Metadata`, then closes. Resolves with that `Metadata`
   * after every message has been delivered (events fired, iterators fed) and `Close` fired.
   * Before `start()` there is nothing to finish: it resolves `undefined` at once. With
   * `reconnect`, a connection waiting out its backoff connects first, then finishes; a drop
   * after `finish()` is not reconnected (it rejects with the drop's error).
   *
   * @throws TimeoutError (`ERR_FINISH_TIMEOUT`) when the server does not close in time (the
   *   socket is closed); AbortedError when `signal` aborts (the socket is closed at once).
   * @example
   * ```ts
   * const metadata = await client.finish({ timeout: 5000 });
   * ```
   */
  async finish({ timeout, signal }: FinishOptions = {}): Promise<MetadataMessage | undefined> {
    if (this.#session === undefined) return undefined;
    this.#ending = true;
    // A replacement connection still waiting out its backoff connects first, then finishes.
    if (this.#backoff !== undefined) await this.#backoff;
    return this.#session.finish({
      ...(timeout === undefined ? {} : { timeoutMs: timeout }),
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** Closes the socket now, without waiting for the last results. `Close` reports an `AbortedError`. */
  abort(reason?: unknown): void {
    this.#ending = true;
    this.#lifetime.abort(reason);
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

  /**
   * `await using client = …`: finishes gracefully (bounded by `finishTimeoutMs`) when the
   * stream is open, aborts it otherwise or when finishing fails. Never throws: failures are
   * reported through the `Error` event.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    const state = this.state;
    if (state === "open" || state === "closing") {
      try {
        await this.finish();
        return;
      } catch {
        // Already reported through Error and Close; the abort below is a no-op once closed.
      }
    }
    this.abort(new AbortedError("The client was disposed."));
  }

  /** Adds a handler for `event`; a handler that throws is reported through `Error`. */
  on<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): this {
    this.#handlers.add(event, handler, false);
    return this;
  }

  /** Adds a handler that runs for the next `event` only. */
  once<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): this {
    this.#handlers.add(event, handler, true);
    return this;
  }

  /** Removes a handler added with `on` or `once`. */
  off<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): this {
    this.#handlers.remove(event, handler);
    return this;
  }

  /**
   * Every server message from now on, narrowable by `type`. Each iterator has its own bounded
   * buffer; `break` detaches it without closing the stream. Iteration ends after `Metadata`
   * on a normal finish; a failed stream delivers what arrived, then rejects with its error.
   * Iterators may be created before `start()`, to see messages a server sends right on open.
   *
   * @example
   * ```ts
   * for await (const message of client) {
   *   if (message.type === "Results" && message.is_final) console.log(message.channel.alternatives[0]?.transcript);
   *   if (message.type === "UtteranceEnd") console.log("--");
   * }
   * ```
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

  #requireSession(method: string): LiveSession {
    if (this.#session === undefined) {
      throw this.#abortedBeforeStart ?? new StateError(`${method} needs a stream: call start() first.`);
    }
    return this.#session;
  }

  /** A connection (not yet connecting) whose events feed this client, with the replay queued first. */
  #newSession(): LiveSession {
    const session = new LiveSession({ options: this.#liveOptions ?? {}, client: this.#clientOptions });
    const pending = this.#replay?.pending();
    const offset = pending?.offsetSeconds ?? 0;
    for (const chunk of pending?.chunks ?? []) session.send(chunk);
    session.on("open", (info) =>
      this.#sessionOpened(info.requestId, pending?.bytes ?? 0, offset, pending?.lostSeconds ?? 0),
    );
    session.on("message", (message, info) =>
      this.#deliver(rebaseTimestamps(message, offset), info.text.length),
    );
    session.on("close", (report) => this.#sessionClosed(report));
    return session;
  }

  #sessionOpened(
    requestId: string | undefined,
    replayedBytes: number,
    offsetSeconds: number,
    lostSeconds: number,
  ): void {
    this.#attempt = 0;
    if (!this.#opened || this.#dropError === undefined) {
      this.#opened = true;
      this.#handlers.emit("open", { requestId });
      return;
    }
    this.#reconnects++;
    const info: ReconnectInfo = {
      reconnects: this.#reconnects,
      attempt: this.#attemptsUsed,
      error: this.#dropError,
      replayedBytes,
      offsetSeconds,
      lostSeconds,
      requestId,
    };
    this.#lastReconnect = info;
    if (reconnectChannel.hasSubscribers) reconnectChannel.publish({ client: this, ...info });
  }

  #sessionClosed(report: CloseReport): void {
    const policy = this.#policy;
    const error = report.error;
    if (
      policy !== undefined &&
      this.#opened &&
      !this.#ending &&
      isReconnectable(error) &&
      this.#attempt < policy.attempts
    ) {
      // Attempts restart at 0 once a connection opens: 0 here means an open connection dropped.
      if (this.#attempt === 0) this.#dropError = error;
      this.#attempt++;
      this.#attemptsUsed = this.#attempt;
      const next = this.#newSession();
      this.#session = next;
      this.#backoff = this.#connectAfter(next, backoffDelay(policy, this.#attempt), policy);
      return;
    }
    this.#closed(report);
  }

  async #connectAfter(session: LiveSession, ms: number, policy: ReconnectPolicy): Promise<void> {
    try {
      await waitOnClock(policy.clock, ms, this.#lifetime.signal);
    } catch {
      // abort() cancelled the wait; it aborts the waiting session itself, which closes the stream.
      return;
    } finally {
      if (this.#session === session) this.#backoff = undefined;
    }
    // A failure arrives as the session's close, which decides on the next attempt.
    session.connect().catch(() => {});
  }

  #deliver(message: ServerMessage, bytes: number): void {
    if (this.#replay !== undefined && message.type === "Results" && message.is_final) {
      this.#replay.acknowledge(message.start + message.duration);
    }
    this.#hub.publish(message, bytes);
    const { event, payload } = eventForMessage(message);
    this.#handlers.emit(event, payload as never);
  }

  #closed(report: CloseReport): void {
    this.#hub.end(report.error);
    if (report.error !== undefined) this.#handlers.emit("error", report.error);
    this.#handlers.emit("close", report);
  }

  #handlerThrew(event: LiveTranscriptionEvent, thrown: unknown): void {
    const error = new CallbackError(event, { cause: thrown });
    // An Error handler that throws must not feed itself, and nothing may follow Close: those
    // two become process warnings instead.
    if (event === "error" || event === "close") emitWarning(error);
    else this.#handlers.emit("error", error);
  }
}
