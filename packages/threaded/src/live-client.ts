/**
 * `LiveClient`: the threaded face. Synchronous methods and callbacks; the socket lives on an
 * engine worker (core's `LiveSession`), so a busy or blocked application thread never starves
 * the stream.
 */
import type { MessagePort } from "node:worker_threads";
import type { LiveTranscriptionEvent, LiveTranscriptionHandler } from "@earshot/core";
import {
  type AudioChunk,
  BufferOverflowError,
  type ClientOptions,
  type EarshotError,
  type LiveOptions,
  resolveClientOptions,
  StateError,
  TimeoutError,
  toAudioFrame,
  validateLiveOptions,
  WorkerExitedError,
} from "@earshot/core";
import { acquireEngine, type EngineLease, setEnginePoolSize } from "./engine-pool.ts";
import { EventDelivery } from "./event-delivery.ts";
import { RecordKind } from "./ring-buffer.ts";
import { SessionChannel } from "./session-channel.ts";
import { allocateSessionMemory, normalizeRingBytes, SessionPhase, Slot } from "./shared-state.ts";

/** How a {@link LiveClient} connects; every {@link ClientOptions} field applies too. */
export interface LiveClientOptions extends ClientOptions {
  /**
   * A port served by {@link serveLiveSessions} on a thread you own: sessions run there
   * instead of on the pool's engine worker.
   * @default the process-wide engine pool
   */
  engine?: MessagePort;
  /**
   * Bytes of the shared ring that carries audio to the engine (rounded up to a power of two,
   * 4 KiB–64 MiB). When it is full, `send()` waits for room.
   * @default 262144 (about 8 s of 16 kHz linear16)
   */
  ringBytes?: number;
  /** How long `send()` (and the control methods) may wait for ring room before returning false. @default 10000 */
  sendTimeoutMs?: number;
  /**
   * Events the engine may hold for this thread while it is busy; beyond that the stream is
   * closed with a SlowConsumerError rather than growing memory without bound.
   * @default 10000
   */
  maxBufferedEvents?: number;
  /** Sets the engine pool's size (see {@link setEnginePoolSize}); ignored with `engine`. @default 1 */
  poolSize?: number;
}

/** Extra time the engine may need beyond the socket's own timeouts: starting a worker thread. */
const ENGINE_GRACE_MS = 5_000;
const DEFAULT_RING_BYTES = 256 * 1024;
const DEFAULT_SEND_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BUFFERED_EVENTS = 10_000;

/**
 * A live transcription stream with synchronous methods and callbacks.
 *
 * - `start()` blocks until the socket is open (or refused) and delivers `Open` before it returns.
 * - `send()` never waits on the network: audio goes to the engine through shared memory.
 * - `finish()` sends CloseStream behind all audio, blocks until the server has closed, and
 *   delivers every remaining event — last finals, `Metadata`, then `Close` — before returning.
 * - Other events arrive when this thread's event loop is free; events the engine received while
 *   the thread was blocked are all delivered afterwards, in order.
 *
 * @example
 * ```ts
 * import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
 *
 * const client = new LiveClient({ apiKey: process.env.DEEPGRAM_API_KEY });
 * client.on(LiveTranscriptionEvents.Transcript, (result) => {
 *   if (result.is_final) console.log(result.channel.alternatives[0]?.transcript);
 * });
 * client.on(LiveTranscriptionEvents.Error, (error) => console.error(error.code, error.message));
 * if (client.start({ model: "nova-3", encoding: "linear16", sample_rate: 16000 })) {
 *   for (const chunk of chunks) client.send(chunk);
 *   client.finish(); // every final result has been delivered when this returns
 * }
 * ```
 */
export class LiveClient {
  readonly #delivery = new EventDelivery();
  readonly #clientOptions: ClientOptions;
  readonly #engine: MessagePort | undefined;
  readonly #ringBytes: number;
  readonly #sendTimeoutMs: number;
  readonly #maxBufferedEvents: number;
  readonly #connectTimeoutMs: number;
  readonly #finishTimeoutMs: number;
  #channel: SessionChannel | undefined;

