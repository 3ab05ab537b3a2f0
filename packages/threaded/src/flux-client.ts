/**
 * `FluxClient`: Flux (`/v2/listen`, turn-based transcription for voice agents) with synchronous
 * methods and callbacks, the socket on an engine worker. Only the calling convention lives
 * here: the stream is core's Flux stream (on the engine), and its events go through core's
 * `FluxDelivery` (turn tracker, request answers) and `EventPipeline` on this thread, exactly as
 * in the async `AsyncFluxClient`.
 */
import {
  AbortedError,
  type AudioChunk,
  type AudioSource,
  assertKnownOptions,
  DEFAULT_REPLY_TIMEOUT_MS,
  type FluxConfigure,
  type FluxConfigureSuccessMessage,
  type FluxCurrentTurn,
  type FluxEventMap,
  FluxEvents,
  type FluxOptions,
  type FluxTurn,
  FORCE_END_TURN_FRAME,
  type SendFromOptions,
  StateError,
  validateFluxOptions,
} from "@earshot/core";
import {
  type EventPipeline,
  FluxDelivery,
  type FluxRequests,
  type PendingReply,
  PipelineClient,
  type PipelineEvents,
  type StreamEventSink,
} from "@earshot/core/internal";
import { FLUX_CLIENT_OPTION_NAMES, type FluxClientOptions } from "./options.ts";
import type { StreamMessage } from "./port-protocol.ts";
import type { ThreadedStream } from "./threaded-stream.ts";
import { threadedStreamFor } from "./threaded-stream-for.ts";

const IDLE_TURN: FluxCurrentTurn = {
  turnIndex: 0,
  state: "idle",
  transcript: "",
  words: [],
  eagerTranscript: undefined,
};

/**
 * A Flux stream with synchronous methods and callbacks: typed events per `TurnInfo.event`,
 * every finished turn on `turn`, `configure()` and `forceEndTurn()` returning the server's
 * answer (blocking, at most `replyTimeoutMs`, while events keep being taken).
 *
 * @example
 * ```ts
 * import { FluxClient, FluxEvents } from "@earshot/threaded";
 *
 * using client = new FluxClient({ apiKey: process.env.DEEPGRAM_API_KEY, reconnect: true });
 * client.on(FluxEvents.EagerEndOfTurn, (info) => startReply(info.transcript));
 * client.on(FluxEvents.TurnResumed, () => cancelReply());
 * client.on(FluxEvents.Turn, (turn) => console.log(turn.turnIndex, turn.transcript, turn.trigger));
 * if (client.start({ model: "flux-general-en", encoding: "linear16", sample_rate: 16000, eager_eot_threshold: 0.5 })) {
 *   for (const chunk of chunks) client.send(chunk);
 *   client.finish(); // every message has been delivered when this returns
 * }
 * ```
 */
export class FluxClient extends PipelineClient<FluxEventMap> implements Disposable {
  readonly #stream: ThreadedStream;
  readonly #replyTimeoutMs: number;
  #delivery: FluxDelivery | undefined;

