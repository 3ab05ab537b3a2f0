/**
 * `LiveClient`: the threaded face. Only the calling convention lives here: synchronous
 * methods and callbacks, the stream on an engine worker (core's `ReconnectingSession`), frames
 * encoded by core's encoder on this thread, events through core's `EventPipeline` as in the
 * async face.
 */
import type { MessagePort } from "node:worker_threads";
import {
  AbortedError,
  type AudioChunk,
  type AudioSource,
  anyClientDiagnosticsWanted,
  assertKnownOptions,
  CLIENT_OPTION_NAMES,
  type ClientOptions,
  configureFrame,
  type EarshotError,
  finalizeFrame,
  KEEP_ALIVE_FRAME,
  type LiveOptions,
  type LiveTranscriptionEventMap,
  LiveTranscriptionEvents,
  resolveClientOptions,
  type SendFromOptions,
  StateError,
  TimeoutError,
  toAudioFrame,
  validateLiveOptions,
} from "@earshot/core";
import { PipelineClient, sendFrom } from "@earshot/core/internal";
import { leaseEngine } from "./engine-lease.ts";
import { engineWorkerFileUrl, setEnginePoolSize } from "./engine-pool.ts";
import {
  checkLiveClientOptions,
  engineClientOptions,
  LIVE_CLIENT_OPTION_NAMES,
  type LiveClientOptions,
} from "./options.ts";
import { RecordKind } from "./ring-buffer.ts";
import { type RingWriteLimits, writeAudio, writeControl, writeRecord } from "./ring-writes.ts";
import { SessionChannel } from "./session-channel.ts";
import { allocateSessionMemory, normalizeRingBytes, SessionPhase } from "./shared-state.ts";