  /**
   * @param options - connection options (url, credentials, timeouts, keepAlive…) and where the
   * engine runs. Nothing connects until {@link LiveClient.start}.
   */
  constructor(options: LiveClientOptions = {}) {
    const { engine, ringBytes, sendTimeoutMs, maxBufferedEvents, poolSize, ...clientOptions } = options;
    const resolved = resolveClientOptions(clientOptions);
    // The engine thread may not see this thread's environment (an embedding worker, or a
    // DEEPGRAM_API_KEY set after the pool started): hand it the key resolved here.
    this.#clientOptions =
      clientOptions.apiKey === undefined &&
      clientOptions.accessToken === undefined &&
      resolved.apiKey !== undefined
        ? { ...clientOptions, apiKey: resolved.apiKey }
        : clientOptions;
    this.#engine = engine;
    this.#ringBytes = normalizeRingBytes(ringBytes ?? DEFAULT_RING_BYTES);
    this.#sendTimeoutMs = sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    this.#maxBufferedEvents = maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS;
    this.#connectTimeoutMs = resolved.connectTimeoutMs;
    this.#finishTimeoutMs = resolved.finishTimeoutMs;
    if (poolSize !== undefined && engine === undefined) setEnginePoolSize(poolSize);
  }

  /**
   * Opens the stream. Blocks this thread (at most `connectTimeoutMs` plus the time to start the
   * engine) until the server accepts or refuses, then delivers `Open` — or `Error` and `Close` —
   * before returning. Called from inside a callback, those events are delivered right after
   * that callback returns.
   *
   * @param options - the live transcription options (model, encoding, sample_rate, …).
   * @returns true when the stream is open.
   * @throws OptionsError when `options` cannot work (nothing is connected).
   * @throws StateError when a stream of this client is still open.
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
    const channel = new SessionChannel(allocateSessionMemory(this.#ringBytes), this.#delivery);
    this.#channel = channel;
    const lease = this.#lease(channel);
    channel.attach(lease);
    lease.open({
      type: "earshot:open-session",
      port: channel.enginePort,
      memory: channel.memory,
      options,
      client: this.#clientOptions,
      maxBufferedEvents: this.#maxBufferedEvents,
    });
    const deadline = performance.now() + this.#connectTimeoutMs + ENGINE_GRACE_MS;
    channel.waitWhilePhase(SessionPhase.Connecting, deadline);
    channel.drain();
    if (!channel.closed && channel.phase === SessionPhase.Connecting) {
      channel.fail(new TimeoutError("ERR_CONNECT_TIMEOUT", this.#connectTimeoutMs));
    } else if (!channel.closed && channel.phase === SessionPhase.Closed) {
      channel.fail(this.#closedWithoutReport(channel));
    }
    this.#delivery.flush();
    return channel.opened;
  }

  /**
   * Queues audio for the engine. Never waits on the network; waits (at most `sendTimeoutMs`)
   * only while the engine's ring is full, which slows a producer that is faster than the
   * network instead of growing memory. Empty chunks are dropped.
   *
   * @returns false when the stream is not open or the wait for room timed out; an `Error`
   * event (StateError or BufferOverflowError) says which.
   * @throws AudioChunkError when `chunk` is not bytes.
   * @example
   * ```ts
   * for (const chunk of chunks) if (!client.send(chunk)) break;
   * ```
   */
  send(chunk: AudioChunk): boolean {
    const frame = toAudioFrame(chunk);
    const channel = this.#writable("send()");
    if (channel === undefined) return false;
    if (frame === undefined) return true;
    const max = channel.writer.maxPayloadBytes;
    if (frame.byteLength <= max) return this.#write(channel, RecordKind.Audio, frame);
    // Bigger than a ring record may be: split (the bytes on the wire are the same).
    for (let offset = 0; offset < frame.byteLength; offset += max) {
      if (!this.#write(channel, RecordKind.Audio, frame.subarray(offset, offset + max))) return false;
    }
    return true;
  }

  /**
   * Queues a KeepAlive behind the audio already sent. With the `keepAlive` client option the
   * engine sends them by itself whenever the stream is idle, even while this thread is blocked.
   * @returns false when the stream is not open (an `Error` event says so).
   */
  keepAlive(): boolean {
    const channel = this.#writable("keepAlive()");
    return channel !== undefined && this.#write(channel, RecordKind.KeepAlive);
  }

  /**
   * Asks the server to flush what it has as final results (`from_finalize: true`), behind the
   * audio already sent. The stream stays open.
   * @param channel - only this channel (multichannel streams).
   * @returns false when the stream is not open.
   */
  finalize(channel?: number): boolean {
    const session = this.#writable("finalize()");
    return session !== undefined && this.#write(session, RecordKind.Finalize, jsonBytes({ channel }));
  }

  /**
   * Changes features mid-stream (a `Configure` message), behind the audio already sent.
   * @example
   * ```ts
   * client.configure({ numerals: true });
   * ```
   * @returns false when the stream is not open.
   */
  configure(features: Record<string, unknown>): boolean {
    const session = this.#writable("configure()");
    return session !== undefined && this.#write(session, RecordKind.Configure, jsonBytes(features));
  }

  /**
   * Ends the stream: CloseStream goes out behind all queued audio, then this thread blocks (at
   * most `finishTimeoutMs` plus a grace period) until the server has closed, and every pending
   * event — the last finals, `Metadata`, `Close` — is delivered before it returns. `Close`
   * comes once, last. Called from inside a callback it does not re-enter callbacks: the
   * remaining events are delivered, in order, right after that callback returns.
   *
   * @returns true when the server closed the stream cleanly.
   * @example
   * ```ts
   * client.finish();
   * console.log(finals.join(" ")); // complete: nothing arrives after finish() returns
   * ```
   */
  finish(): boolean {
    const channel = this.#channel;
    if (channel === undefined) return false;
    if (!channel.closed && !channel.finishing) {
      channel.finishing = true;
      const deadline = performance.now() + this.#finishTimeoutMs;
      if (!channel.writer.tryWrite(RecordKind.Finish)) {
        if (channel.writer.waitForRoom(0, deadline) === "ok") channel.writer.tryWrite(RecordKind.Finish);
      }
    }
    if (!channel.closed) {
      channel.waitWhileNotClosed(performance.now() + this.#finishTimeoutMs + ENGINE_GRACE_MS);
      channel.drain();
      if (!channel.closed) {
        channel.fail(
          channel.phase === SessionPhase.Closed
            ? this.#closedWithoutReport(channel)
            : new TimeoutError("ERR_FINISH_TIMEOUT", this.#finishTimeoutMs),
        );
      }
    }
    this.#delivery.flush();
    return channel.cleanClose;
  }

  /** True while the stream is open (after `Open`, before the server closed it). */
  isConnected(): boolean {
    const channel = this.#channel;
    return channel !== undefined && !channel.closed && channel.phase === SessionPhase.Open;
  }

  /**
   * Adds a callback for `event`. Callbacks run on this thread, one at a time, in event order.
   * A callback that throws is reported as an `Error` event (CallbackError); the stream goes on.
   * @example
   * ```ts
   * client.on(LiveTranscriptionEvents.Close, (report) => console.log("closed", report.code));
   * ```
   */
  on<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): this {
    this.#delivery.add(event, handler, false);
    return this;
  }

  /** Adds a callback that runs for the next `event` only. */
  once<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): this {
    this.#delivery.add(event, handler, true);
    return this;
  }

  /** Removes a callback added with {@link LiveClient.on} or {@link LiveClient.once}. */
  off<E extends LiveTranscriptionEvent>(event: E, handler: LiveTranscriptionHandler<E>): this {
    this.#delivery.remove(event, handler);
    return this;
  }

  #lease(channel: SessionChannel): EngineLease {
    const engine = this.#engine;
    if (engine === undefined) return acquireEngine(channel);
    return {
      open(request) {
        engine.postMessage(request, [request.port]);
      },
      release() {},
      // The application owns that thread: what to do about it is the application's call.
      engineLost() {},
    };
  }