  /**
   * Does not connect.
   * @throws OptionsError for an unknown option (naming the nearest) or one that cannot work;
   *   RangeError for a bad `replyTimeoutMs`.
   */
  constructor(options: FluxClientOptions = {}) {
    super(Object.values(FluxEvents));
    assertKnownOptions(options, FLUX_CLIENT_OPTION_NAMES);
    const { replyTimeoutMs, ...streamOptions } = options;
    this.#replyTimeoutMs = replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
    if (!(Number.isFinite(this.#replyTimeoutMs) && this.#replyTimeoutMs > 0))
      throw new RangeError(`replyTimeoutMs must be a positive number of ms, not ${String(replyTimeoutMs)}`);
    this.#stream = threadedStreamFor(
      streamOptions,
      FLUX_CLIENT_OPTION_NAMES,
      this.events as unknown as EventPipeline<PipelineEvents>,
    );
  }

  /** The turn in progress as the events delivered so far tell it (index, state, transcript, words). */
  get currentTurn(): FluxCurrentTurn {
    return this.#delivery?.tracker.current ?? IDLE_TURN;
  }

  /**
   * Opens the stream; blocks until the server accepts or refuses, delivering `Open` — or
   * `Error` and `Close` — before returning.
   * @returns true when the stream is open.
   * @throws OptionsError when `options` cannot work (checked before connecting, ranges
   *   included); StateError while a stream of this client is open.
   * @example `if (!client.start({ model: "flux-general-en" })) process.exitCode = 1;`
   */
  start(options: FluxOptions): boolean {
    validateFluxOptions(options);
    const delivery = new FluxDelivery(this.events, options, { secrets: this.#stream.secrets });
    const started = this.#stream.start("flux", options, delivery as StreamEventSink<StreamMessage>);
    this.#delivery = delivery;
    return started;
  }

  /**
   * Queues audio (about 80 ms per chunk is what Flux advises); waits (at most
   * `sendTimeoutMs`) only while the engine's ring is full.
   * @returns false once closed, before `start()`/after `finish()` (an `Error` says so), or when
   *   the wait for room timed out.
   */
  send(chunk: AudioChunk): boolean {
    return this.#stream.send(chunk);
  }

  /**
   * Sends a whole source through `send()`, optionally paced in real time (Flux times turns by
   * the audio received). Rejects as soon as the stream ends.
   * @example `await client.sendFrom(fs.createReadStream("call.wav"), { pace: "realtime" });`
   */
  sendFrom(source: AudioSource, options: SendFromOptions = {}): Promise<void> {
    return this.#stream.sendFrom(source, options);
  }

  /**
   * Changes thresholds, keyterms or language hints mid-stream (behind the audio already sent)
   * and returns the server's `ConfigureSuccess` (every value now in force), blocking until the
   * answer (events are taken and delivered meanwhile).
   * @throws OptionsError for a change that cannot work (ranges, eager ≤ eot against the values
   *   in force, at most 100 keyterms); ConfigureRejectedError when the server refuses (the old
   *   settings stay); TimeoutError (`ERR_REPLY_TIMEOUT`) after `replyTimeoutMs`; StateError
   *   when the stream is not open or ends first.
   * @example `client.configure({ thresholds: { eager_eot_threshold: 0.4 }, keyterms: ["earshot"] });`
   */
  configure(change: FluxConfigure): FluxConfigureSuccessMessage {
    return this.#request(
      "configure()",
      (requests) => requests.configureFrame(change),
      (requests) => requests.expectConfigure(),
    );
  }

  /**
   * Ends the current turn now (behind the audio already sent): returns that turn (trigger
   * `"manual"`), or `undefined` when no turn was open. Blocks until the answer.
   * @throws TimeoutError (`ERR_REPLY_TIMEOUT`) after `replyTimeoutMs`; StateError when the
   *   stream is not open or ends first.
   * @example `const turn = client.forceEndTurn(); if (turn) reply(turn.transcript);`
   */
  forceEndTurn(): FluxTurn | undefined {
    return this.#request(
      "forceEndTurn()",
      () => FORCE_END_TURN_FRAME,
      (requests) => requests.expectForceEndTurn(),
    );
  }

  /**
   * CloseStream behind all queued audio, then blocks (at most `finishTimeoutMs` + grace) until
   * the server closed; the last Updates, an open turn (on `turn`, trigger `"unfinalised"`) and
   * `Close` are delivered before it returns. Flux sends no Metadata.
   * @returns true when the server closed the stream cleanly.
   */
  finish(): boolean {
    return this.#stream.finish();
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

  /** Sends a request's frame and blocks (at most `replyTimeoutMs`) for its answer. */
  #request<T>(
    method: string,
    frameOf: (requests: FluxRequests) => string,
    expect: (requests: FluxRequests) => PendingReply<T>,
  ): T {
    const requests = this.#delivery?.requests;
    if (requests === undefined || !this.#stream.open) {
      throw this.events.closed
        ? this.events.refusal(method)
        : new StateError(`${method} needs an open stream: call start() first (and not after finish()).`);
    }
    if (!this.#stream.control(method, frameOf(requests))) throw this.events.refusal(method);
    const reply = expect(requests);
    if (!this.#stream.waitUntil(() => reply.state.status !== "pending", this.#replyTimeoutMs))
      reply.timeOut(this.#replyTimeoutMs);
    const state = reply.state;
    if (state.status === "resolved") return state.value;
    if (state.status === "rejected") throw state.error;
    throw new StateError(`${method}: no answer`);
  }
}
