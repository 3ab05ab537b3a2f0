/**
 * `AsyncFluxClient`: Flux (`/v2/listen`, turn-based transcription for voice agents) with promises
 * and `for await`. Only the calling convention lives here: the stream is core's Flux stream, its
 * events go through core's `FluxDelivery` (turn tracker, request answers) and `EventPipeline`,
 * exactly as in the threaded `FluxClient`.
 */
import {
  AbortedError,
  type AudioChunk,
  type AudioSource,
  type ClientOptions,
  createFluxStream,
  type FluxConfigure,
  type FluxConfigureSuccessMessage,
  type FluxCurrentTurn,
  type FluxEventMap,
  FluxEvents,
  type FluxOptions,
  type FluxServerMessage,
  type FluxTurn,
  FORCE_END_TURN_FRAME,
  type ReconnectedInfo,
  type ReconnectingSession,
  type SendFromOptions,
  type SessionState,
  StateError,
} from "@earshot/core";
import {
  deliverStreamEvents,
  type FluxDelivery,
  type FluxRequests,
  type PendingReply,
  PipelineClient,
  sendFrom,
} from "@earshot/core/internal";
import {
  type AsyncFluxClientOptions,
  FLUX_SHEDDING,
  resolveFluxClientOptions,
  TURN_SHEDDING,
} from "./flux-options.ts";
import { MessageHub, type MessageSubscription } from "./message-stream.ts";
import type { FinishOptions, SendOptions, StartOptions } from "./options.ts";
import { audioFormat, disposeStream, fluxDeliveryFor, IDLE_TURN, settleReply } from "./stream-helpers.ts";

/**
 * A Flux stream with promise methods: typed events per `TurnInfo.event`, `for await` over
 * finished turns ({@link AsyncFluxClient.turns}) and over every message (the client itself),
 * `configure()` and `forceEndTurn()` settled by the server's answer. One client is one stream.
 *
 * @example
 * ```ts
 * await using client = new AsyncFluxClient({ apiKey: process.env.DEEPGRAM_API_KEY, reconnect: true });
 * client.on(FluxEvents.EagerEndOfTurn, (info) => startReply(info.transcript));
 * client.on(FluxEvents.TurnResumed, () => cancelReply());
 * await client.start({ model: "flux-general-en", encoding: "linear16", sample_rate: 16000, eager_eot_threshold: 0.5 });
 * const printing = (async () => {
 *   for await (const turn of client.turns()) console.log(turn.turnIndex, turn.transcript, turn.trigger);
 * })();
 * await client.sendFrom(microphone);
 * await client.finish();
 * await printing;
 * ```
 */
