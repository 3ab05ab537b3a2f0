/**
 * `LiveSession`: one socket's life (idle → connecting → open → closing → closed), over `ws` in
 * Node and the platform's `WebSocket` in a browser (see `platform/`). The facades (async and
 * threaded clients) build on it; it holds no facade logic.
 */
import { platform, type SessionSocket } from "#platform";
import { type Clock, systemClock } from "./clock.ts";
import { sessionCloseChannel, sessionMessageChannel, sessionOpenChannel } from "./diagnostics.ts";
import {
  AbortedError,
  BufferOverflowError,
  CallbackError,
  ConnectionError,
  type EarshotError,
  MessageTooLargeError,
  StateError,
  TimeoutError,
} from "./errors.ts";
import {
  type AudioChunk,
  CLOSE_STREAM_FRAME,
  configureFrame,
  finalizeFrame,
  KEEP_ALIVE_FRAME,
  toAudioFrame,
} from "./frames.ts";
import { KeepAliveScheduler } from "./keepalive.ts";
import { type MetadataMessage, parseServerMessage, type ServerMessage } from "./messages.ts";
import {
  handshakeFor,
  type ResolvedClientOptions,
  resolveClientOptions,
  toListenUrl,
  validateLiveOptions,
} from "./options.ts";
import { HandlerRegistry } from "./pipeline/handler-registry.ts";
import { warnLater } from "./pipeline/warn.ts";
import { ABNORMAL_CLOSURE, buildCloseReport, type CloseReport } from "./session/close-report.ts";
import { DrainGate } from "./session/drain-gate.ts";
import { SendQueue } from "./session/send-queue.ts";
import { classifySocketError } from "./session/socket-errors.ts";
import type {
  LiveSessionEventMap,
  LiveSessionInit,
  SessionState,
  SessionWire,
  WireSessionInit,
} from "./session/types.ts";

export type { CloseReport } from "./session/close-report.ts";
export type {
  LiveSessionEventMap,
  LiveSessionInit,
  MessageInfo,
  SessionState,
  SessionWire,
  WireContext,
  WireSessionInit,
} from "./session/types.ts";

/**
 * One live transcription stream over one WebSocket.
 *
 * - Frames sent before the socket opens are kept in order (up to `maxPendingBytes`) and
 *   flushed on open; audio and control frames share one ordered queue.
 * - `finish()` sends CloseStream behind all queued audio and resolves with the server's
 *   `Metadata` once the server has closed — the last results are never cut off.
 * - A listener that throws does not break the session: the error goes to `listenerError`
 *   listeners, or, when there are none, to a warning (`process.emitWarning` in Node) on a later microtask.
 * - The `close` event fires exactly once, last, as soon as the server's close frame arrives (or
 *   the socket ends without one); afterwards no timer or listener remains, and the socket is
 *   gone within `closeTimeoutMs`.
 * - Bounded: a server message over `maxMessageBytes` ends the stream with `MessageTooLargeError`
 *   (in Node before it is buffered); audio past `maxBufferedBytes` is refused with
 *   `BufferOverflowError`; `pauseReading()` stops reading the socket (Node) so TCP backpressure
 *   reaches the server.
 *
 * @example
 * ```ts
 * const session = new LiveSession({ options: { model: "nova-3", encoding: "linear16", sample_rate: 16000 } });
 * session.on("message", (message) => { if (message.type === "Results") console.log(message.channel.alternatives[0]?.transcript); });
 * await session.connect();
 * for (const chunk of chunks) if (!session.send(chunk)) await session.drained();
 * const metadata = await session.finish();
 * ```
 */