/** Extra time the engine may need beyond the socket's own timeouts: starting a worker thread. */
const ENGINE_GRACE_MS = 5_000;
const OPTION_NAMES = [...CLIENT_OPTION_NAMES, ...LIVE_CLIENT_OPTION_NAMES];
let streams = 0;

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
  readonly #clientOptions: ClientOptions;
  readonly #engine: MessagePort | undefined;
  readonly #engineWorkerUrl: URL | undefined;
  readonly #limits: RingWriteLimits;
  readonly #maxBufferedEvents: number;
  readonly #connectTimeoutMs: number;
  readonly #finishTimeoutMs: number;
  #channel: SessionChannel | undefined;
  #liveOptions: LiveOptions = {};
  #ended = new AbortController();

  /**
   * Does not connect. @throws OptionsError for an unknown option (naming the nearest) or one
   * that cannot work (such as an `engineWorkerFile` that is not a path or URL).
   */
  constructor(options: LiveClientOptions = {}) {
    super(Object.values(LiveTranscriptionEvents));
    assertKnownOptions(options, OPTION_NAMES);
    checkLiveClientOptions(options);
    const {
      engine,
      ringBytes,
      sendTimeoutMs,
      maxBufferedEvents,
      poolSize,
      engineWorkerFile,
      ...clientOptions
    } = options;
    const resolved = resolveClientOptions(clientOptions);
    this.#clientOptions = engineClientOptions(clientOptions, resolved.apiKey);
    this.#engine = engine;
    this.#engineWorkerUrl =
      engineWorkerFile === undefined ? undefined : engineWorkerFileUrl(engineWorkerFile, "engineWorkerFile");
    const ring = normalizeRingBytes(ringBytes ?? 256 * 1024);
    this.#limits = { ringBytes: ring, sendTimeoutMs: sendTimeoutMs ?? 10_000 };
    this.#maxBufferedEvents = maxBufferedEvents ?? 10_000;
    this.#connectTimeoutMs = resolved.connectTimeoutMs;
    this.#finishTimeoutMs = resolved.finishTimeoutMs;
    if (poolSize !== undefined && engine === undefined) setEnginePoolSize(poolSize);
    // sendFrom() settles as soon as the stream ends, whichever way the Close came.
    this.events.on("close", () => this.#ended.abort(this.events.refusal("sendFrom()")));
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
    if (this.#channel !== undefined && !this.#channel.closed) {
      throw new StateError(
        "start() was called while this client's stream is still open: call finish() first.",
      );
    }
    validateLiveOptions(options);
    this.events.reopen();
    this.#ended = new AbortController();
    this.#liveOptions = options;
    const channel = new SessionChannel(allocateSessionMemory(this.#limits.ringBytes), this.events);
    this.#channel = channel;
    const deadline = performance.now() + this.#connectTimeoutMs + ENGINE_GRACE_MS;
    try {
      const lease = leaseEngine(channel, deadline, this.#engine, this.#engineWorkerUrl);
      channel.attach(lease);
      lease.open({
        type: "earshot:open-session",
        port: channel.enginePort,
        memory: channel.memory,
        options,
        client: this.#clientOptions,
        maxBufferedEvents: this.#maxBufferedEvents,
        diagnostics: anyClientDiagnosticsWanted(),
        streamId: `threaded-${++streams}`,
      });
      channel.waitWhilePhase(SessionPhase.Connecting, deadline);
      channel.drain();
      if (!channel.closed && channel.phase === SessionPhase.Connecting) {
        channel.fail(new TimeoutError("ERR_CONNECT_TIMEOUT", this.#connectTimeoutMs));
      } else if (!channel.closed && channel.phase === SessionPhase.Closed) {
        channel.fail(channel.closedWithoutReport());
      }
    } catch (error) {
      channel.fail(error as EarshotError);
    }
    this.events.flush();
    return channel.opened && !channel.closed;
  }

  /**
   * Queues audio; waits (at most `sendTimeoutMs`) only while the engine's ring is full.
   * @returns false once closed (no event: `Close` was last), before `start()`/after `finish()`
   *   (an `Error` says so), or when the wait for room timed out.
   * @throws AudioChunkError when `chunk` is not bytes.
   */
  send(chunk: AudioChunk): boolean {
    const frame = toAudioFrame(chunk);
    const channel = this.#writable("send()");
    if (channel === undefined) return false;
    return frame === undefined || writeAudio(channel, frame, this.#limits, (error) => this.#report(error));
  }

  /**
   * Sends a whole source (Node `Readable`, (async) iterable) through `send()`, optionally paced
   * in real time; blocks this thread only as `send()` does. Resolves when the source ends;
   * rejects as soon as the stream ends (a `StateError` whose `cause` closed it).
   * @example `await client.sendFrom(fs.createReadStream("call.raw"), { pace: "realtime" });`
   */
  async sendFrom(source: AudioSource, options?: SendFromOptions): Promise<void> {
    const ended = this.#ended.signal;
    await sendFrom(source, options, {
      liveOptions: this.#liveOptions,
      ended,
      send: async (chunk) => {
        if (!this.send(chunk)) throw this.events.closed ? ended.reason : this.events.refusal("sendFrom()");
      },
      assertWritable: () => {
        const refusal = this.#refusal("sendFrom()");
        if (refusal !== undefined) throw refusal;
      },
    });
  }

  /** Queues a KeepAlive behind the audio already sent; false when the stream is not open. */
  keepAlive(): boolean {
    return this.#control("keepAlive()", KEEP_ALIVE_FRAME);
  }

  /** Asks for pending audio as finals (`from_finalize`). @throws RangeError for a bad channel (core's encoder). */
  finalize(channel?: number): boolean {
    return this.#control("finalize()", finalizeFrame(channel));
  }

  /** Changes features mid-stream, e.g. `configure({ numerals: true })`; false when not open. */
  configure(features: Record<string, unknown>): boolean {
    return this.#control("configure()", configureFrame(features));
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
    const channel = this.#channel;
    if (channel === undefined) return false;
    const timeoutMs = options.timeout ?? this.#finishTimeoutMs;
    if (!channel.closed && !channel.finishing) {
      channel.finishing = true;
      const deadline = performance.now() + timeoutMs;
      // The engine's session enforces the timeout, so its close report is the one the async face gives.
      const payload = options.timeout === undefined ? undefined : new TextEncoder().encode(String(timeoutMs));
      writeRecord(channel, RecordKind.Finish, payload, this.#limits, () => {}, deadline);
    }
    channel.deliverUntilClosed(performance.now() + timeoutMs + ENGINE_GRACE_MS);
    if (!channel.closed) {
      channel.fail(
        channel.phase === SessionPhase.Closed
          ? channel.closedWithoutReport()
          : new TimeoutError("ERR_FINISH_TIMEOUT", timeoutMs),
      );
    }
    this.events.flush();
    return channel.cleanClose;
  }

  /** Closes now: `Error` (AbortedError, `cause` = `reason`) and `Close` once, before it returns. */
  abort(reason?: unknown): void {
    this.#channel?.fail(new AbortedError("The stream was aborted.", { cause: reason }));
    this.events.flush();
  }

  /** `using client = …`: finishes when open (bounded by `finishTimeoutMs`), else aborts. */
  [Symbol.dispose](): void {
    if (this.isConnected()) this.finish();
    this.abort(new AbortedError("The client was disposed."));
  }

  /** True while the stream is open. */ isConnected(): boolean {
    const channel = this.#channel;
    return channel !== undefined && !channel.closed && channel.phase === SessionPhase.Open;
  }

  #control(method: string, frame: string): boolean {
    const channel = this.#writable(method);
    return (
      channel !== undefined && writeControl(channel, frame, this.#limits, (error) => this.#report(error))
    );
  }

  /** The open channel, or undefined: silently once closed, with an `Error` before start / after finish. */
  #writable(method: string): SessionChannel | undefined {
    const channel = this.#channel;
    if (channel?.closed) return undefined;
    const refusal = this.#refusal(method);
    if (refusal === undefined) return channel;
    this.#report(refusal);
    return undefined;
  }

  /** Why `method` cannot write now (a `StateError`; once closed its `cause` closed the stream), or undefined. */
  #refusal(method: string): StateError | undefined {
    const channel = this.#channel;
    if (channel?.closed) return this.events.refusal(method);
    if (channel !== undefined && !channel.finishing && channel.phase === SessionPhase.Open) return undefined;
    const why = channel === undefined ? "start() was never called" : "finish() was already called";
    return new StateError(`${method} was refused: ${why}.`);
  }

  #report(error: EarshotError): void {
    this.events.error(error);
    this.events.flush();
  }
}
