/**
 * The threaded calling convention, once for both endpoints (`LiveClient` on `/v1/listen`,
 * `FluxClient` on Flux): a stream on an engine worker, its frames encoded on this thread and
 * carried by the shared ring, blocking `start()`/`finish()` that take and deliver events while
 * they wait, and a bounded wait for any other answer. The clients add only their endpoint's
 * options and control frames.
 */
import type { MessagePort } from "node:worker_threads";
import {
  AbortedError,
  type AudioChunk,
  type AudioSource,
  anyClientDiagnosticsWanted,
  type ClientOptions,
  type EarshotError,
  type FluxOptions,
  type LiveOptions,
  type SendFromOptions,
  StateError,
  TimeoutError,
  toAudioFrame,
  WorkerExitedError,
} from "@earshot/core";
import {
  type EventPipeline,
  type PipelineEvents,
  type StreamEventSink,
  sendFrom,
} from "@earshot/core/internal";
import { leaseEngine } from "./engine-lease.ts";
import type { StreamEndpoint, StreamMessage } from "./port-protocol.ts";
import { RecordKind } from "./ring-buffer.ts";
import { type RingWriteLimits, writeAudio, writeControl, writeRecord } from "./ring-writes.ts";
import { SessionChannel } from "./session-channel.ts";
import { allocateSessionMemory, SessionPhase, Slot } from "./shared-state.ts";

/** Extra time the engine may need beyond the socket's own timeouts: starting a worker thread. */
const ENGINE_GRACE_MS = 5_000;
let streams = 0;

/** What a {@link ThreadedStream} is made from (the client's resolved settings). */
export interface ThreadedStreamInit {
  /** The client options as they cross to the engine (see `engineClientOptions`). */
  readonly clientOptions: ClientOptions;
  readonly engine: MessagePort | undefined;
  /** The engine worker's module when the application names one (`engineWorkerFile`). */
  readonly engineWorkerUrl: URL | undefined;
  readonly limits: RingWriteLimits;
  readonly maxBufferedEvents: number;
  readonly connectTimeoutMs: number;
  readonly finishTimeoutMs: number;
}

/** One client's streams (one at a time), delivered through the client's `pipeline`. */
export class ThreadedStream {
  readonly #init: ThreadedStreamInit;
  readonly #pipeline: EventPipeline<PipelineEvents>;
  #channel: SessionChannel | undefined;
  #options: LiveOptions | FluxOptions = {};
  #ended = new AbortController();