export class LiveSession<M extends { readonly type: string } = ServerMessage> {
  readonly #client: ResolvedClientOptions;
  readonly #wire: SessionWire<M>;
  readonly #url: URL;
  readonly #clock: Clock;
  readonly #secrets: readonly (string | undefined)[];
  readonly #listeners: HandlerRegistry<LiveSessionEventMap<M>>;
  readonly #queue: SendQueue;
  #state: SessionState = "idle";
  #ws: SessionSocket | undefined;
  #requestId: string | undefined;
  #keepAlive: KeepAliveScheduler | undefined;
  #metadata: MetadataMessage | undefined;
  #failure: EarshotError | undefined;
  #report: CloseReport | undefined;
  #finishing = false;
  #connectTimer: unknown;
  #finishTimer: unknown;
  #detachSignal: (() => void) | undefined;
  readonly #drain = new DrainGate();
  #connectWaiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  #connectPromise: Promise<void> | undefined;
  #closePromise: Promise<CloseReport> | undefined;
  #resolveClose: ((report: CloseReport) => void) | undefined;
  #finishPromise: Promise<MetadataMessage | undefined> | undefined;
  #readingPaused = false;
  #forwardUnparsed = false;

  /**
   * Validates `options` (throws `OptionsError` listing every problem); does not connect. With
   * `wire` instead of `options` it speaks another endpoint (the Flux stream's connections).
   */
  constructor(init: LiveSessionInit | WireSessionInit<M>) {
    if ("wire" in init) {
      this.#client = resolveClientOptions(init.client);
      this.#wire = init.wire(this.#client);
    } else {
      validateLiveOptions(init.options);
      this.#client = resolveClientOptions(init.client);
      // Without a wire the session speaks /v1/listen, whose messages are ServerMessage.
      this.#wire = {
        url: toListenUrl(this.#client.url, init.options),
        parse: parseServerMessage,
        // A /v1/listen message changes nothing in the session but finish()'s Metadata, which a
        // forwarding engine does not use: the close frame, not a message, says how it ended.
        mayForwardUnparsed: () => true,
      } as unknown as SessionWire<M>;
    }
    this.#url = this.#wire.url;
    this.#clock = init.clock ?? systemClock;
    this.#secrets = [this.#client.apiKey, this.#client.accessToken];
    this.#listeners = new HandlerRegistry<LiveSessionEventMap<M>>((event, thrown) =>
      this.#reportListenerError(new CallbackError(String(event), { cause: thrown })),
    );
    this.#queue = new SendQueue({
      maxPendingBytes: this.#client.maxPendingBytes,
      // A failed write means the socket is going down: the close settles the waiters, with its error.
      onWritten: (error) => {
        if (error == null) this.#checkDrained();
      },
      onFrameSent: () => this.#keepAlive?.frameSent(),
    });
  }

  /** Where the session is in its life. */
  get state(): SessionState {
    return this.#state;
  }

  /** The server's `dg-request-id`, once the handshake has answered. */
  get requestId(): string | undefined {
    return this.#requestId;
  }

  /** The listen URL (it never holds credentials). */
  get url(): string {
    return this.#url.href;
  }

  /** The close report, once the session has closed. */
  get closeReport(): CloseReport | undefined {
    return this.#report;
  }

  /** Bytes accepted but not yet handed to the kernel: the pre-open backlog plus `ws.bufferedAmount`. */
  get bufferedBytes(): number {
    return this.#queue.pendingBytes + (this.#ws?.bufferedAmount ?? 0);
  }

  /**
   * Opens the socket. Resolves once it is open; rejects with a `HandshakeError` (refused
   * upgrade: 400, 401, 429, …), `TimeoutError` (`ERR_CONNECT_TIMEOUT`), `AbortedError` or
   * `ConnectionError` — after the close report has been emitted. `signal` cancels connecting
   * and, once open, aborts the running session.
   *
   * @throws StateError (as a rejection) when called twice.
   */
  connect(opts: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#state !== "idle") {
      return Promise.reject(new StateError(`connect() was already called; the session is ${this.#state}.`));
    }
    const { signal } = opts;
    this.#state = "connecting";
    this.#connectPromise = new Promise<void>((resolve, reject) => {
      this.#connectWaiter = { resolve, reject };
    });
    if (signal?.aborted) {
      this.#failure = new AbortedError("The session was aborted before it connected.", {
        cause: signal.reason,
      });
      this.#finalize(ABNORMAL_CLOSURE, "");
      return this.#connectPromise;
    }
    if (signal) {
      const onAbort = (): void => this.abort(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#detachSignal = () => signal.removeEventListener("abort", onAbort);
    }
    this.#openSocket();
    return this.#connectPromise;
  }

  /**
   * Queues one chunk of audio behind everything sent before it (before open too).
   *
   * @returns false when `bufferedBytes` is at or over `highWaterMarkBytes`: keep going, or
   *   `await drained()` to bound memory. Zero-length chunks are dropped (never sent).
   * @throws AudioChunkError when `chunk` is not bytes; StateError after `finish()`/close (its
   *   `cause` is the error that ended the stream, if any); BufferOverflowError when, before
   *   open, the backlog would exceed `maxPendingBytes`, or once open, the buffered bytes would
   *   exceed `maxBufferedBytes` (the chunk is refused; nothing accepted before is dropped).
   */
  send(chunk: AudioChunk): boolean {
    const frame = toAudioFrame(chunk);
    this.#assertWritable("send audio");
    if (frame !== undefined) {
      if (this.#state === "open") this.#assertRoomFor(frame.byteLength);
      this.#queue.push(frame, true);
    }
    return this.bufferedBytes < this.#client.highWaterMarkBytes;
  }

  /**
   * Stops reading from the socket (Node; a browser's WebSocket cannot): messages wait in the kernel, and TCP backpressure reaches
   * the server, as for a consumer that has fallen behind. The server's close frame waits too.
   * Keepalive and sending go on. No effect once closed.
   */
  pauseReading(): void {
    this.#readingPaused = true;
    if (this.#state === "open" || this.#state === "closing") this.#ws?.pause();
  }

  /** Reads from the socket again after {@link LiveSession.pauseReading}. */
  resumeReading(): void {
    this.#readingPaused = false;
    if (this.#state === "open" || this.#state === "closing") this.#ws?.resume();
  }

  /** Whether {@link LiveSession.pauseReading} is in effect. */
  get readingPaused(): boolean {
    return this.#readingPaused;
  }

  /** Queues a KeepAlive behind all queued audio. */
  keepAlive(): void {
    this.#assertWritable("send KeepAlive");
    this.#wire.checkControl?.(KEEP_ALIVE_FRAME);
    this.#queue.push(KEEP_ALIVE_FRAME, false);
  }

  /** Queues a Finalize (optionally for one channel) behind all queued audio. */
  finalize(channel?: number): void {
    const frame = finalizeFrame(channel);
    this.#assertWritable("send Finalize");
    this.#wire.checkControl?.(frame);
    this.#queue.push(frame, false);
  }

  /** Queues a Configure (mid-stream feature toggles) behind all queued audio. */
  configure(features: Record<string, unknown>): void {
    const frame = configureFrame(features);
    this.#assertWritable("send Configure");
    this.#wire.checkControl?.(frame);
    this.#queue.push(frame, false);
  }

  /**
   * Queues a control frame already encoded by `frames.ts` (KeepAlive, Finalize, Configure)
   * behind all queued audio: the threaded engine passes on what the caller's thread encoded.
   * CloseStream goes through {@link LiveSession.finish} instead.
   */
  sendControl(frame: string): void {
    this.#assertWritable("send a control message");
    this.#wire.checkControl?.(frame);
    this.#queue.push(frame, false);
  }

  /**
   * Resolves when `bufferedBytes` is below `highWaterMarkBytes`. Once the session has closed it
   * resolves after a normal end and rejects with the close error otherwise; `signal` rejects
   * it with `AbortedError` (the session goes on).
   */
  drained(opts: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#report) return this.#report.error ? Promise.reject(this.#report.error) : Promise.resolve();
    if (this.bufferedBytes < this.#client.highWaterMarkBytes) return Promise.resolve();
    return this.#drain.wait(opts.signal);
  }

  /**
   * Ends the stream: sends CloseStream behind all queued audio, then resolves with the
   * `Metadata` the server sent (undefined if it sent none) once the server has closed. After
   * `timeoutMs` without a close, closes the socket and rejects with `TimeoutError`
   * (`ERR_FINISH_TIMEOUT`); an abnormal close rejects with the close report's error. `signal`
   * aborts the session. Calling it again returns the same promise.
   *
   * @param opts.timeoutMs @default the client's finishTimeoutMs (10 000)
   */
  finish(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<MetadataMessage | undefined> {
    if (this.#finishPromise) return this.#finishPromise;
    if (this.#state === "idle") {
      return Promise.reject(new StateError("finish() needs a connection: call connect() first."));
    }
    const { signal } = opts;
    if (this.#report === undefined) {
      this.#finishing = true;
      this.#keepAlive?.stop();
      this.#queue.push(CLOSE_STREAM_FRAME, false);
      if (this.#state === "open") this.#state = "closing";
      const timeoutMs = opts.timeoutMs ?? this.#client.finishTimeoutMs;
      this.#finishTimer = this.#clock.setTimeout(() => {
        this.#finishTimer = undefined;
        this.#fail(new TimeoutError("ERR_FINISH_TIMEOUT", timeoutMs, { requestId: this.#requestId }));
      }, timeoutMs);
    }
    const whenClosed = this.#whenClosed().then((report) => {
      if (report.error) throw report.error;
      return this.#metadata;
    });
    let onAbort: (() => void) | undefined;
    if (signal && this.#report === undefined) {
      if (signal.aborted) this.abort(signal.reason);
      else {
        onAbort = () => this.abort(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
      }
    }
    this.#finishPromise = whenClosed.finally(() => {
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    });
    return this.#finishPromise;
  }

  /**
   * Closes now without waiting for results; the close report carries an `AbortedError` whose
   * `cause` is `reason`. No effect once closed.
   */
  abort(reason?: unknown): void {
    if (this.#report) return;
    this.#fail(new AbortedError("The session was aborted.", { cause: reason, requestId: this.#requestId }));
  }

  /** Adds a listener. */
  on<E extends keyof LiveSessionEventMap<M>>(
    event: E,
    listener: (...args: LiveSessionEventMap<M>[E]) => void,
  ): this {
    this.#listeners.add(event, listener, false);
    return this;
  }

  /** Adds a listener that is removed after its first call. */
  once<E extends keyof LiveSessionEventMap<M>>(
    event: E,
    listener: (...args: LiveSessionEventMap<M>[E]) => void,
  ): this {
    this.#listeners.add(event, listener, true);
    return this;
  }

  /** Removes a listener. */
  off<E extends keyof LiveSessionEventMap<M>>(
    event: E,
    listener: (...args: LiveSessionEventMap<M>[E]) => void,
  ): this {
    this.#listeners.remove(event, listener);
    return this;
  }

  #assertWritable(what: string): void {
    const report = this.#report;
    if (report) {
      const why = report.error ? ` (${report.error.code}: see cause)` : "";
      throw new StateError(
        `Cannot ${what}: the session is closed${why}.`,
        report.error ? { cause: report.error, requestId: this.#requestId } : { requestId: this.#requestId },
      );
    }
    // Failing (abort(), a timeout, a limit) but not yet closed: what is queued now is thrown
    // away with the socket, so taking it would lose it silently.
    const failure = this.#failure;
    if (failure !== undefined) {
      throw new StateError(`Cannot ${what}: the session is closing (${failure.code}: see cause).`, {
        cause: failure,
        requestId: this.#requestId,
      });
    }
    if (this.#finishing) throw new StateError(`Cannot ${what} after finish().`);
  }

  /** Refuses audio that would take the open socket's buffer past `maxBufferedBytes`. */
  #assertRoomFor(bytes: number): void {
    const limit = this.#client.maxBufferedBytes;
    const buffered = this.bufferedBytes;
    if (buffered + bytes <= limit) return;
    throw new BufferOverflowError(
      limit,
      `Sending ${bytes} more bytes would buffer more than maxBufferedBytes (${limit}); ${buffered} bytes are already waiting for the network and none were dropped. Await send() (or drained()) before sending more, or raise maxBufferedBytes.`,
      { requestId: this.#requestId },
    );
  }

  #openSocket(): void {
    let ws: SessionSocket;
    try {
      ws = platform.openSocket(
        this.#url,
        handshakeFor(this.#client),
        this.#secrets,
        {
          requestId: (id) => {
            this.#requestId = id;
          },
          open: () => this.#onOpen(ws),
          message: (text) => this.#onMessage(text),
          refused: (error) => this.#fail(error),
          error: (error) => this.#onSocketError(error),
          // In Node this comes as soon as the server's close frame arrives: nothing later is read.
          close: (code, reason) => this.#finalize(code, reason),
        },
        this.#client,
      );
    } catch (thrown) {
      this.#failure = new ConnectionError(`Could not start the connection: ${describeError(thrown)}`, {
        cause: thrown,
        secrets: this.#secrets,
      });
      this.#finalize(ABNORMAL_CLOSURE, "");
      return;
    }
    this.#ws = ws;
    this.#connectTimer = this.#clock.setTimeout(() => {
      this.#connectTimer = undefined;
      // A refusal whose body is still arriving is reported as the refusal it is.
      if (!ws.cutRefusal())
        this.#fail(new TimeoutError("ERR_CONNECT_TIMEOUT", this.#client.connectTimeoutMs));
    }, this.#client.connectTimeoutMs);
  }

  #onOpen(ws: SessionSocket): void {
    this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    this.#state = this.#finishing ? "closing" : "open";
    if (this.#readingPaused) ws.pause();
    this.#queue.attach(ws.sink(this.#client.highWaterMarkBytes, () => this.#drain.waiting));
    const pingMs = this.#wire.pingIntervalMs;
    const keepAliveMs = pingMs ?? this.#client.keepAliveIntervalMs;
    if (keepAliveMs !== undefined && !this.#finishing) {
      this.#keepAlive = new KeepAliveScheduler({
        intervalMs: keepAliveMs,
        clock: this.#clock,
        // A ping is not a frame of the stream: it never waits behind audio in the queue.
        send: pingMs !== undefined ? () => ws.ping() : () => this.#queue.push(KEEP_ALIVE_FRAME, false),
      });
      this.#keepAlive.start();
    }
    if (sessionOpenChannel.hasSubscribers) {
      sessionOpenChannel.publish({
        session: this,
        url: this.#url.href,
        requestId: this.#requestId,
        openedAt: this.#clock.now(),
      });
    }
    this.#listeners.emit("open", { requestId: this.#requestId });
    const waiter = this.#connectWaiter;
    this.#connectWaiter = undefined;
    waiter?.resolve();
    this.#checkDrained();
  }

  /**
   * For an engine whose messages are parsed on another thread anyway (the threaded face's
   * engine): frames that mean nothing to this session (the wire's `mayForwardUnparsed`) are
   * emitted as `unparsed` instead of being parsed twice. Such frames are not parsed here at all:
   * `finish()` then resolves without the Metadata. While anyone subscribes to the session
   * message diagnostics channel, every frame is parsed.
   */
  forwardUnparsed(enabled: boolean): void {
    this.#forwardUnparsed = enabled;
  }

  #onMessage(text: string): void {
    const receivedAt = this.#clock.now();
    if (
      this.#forwardUnparsed &&
      !sessionMessageChannel.hasSubscribers &&
      this.#wire.mayForwardUnparsed?.(text) === true
    ) {
      this.#listeners.emit("unparsed", { receivedAt, text });
      return;
    }
    // The endpoint sends no binary frames; one that arrives anyway is parsed like text, so it
    // reaches the user (as Unhandled if it is not a known message) rather than vanishing.
    const message = this.#wire.parse(text);
    if (message.type === "Metadata") this.#metadata = message as unknown as MetadataMessage;
    const failure = this.#wire.failure?.(message, { requestId: this.#requestId, secrets: this.#secrets });
    if (failure !== undefined) this.#failure ??= failure;
    if (sessionMessageChannel.hasSubscribers)
      sessionMessageChannel.publish({ session: this, message, receivedAt });
    this.#listeners.emit("message", message, { receivedAt, text });
  }

  #onSocketError(error: unknown): void {
    const kind = classifySocketError(error);
    const init = { cause: error, requestId: this.#requestId, secrets: this.#secrets };
    if (kind === "network") {
      // ws emits close next.
      this.#failure ??= new ConnectionError(`The connection failed: ${describeError(error)}`, init);
      return;
    }
    // The server broke the protocol: ws has sent its close frame; nothing more is worth reading.
    this.#fail(
      kind === "too-large"
        ? new MessageTooLargeError(this.#client.maxMessageBytes, undefined, init)
        : new ConnectionError(
            `The server sent a frame the WebSocket protocol forbids (${describeError(error)}), so the stream was closed.`,
            init,
          ),
    );
  }

  /** Records `error` as the reason the session ends, and closes the socket now. */
  #fail(error: EarshotError): void {
    if (this.#report) return;
    this.#failure ??= error;
    const ws = this.#ws;
    if (ws === undefined) {
      this.#finalize(ABNORMAL_CLOSURE, "");
      return;
    }
    this.#state = "closing";
    this.#keepAlive?.stop();
    // terminate() ends the connection at once (during connecting it aborts the request); the
    // socket's "close" then finalizes the session with the failure recorded above.
    ws.terminate();
  }

  #finalize(code: number, reason: string): void {
    if (this.#report) return;
    this.#state = "closed";
    this.#keepAlive?.stop();
    this.#keepAlive = undefined;
    this.#clock.clearTimeout(this.#connectTimer);
    this.#clock.clearTimeout(this.#finishTimer);
    this.#connectTimer = this.#finishTimer = undefined;
    this.#detachSignal?.();
    this.#detachSignal = undefined;
    this.#queue.close();
    this.#ws?.detach();
    this.#ws = undefined;
    const report = buildCloseReport({
      code,
      reason,
      requestId: this.#requestId,
      error: this.#failure,
      finishing: this.#finishing,
      secrets: this.#secrets,
    });
    this.#report = report;

    const connectWaiter = this.#connectWaiter;
    this.#connectWaiter = undefined;
    // The session may close before open without anyone awaiting connect() for the error
    // (e.g. abort() while connecting): the promise is still rejected, but marked handled.
    if (connectWaiter) {
      this.#connectPromise?.catch(() => {});
      connectWaiter.reject(report.error ?? new ConnectionError("The connection closed before it opened."));
    }
    this.#drain.settle(report.error);
    this.#resolveClose?.(report);

    if (sessionCloseChannel.hasSubscribers) sessionCloseChannel.publish({ session: this, report });
    this.#listeners.emit("close", report);
    this.#listeners.clear();
  }

  #whenClosed(): Promise<CloseReport> {
    if (this.#report) return Promise.resolve(this.#report);
    this.#closePromise ??= new Promise<CloseReport>((resolve) => {
      this.#resolveClose = resolve;
    });
    return this.#closePromise;
  }

  #checkDrained(): void {
    if (this.#drain.waiting && this.bufferedBytes < this.#client.highWaterMarkBytes) this.#drain.open();
  }

  #reportListenerError(error: CallbackError): void {
    if (this.#listeners.count("listenerError") > 0 && error.event !== "listenerError") {
      this.#listeners.emit("listenerError", error);
      return;
    }
    // Nobody listens (or the listenerError handler itself threw): surface it as a warning on a
    // later microtask, outside the session's own call stack, so the stream is never disturbed.
    warnLater(error);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