  /** The open channel, or undefined after reporting why `method` cannot write now. */
  #writable(method: string): SessionChannel | undefined {
    const channel = this.#channel;
    if (
      channel !== undefined &&
      !channel.closed &&
      !channel.finishing &&
      channel.phase === SessionPhase.Open
    ) {
      return channel;
    }
    const why =
      channel === undefined
        ? "start() was never called"
        : channel.finishing && !channel.closed
          ? "finish() was already called"
          : "the stream is closed";
    this.#report(new StateError(`${method} was refused: ${why}.`));
    return undefined;
  }

  #write(channel: SessionChannel, kind: RecordKind, payload?: Uint8Array): boolean {
    if (channel.writer.tryWrite(kind, payload)) return true;
    const deadline = performance.now() + this.#sendTimeoutMs;
    for (;;) {
      const waited = channel.writer.waitForRoom(payload?.byteLength ?? 0, deadline);
      if (waited === "closed") {
        this.#report(new StateError("send() was refused: the stream closed while waiting for room."));
        return false;
      }
      if (waited === "timed-out") {
        this.#report(
          new BufferOverflowError(
            this.#ringBytes,
            `send() waited ${this.#sendTimeoutMs} ms for room in the engine's ${this.#ringBytes}-byte buffer: the network is slower than the audio. The chunk was not (fully) queued.`,
          ),
        );
        return false;
      }
      if (channel.writer.tryWrite(kind, payload)) return true;
    }
  }

  /** The engine marked the session closed without a close report: it died. */
  #closedWithoutReport(channel: SessionChannel): EarshotError {
    return Atomics.load(channel.header, Slot.EngineDead) === 1
      ? new WorkerExitedError()
      : new StateError("The engine closed the session without a close report.");
  }

  #report(error: EarshotError): void {
    this.#delivery.enqueue({ event: "error", payload: error });
    this.#delivery.flush();
  }
}

function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), "utf8");
}