  constructor(init: ThreadedStreamInit, pipeline: EventPipeline<PipelineEvents>) {
    this.#init = init;
    this.#pipeline = pipeline;
    // sendFrom() settles as soon as the stream ends, whichever way the Close came.
    pipeline.on("close", () => this.#ended.abort(pipeline.refusal("sendFrom()")));
  }

  /** The credentials the stream uses: no error built from a server's text may show them. */
  get secrets(): readonly (string | undefined)[] {
    return [this.#init.clientOptions.apiKey, this.#init.clientOptions.accessToken];
  }

  /** True while the stream is open. */
  get open(): boolean {
    const channel = this.#channel;
    return channel !== undefined && !channel.closed && channel.phase === SessionPhase.Open;
  }

  /**
   * Opens a stream on `endpoint` whose events go to `sink`; blocks until the server accepted or
   * refused, delivering `Open` (or `Error` and `Close`) before returning.
   * @throws StateError while a stream of this client is open.
   */
  start(
    endpoint: StreamEndpoint,
    options: LiveOptions | FluxOptions,
    sink: StreamEventSink<StreamMessage>,
  ): boolean {
    if (this.#channel !== undefined && !this.#channel.closed) {
      throw new StateError(
        "start() was called while this client's stream is still open: call finish() first.",
      );
    }
    const pipeline = this.#pipeline;
    pipeline.reopen();
    this.#ended = new AbortController();
    this.#options = options;
    const channel = new SessionChannel(
      allocateSessionMemory(this.#init.limits.ringBytes),
      endpoint,
      sink,
      () => pipeline.flush(),
    );
    this.#channel = channel;
    const deadline = performance.now() + this.#init.connectTimeoutMs + ENGINE_GRACE_MS;
    try {
      const lease = leaseEngine(channel, deadline, this.#init.engine, this.#init.engineWorkerUrl);
      channel.attach(lease);
      lease.open({
        type: "earshot:open-session",
        port: channel.enginePort,
        memory: channel.memory,
        endpoint,
        options,
        client: this.#init.clientOptions,
        maxBufferedEvents: this.#init.maxBufferedEvents,
        diagnostics: anyClientDiagnosticsWanted(),
        streamId: `threaded-${++streams}`,
      });
      channel.waitWhilePhase(SessionPhase.Connecting, deadline);
      channel.drain();
      if (!channel.closed && channel.phase === SessionPhase.Connecting) {
        channel.fail(new TimeoutError("ERR_CONNECT_TIMEOUT", this.#init.connectTimeoutMs));
      } else if (!channel.closed && channel.phase === SessionPhase.Closed) {
        channel.fail(this.#closedWithoutReport(channel));
      }
    } catch (error) {
      channel.fail(error as EarshotError);
    }
    pipeline.flush();
    return channel.opened && !channel.closed;
  }

  /** Queues audio, waiting (at most `sendTimeoutMs`) only while the ring is full. */
  send(chunk: AudioChunk): boolean {
    const frame = toAudioFrame(chunk);
    const channel = this.#writable("send()");
    if (channel === undefined) return false;
    return (
      frame === undefined || writeAudio(channel, frame, this.#init.limits, (error) => this.report(error))
    );
  }

  /** Sends a whole source through {@link ThreadedStream.send}. */
  async sendFrom(source: AudioSource, options: SendFromOptions): Promise<void> {
    const ended = this.#ended.signal;
    const { encoding, sample_rate, channels } = this.#options as LiveOptions;
    await sendFrom(source, options, {
      liveOptions: {
        ...(encoding === undefined ? {} : { encoding }),
        ...(sample_rate === undefined ? {} : { sample_rate }),
        ...(channels === undefined ? {} : { channels }),
      },
      ended,
      send: async (chunk) => {
        if (!this.send(chunk))
          throw this.#pipeline.closed ? ended.reason : this.#pipeline.refusal("sendFrom()");
      },
      assertWritable: () => {
        const refusal = this.#refusal("sendFrom()");
        if (refusal !== undefined) throw refusal;
      },
    });
  }

  /** Queues a control frame (encoded on this thread by core) behind the audio; false when not open. */
  control(method: string, frame: string): boolean {
    const channel = this.#writable(method);
    return (
      channel !== undefined && writeControl(channel, frame, this.#init.limits, (error) => this.report(error))
    );
  }

  /**
   * Blocks, taking and delivering events, until `done()` is true, the stream closed, or
   * `timeoutMs` passed (inside a callback the events are delivered right after it).
   * @returns whether `done()` became true.
   */
  waitUntil(done: () => boolean, timeoutMs: number): boolean {
    const channel = this.#channel;
    const deadline = performance.now() + timeoutMs;
    while (channel !== undefined && !done() && !channel.closed && performance.now() < deadline) {
      channel.drain();
      this.#pipeline.flush();
      if (done() || channel.closed || channel.phase === SessionPhase.Closed) break;
      channel.waitForEvents(deadline);
    }
    channel?.drain();
    this.#pipeline.flush();
    return done();
  }

  /**
   * CloseStream behind all queued audio, then blocks until the server closed, at most
   * `timeout` (default `finishTimeoutMs`) plus the engine's grace.
   */
  finish(options: { readonly timeout?: number } = {}): boolean {
    const channel = this.#channel;
    if (channel === undefined) return false;
    const timeoutMs = options.timeout ?? this.#init.finishTimeoutMs;
    if (!channel.closed && !channel.finishing) {
      channel.finishing = true;
      const deadline = performance.now() + timeoutMs;
      // The engine's session enforces the timeout, so its close report is the one the async face gives.
      const payload = options.timeout === undefined ? undefined : new TextEncoder().encode(String(timeoutMs));
      writeRecord(channel, RecordKind.Finish, payload, this.#init.limits, () => {}, deadline);
    }
    this.waitUntil(() => channel.closed, timeoutMs + ENGINE_GRACE_MS);
    if (!channel.closed) {
      channel.fail(
        channel.phase === SessionPhase.Closed
          ? this.#closedWithoutReport(channel)
          : new TimeoutError("ERR_FINISH_TIMEOUT", timeoutMs),
      );
    }
    this.#pipeline.flush();
    return channel.cleanClose;
  }

  /** Closes now: `Error` (AbortedError) and `Close` once, before it returns. */
  abort(reason?: unknown): void {
    this.#channel?.fail(new AbortedError("The stream was aborted.", { cause: reason }));
    this.#pipeline.flush();
  }

  /** Reports `error` as an `Error` event now (nothing after Close). */
  report(error: EarshotError): void {
    this.#pipeline.error(error);
    this.#pipeline.flush();
  }

  /** The open channel, or undefined: silently once closed, with an `Error` before start / after finish. */
  #writable(method: string): SessionChannel | undefined {
    const channel = this.#channel;
    if (channel?.closed) return undefined;
    const refusal = this.#refusal(method);
    if (refusal === undefined) return channel;
    this.report(refusal);
    return undefined;
  }

  /** Why `method` cannot write now (a `StateError`; once closed its `cause` closed the stream), or undefined. */
  #refusal(method: string): StateError | undefined {
    const channel = this.#channel;
    if (channel?.closed) return this.#pipeline.refusal(method);
    if (channel !== undefined && !channel.finishing && channel.phase === SessionPhase.Open) return undefined;
    const why = channel === undefined ? "start() was never called" : "finish() was already called";
    return new StateError(`${method} was refused: ${why}.`);
  }

  /** The engine marked the session closed without a close report: it died. */
  #closedWithoutReport(channel: SessionChannel): EarshotError {
    return Atomics.load(channel.header, Slot.EngineDead) === 1
      ? new WorkerExitedError()
      : new StateError("The engine closed the session without a close report.");
  }
}