export class AsyncFluxClient
  extends PipelineClient<FluxEventMap>
  implements AsyncIterable<FluxServerMessage>, AsyncDisposable
{
  readonly #clientOptions: ClientOptions;
  readonly #replyTimeoutMs: number;
  /** Credentials no error may show (the server's text goes into some). */
  readonly #secrets: readonly (string | undefined)[];
  readonly #messages: MessageHub<FluxServerMessage>;
  readonly #turns: MessageHub<FluxTurn>;
  /** Aborted, with the refusal as reason, once the stream has ended. */
  readonly #ended = new AbortController();
  #stream: ReconnectingSession<FluxServerMessage> | undefined;
  #delivery: FluxDelivery | undefined;
  #options: FluxOptions | undefined;
  #abortedBeforeStart: AbortedError | undefined;
  /** The last configure() in line: one Configure is in flight at a time (§8.7). */
  #configuring: Promise<unknown> = Promise.resolve();

  /**
   * Does not connect; {@link AsyncFluxClient.start} does.
   *
   * @throws OptionsError for an unknown option (naming the nearest known one) or one that
   *   cannot work; RangeError for bad bounds, reconnect numbers or `replyTimeoutMs`.
   */
  constructor(options: AsyncFluxClientOptions = {}) {
    super(Object.values(FluxEvents));
    const resolved = resolveFluxClientOptions(options);
    this.#clientOptions = resolved.clientOptions;
    this.#replyTimeoutMs = resolved.replyTimeoutMs;
    this.#secrets = resolved.secrets;
    const iteratorBounds = resolved.iteratorBounds;
    this.#messages = new MessageHub<FluxServerMessage>(iteratorBounds, FLUX_SHEDDING);
    this.#turns = new MessageHub<FluxTurn>(iteratorBounds, TURN_SHEDDING);
  }

  /** `"idle"` before `start()`, then the stream's state (`"connecting"` also between two connections). */
  get state(): SessionState {
    if (this.#abortedBeforeStart !== undefined) return "closed";
    return this.#stream?.state ?? "idle";
  }

  /** How many times the stream has reconnected (0 without the `reconnect` option). */
  get reconnects(): number {
    return this.#stream?.reconnects ?? 0;
  }

  /** What the latest reconnect did, if any. */
  get lastReconnect(): ReconnectedInfo | undefined {
    return this.#stream?.lastReconnect;
  }

  /** The stream's `dg-request-id`, once the server has sent it. */
  get requestId(): string | undefined {
    return this.#stream?.requestId;
  }

  /** Bytes accepted but not yet handed to the network. */
  get bufferedBytes(): number {
    return this.#stream?.bufferedBytes ?? 0;
  }

  /** The turn in progress as the events delivered so far tell it (index, state, transcript, words). */
  get currentTurn(): FluxCurrentTurn {
    return this.#delivery?.tracker.current ?? IDLE_TURN;
  }

  /** Whether the socket is open. */
  isConnected(): boolean {
    return this.#stream?.state === "open";
  }

  /**
   * Connects; resolves once open (after `Open`). Audio sent before waits in order. `signal` bounds connecting only.
   * @throws OptionsError for options that cannot work (checked before connecting, ranges
   *   included); HandshakeError (400, 401, …), TimeoutError, ConnectionError or AbortedError
   *   when connecting fails (after `Error` and `Close`).
   * @example `await client.start({ model: "flux-general-en", encoding: "linear16", sample_rate: 16000 });`
   */
  async start(options: FluxOptions, { signal }: StartOptions = {}): Promise<void> {
    if (this.#abortedBeforeStart !== undefined) throw this.#abortedBeforeStart;
    if (this.#stream !== undefined) {
      throw new StateError(
        "start() was already called on this client; create a new AsyncFluxClient for a new stream.",
      );
    }
    const stream = createFluxStream({ options, client: this.#clientOptions });
    const delivery = fluxDeliveryFor(this.events, options, this.#secrets, this.#messages, this.#turns);
    this.#stream = stream;
    this.#delivery = delivery;
    this.#options = options;
    deliverStreamEvents(stream, delivery, this.events, {
      message: (message, info) => this.#messages.publish(message, info.text.length),
      closed: () => this.#ended.abort(this.events.refusal("sendFrom()")),
    });
    await stream.connect(signal === undefined ? {} : { signal });
  }

  /**
   * Queues audio behind everything sent before; resolves once the send buffer is under
   * `highWaterMarkBytes`. About 80 ms per chunk is what Flux advises.
   * @throws AudioChunkError for non-bytes; StateError before `start()`, after `finish()`, or once closed.
   */
  async send(chunk: AudioChunk, { signal }: SendOptions = {}): Promise<void> {
    const stream = this.#writable("send()");
    if (stream.send(chunk)) return;
    try {
      await stream.drained(signal === undefined ? {} : { signal });
    } catch (error) {
      if (this.events.closed && !(error instanceof AbortedError)) throw this.events.refusal("send()");
      throw error;
    }
  }

  /**
   * Sends a whole source (Node `Readable`, Web `ReadableStream`, (async) iterable) with
   * backpressure, optionally paced in real time; resolves when it ends, rejects as soon as the
   * stream ends. Flux times turns by the audio received, so pace live sources in real time.
   * @example `await client.sendFrom(fs.createReadStream("call.wav"), { pace: "realtime" });`
   */
  async sendFrom(source: AudioSource, options: SendFromOptions = {}): Promise<void> {
    this.#writable("sendFrom()");
    await sendFrom(source, options, {
      liveOptions: audioFormat(this.#options),
      send: (chunk, signal) => this.send(chunk, signal === undefined ? {} : { signal }),
      ended: this.#ended.signal,
    });
  }

  /**
   * Changes thresholds, keyterms or language hints mid-stream (behind the audio already sent)
   * and resolves with the server's `ConfigureSuccess` (every value now in force). Calls wait
   * their turn: one Configure is in flight at a time.
   * @throws OptionsError for a change that cannot work (ranges, eager ≤ eot against the values
   *   in force, at most 100 keyterms); ConfigureRejectedError when the server refuses (the old
   *   settings stay); TimeoutError (`ERR_REPLY_TIMEOUT`) after `replyTimeoutMs`; StateError
   *   when the stream is not open or ends first.
   * @example `await client.configure({ thresholds: { eager_eot_threshold: 0.4 }, keyterms: ["earshot"] });`
   */
  configure(change: FluxConfigure): Promise<FluxConfigureSuccessMessage> {
    const run = this.#configuring.then(() =>
      this.#request(
        "configure()",
        (requests) => requests.configureFrame(change),
        (requests) => requests.expectConfigure(),
      ),
    );
    this.#configuring = run.catch(() => undefined);
    return run;
  }

  /**
   * Ends the current turn now (behind the audio already sent): resolves with that turn
   * (trigger `"manual"`), or `undefined` when no turn was open (the server's Warning
   * `FORCE_END_TURN_NO_ACTIVE_TURN`). Later audio belongs to the next turn.
   * @throws TimeoutError (`ERR_REPLY_TIMEOUT`) after `replyTimeoutMs`; StateError when the
   *   stream is not open or ends first.
   * @example `const turn = await client.forceEndTurn(); if (turn) reply(turn.transcript);`
   */
  forceEndTurn(): Promise<FluxTurn | undefined> {
    return this.#request(
      "forceEndTurn()",
      () => FORCE_END_TURN_FRAME,
      (requests) => requests.expectForceEndTurn(),
    );
  }

  /**
   * Ends the stream: CloseStream goes out behind everything queued, the server decodes what it
   * has (its last Updates; CloseStream does not end the open turn, which `turn` then hands over
   * as `"unfinalised"`: call `forceEndTurn()` first for a proper EndOfTurn) and closes. Resolves
   * after every message was delivered and `Close` fired; Flux sends no Metadata.
   * @throws TimeoutError (`ERR_FINISH_TIMEOUT`), AbortedError, or the error the stream failed with.
   * @example `await client.finish({ timeout: 5000 });`
   */
  async finish({ timeout, signal }: FinishOptions = {}): Promise<void> {
    if (this.#stream === undefined) return;
    await this.#stream.finish({
      ...(timeout === undefined ? {} : { timeoutMs: timeout }),
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** Closes the socket now. `Close` reports an `AbortedError` (once). */
  abort(reason?: unknown): void {
    if (this.#stream !== undefined) {
      this.#stream.abort(reason);
      return;
    }
    if (this.#abortedBeforeStart === undefined) {
      this.#abortedBeforeStart = new AbortedError("The client was aborted before start().", {
        cause: reason,
      });
      this.#messages.end(this.#abortedBeforeStart);
      this.#turns.end(this.#abortedBeforeStart);
    }
  }

  /** `await using`: finishes when open (bounded by `finishTimeoutMs`), else aborts. Never throws. */
  async [Symbol.asyncDispose](): Promise<void> {
    await disposeStream(this);
  }

  /** Every server message from now on (own bounded buffer; `break` detaches it). */
  [Symbol.asyncIterator](): MessageSubscription<FluxServerMessage, FluxServerMessage> {
    return this.#messages.subscribe();
  }

  /**
   * Every finished turn from now on, as `{ turnIndex, transcript, words, start, end, trigger }`
   * (one per EndOfTurn; a turn still open at close comes last with trigger `"unfinalised"`).
   */
  turns(): MessageSubscription<FluxTurn, FluxTurn> {
    return this.#turns.subscribe();
  }

  /** The stream, or the error for calling `method` now (before start, or once closed). */
  #writable(method: string): ReconnectingSession<FluxServerMessage> {
    if (this.#stream === undefined)
      throw this.#abortedBeforeStart ?? new StateError(`${method} needs a stream: call start() first.`);
    if (this.events.closed) throw this.events.refusal(method);
    return this.#stream;
  }

  /** Sends a request's frame and waits (at most `replyTimeoutMs`) for its answer. */
  async #request<T>(
    method: string,
    frameOf: (requests: FluxRequests) => string,
    expect: (requests: FluxRequests) => PendingReply<T>,
  ): Promise<T> {
    const stream = this.#writable(method);
    const { requests } = this.#delivery as FluxDelivery;
    stream.sendControl(frameOf(requests));
    return settleReply(expect(requests), this.#replyTimeoutMs);
  }
}
