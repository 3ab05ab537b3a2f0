/**
 * The reconnecting session both faces run (the async client in its own thread, the threaded
 * client on its engine): one stream over one or more `LiveSession`s. After a retryable drop it
 * waits (backoff with full jitter), opens a new connection with the same options, sends again
 * the audio no final result has covered (`ReplayBuffer`) and shifts the new connection's
 * timestamps onto the stream's timeline. Without the `reconnect` option it is one `LiveSession`
 * plus the stream's diagnostics.
 */
import { execute } from "abort-controller-x";
import { type Clock, systemClock } from "../clock.ts";
import { channelSink } from "../diagnostics.ts";
import { AbortedError, CallbackError, type EarshotError, OptionsError } from "../errors.ts";
import { type AudioChunk, configureFrame, finalizeFrame, KEEP_ALIVE_FRAME, toAudioFrame } from "../frames.ts";
import type { MetadataMessage, ServerMessage } from "../messages.ts";
import {
  type LiveOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
  validateLiveOptions,
} from "../options.ts";
import { HandlerRegistry } from "../pipeline/handler-registry.ts";
import { warnLater } from "../pipeline/warn.ts";
import { DEFAULT_REPLAY_MAX_BYTES, ReplayBuffer } from "../replay.ts";
import type { MessageInfo, SessionState } from "../session/types.ts";
import { type CloseReport, LiveSession } from "../session.ts";
import {
  AttemptBudget,
  backoffDelay,
  isReconnectable,
  type ReconnectPolicy,
  resolveReconnectPolicy,
} from "./policy.ts";
import { replayPlan } from "./replay-plan.ts";
import { StreamTelemetry } from "./stream-telemetry.ts";
import { rebaseTimestamps } from "./timestamp-rebase.ts";
import type {
  ReconnectedInfo,
  ReconnectingInfo,
  ReconnectingSessionEventMap,
  ReconnectingSessionInit,
  StreamProtocol,
} from "./types.ts";

let streams = 0;

/**
 * One stream that survives retryable drops. Same methods as `LiveSession`; `open` and `close`
 * fire once each for the whole stream, `reconnecting` and `reconnected` in between.
 *
 * @example
 * ```ts
 * const stream = new ReconnectingSession({ options: { encoding: "linear16", sample_rate: 16000 }, client: { reconnect: true } });
 * stream.on("reconnected", (info) => console.log("back after", info.downtimeMs, "ms"));
 * await stream.connect();
 * ```
 */
export class ReconnectingSession<M extends { readonly type: string } = ServerMessage> {
  readonly #protocol: StreamProtocol<M>;
  readonly #client: ResolvedClientOptions;
  readonly #policy: ReconnectPolicy | undefined;
  readonly #budget: AttemptBudget | undefined;
  readonly #replay: ReplayBuffer | undefined;
  readonly #telemetry: StreamTelemetry;
  readonly #clock: Clock;
  readonly #listeners: HandlerRegistry<ReconnectingSessionEventMap<M>>;
  readonly #lifetime = new AbortController();
  #session: LiveSession<M>;
  #opened = false;
  #ending = false;
  #reconnects = 0;
  #backoff: Promise<void> | undefined;
  #outage: { readonly error: EarshotError; readonly since: number; attempt: number } | undefined;
  #report: CloseReport | undefined;
  #lastReconnect: ReconnectedInfo | undefined;
  #readingPaused = false;
  readonly #forwardUnparsed: boolean;

  /**
   * @throws OptionsError for live options that cannot work, and, with `reconnect`, for audio
   *   that cannot be replayed (no fixed byte rate, or `multichannel`).
   */
  constructor(init: ReconnectingSessionInit<M>) {
    // First: what follows reads the options (the replay's byte rate), and must not trip on them.
    // A protocol given by the caller (Flux) comes with options its client has validated.
    if (init.protocol === undefined) validateLiveOptions(init.options as LiveOptions);
    const { reconnect, ...client } = init.client ?? {};
    const options = init.options as LiveOptions;
    this.#protocol = init.protocol ?? (listenProtocol(options) as unknown as StreamProtocol<M>);
    this.#client = resolveClientOptions(client);
    this.#clock = init.clock ?? systemClock;
    this.#policy = resolveReconnectPolicy(init.reconnect ?? reconnect);
    if (this.#policy !== undefined) {
      this.#budget = new AttemptBudget(this.#policy);
      this.#replay = replayBufferFor(options, this.#policy, this.#client.maxPendingBytes);
    }
    this.#telemetry = new StreamTelemetry({
      sink: init.diagnostics ?? channelSink,
      clock: this.#clock,
      streamId: init.streamId ?? `stream-${++streams}`,
      options: init.options as { encoding?: string; sample_rate?: number; channels?: number },
    });
    this.#listeners = new HandlerRegistry<ReconnectingSessionEventMap<M>>((event, thrown) => {
      const error = new CallbackError(String(event), { cause: thrown });
      if (event !== "listenerError" && this.#listeners.count("listenerError") > 0)
        this.#listeners.emit("listenerError", error);
      else warnLater(error);
    });
    // Re-basing and replay read every message; so does telemetry when diagnostics listen.
    this.#forwardUnparsed = init.forwardUnparsed === true && this.#policy === undefined;
    this.#session = this.#newSession();
  }

  /** `"connecting"` also while a replacement connection waits out its backoff. */
  get state(): SessionState {
    if (this.#report !== undefined) return "closed";
    const state = this.#session.state;
    return state === "idle" && this.#opened ? "connecting" : state;
  }

  get requestId(): string | undefined {
    return this.#session.requestId;
  }

  get url(): string {
    return this.#session.url;
  }

  get bufferedBytes(): number {
    return this.#session.bufferedBytes;
  }

  get closeReport(): CloseReport | undefined {
    return this.#report;
  }

  /** How many times the stream has reconnected. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** What the latest reconnect did (the latest `reconnected` payload). */
  get lastReconnect(): ReconnectedInfo | undefined {
    return this.#lastReconnect;
  }

  /** Audio bytes sent on the stream (replays not counted). */
  get bytesSent(): number {
    return this.#telemetry.bytesSent;
  }

  /**
   * Opens the first connection. `signal` bounds connecting only (an abort after open does not
   * end the stream: call `abort()`). Rejects with the first connection's error; drops before the
   * first open are never retried.
   */
  async connect(opts: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = opts;
    this.#telemetry.connecting(this.url, 0);
    if (signal === undefined) return this.#session.connect();
    const connecting = new AbortController();
    const onAbort = (): void => connecting.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    try {
      await this.#session.connect({ signal: connecting.signal });
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Queues audio (see `LiveSession.send`) and keeps it for replay until a final covers it. */
  send(chunk: AudioChunk): boolean {
    const frame = toAudioFrame(chunk);
    if (frame === undefined) return this.#session.send(chunk);
    let below = true;
    try {
      below = this.#session.send(frame);
    } catch (error) {
      // The connection is failing: if a new one will take over, the replay carries this audio.
      if (!this.#replayWillCarry(error)) throw error;
    }
    this.#replay?.record(frame);
    this.#telemetry.audioSent(frame);
    return below;
  }

  /** Queues a control frame encoded by `frames.ts` (KeepAlive, Finalize, Configure). */
  sendControl(frame: string): void {
    try {
      this.#session.sendControl(frame);
    } catch (error) {
      // A failing connection that a new one will replace: the frame cannot reach the server,
      // as it could not a moment later on the dead socket.
      if (!this.#replayWillCarry(error)) throw error;
    }
    if (frame.startsWith('{"type":"Finalize"')) this.#telemetry.finalizeSent();
    if (this.#replay !== undefined) this.#protocol.controlSent?.(frame, this.#replay.recordedBytes);
  }

  /**
   * Whether `refusal` came from a connection that is failing (not yet closed) with an error a
   * reconnect will follow, so that what it refused goes to the next connection instead.
   */
  #replayWillCarry(refusal: unknown): boolean {
    const policy = this.#policy;
    if (policy === undefined || this.#ending || !this.#opened) return false;
    if (this.#session.closeReport !== undefined) return false;
    const failure = (refusal as { cause?: unknown } | null)?.cause as EarshotError | undefined;
    return isReconnectable(failure, 1, policy);
  }

  keepAlive(): void {
    this.sendControl(KEEP_ALIVE_FRAME);
  }

  finalize(channel?: number): void {
    this.sendControl(finalizeFrame(channel));
  }

  configure(features: Record<string, unknown>): void {
    this.sendControl(configureFrame(features));
  }

  /** Resolves when the send buffer is below its high-water mark, across reconnects. */
  async drained(opts: { signal?: AbortSignal } = {}): Promise<void> {
    for (;;) {
      const session = this.#session;
      try {
        await session.drained(opts);
        return;
      } catch (error) {
        // The connection dropped and a new one took over: its pre-open queue is what counts now.
        if (this.#session === session || error instanceof AbortedError) throw error;
      }
    }
  }

  /**
   * Stops reading the socket (see `LiveSession.pauseReading`); a replacement connection after a
   * drop starts paused too, so a slow consumer is not flooded by the reconnect.
   */
  pauseReading(): void {
    this.#readingPaused = true;
    this.#session.pauseReading();
  }

  /** Reads from the socket again after {@link ReconnectingSession.pauseReading}. */
  resumeReading(): void {
    this.#readingPaused = false;
    this.#session.resumeReading();
  }

  /** Whether {@link ReconnectingSession.pauseReading} is in effect. */
  get readingPaused(): boolean {
    return this.#readingPaused;
  }

  /** Ends the stream (see `LiveSession.finish`); a connection in backoff connects first. Drops after it are not retried. */
  async finish(
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<MetadataMessage | undefined> {
    this.#ending = true;
    if (this.#backoff !== undefined) await this.#backoff;
    return this.#session.finish(opts);
  }

  /** Closes now; the close report carries an `AbortedError` whose `cause` is `reason`. */
  abort(reason?: unknown): void {
    this.#ending = true;
    this.#lifetime.abort(reason);
    this.#session.abort(reason);
  }

  on<E extends keyof ReconnectingSessionEventMap<M>>(
    event: E,
    listener: (...args: ReconnectingSessionEventMap<M>[E]) => void,
  ): this {
    this.#listeners.add(event, listener, false);
    return this;
  }

  off<E extends keyof ReconnectingSessionEventMap<M>>(
    event: E,
    listener: (...args: ReconnectingSessionEventMap<M>[E]) => void,
  ): this {
    this.#listeners.remove(event, listener);
    return this;
  }

  /** A connection (not yet connecting) feeding this stream, with the replay queued first. */
  #newSession(): LiveSession<M> {
    const pending = this.#replay?.pending();
    const offset = pending?.offsetSeconds ?? 0;
    const session = this.#protocol.connection(this.#client, this.#clock, {
      offsetSeconds: offset,
      replacement: this.#opened,
    });
    if (this.#readingPaused) session.pauseReading();
    const chunks = pending?.chunks ?? [];
    // Requests the last connection left unanswered go out again at their places in the replay.
    const unanswered = this.#opened ? (this.#protocol.unansweredControls?.() ?? []) : [];
    const startByte = (this.#replay?.recordedBytes ?? 0) - (pending?.bytes ?? 0);
    for (const item of unanswered.length === 0 ? chunks : replayPlan(chunks, startByte, unanswered)) {
      if (typeof item === "string") session.sendControl(item);
      else session.send(item);
    }
    session.on("open", ({ requestId }) =>
      this.#sessionOpened(requestId, pending?.bytes ?? 0, offset, pending?.lostSeconds ?? 0),
    );
    session.on("message", (message, info) => {
      const rebased = this.#protocol.rebase(message);
      if (rebased === undefined) return;
      // Only a changed message pays for a new info object (the common case is unchanged).
      this.#deliver(rebased, rebased === message ? info : { ...info, rebased: true });
    });
    session.on("close", (report) => this.#sessionClosed(report));
    if (this.#forwardUnparsed) {
      session.forwardUnparsed(!this.#telemetry.readsMessages);
      session.on("unparsed", (info) => {
        // Diagnostics may start listening mid-stream: from then on, messages are parsed.
        if (this.#telemetry.readsMessages) session.forwardUnparsed(false);
        this.#listeners.emit("unparsed", info);
      });
    }
    return session;
  }

  #sessionOpened(
    requestId: string | undefined,
    replayedBytes: number,
    offsetSeconds: number,
    lostSeconds: number,
  ): void {
    this.#budget?.opened();
    this.#telemetry.opened(requestId);
    const outage = this.#outage;
    this.#outage = undefined;
    if (!this.#opened) {
      this.#opened = true;
      this.#listeners.emit("open", { requestId });
      return;
    }
    if (outage === undefined) return;
    this.#reconnects++;
    const info: ReconnectedInfo = {
      reconnects: this.#reconnects,
      attempt: outage.attempt,
      error: outage.error,
      downtimeMs: this.#clock.now() - outage.since,
      replayedBytes,
      offsetSeconds,
      lostSeconds,
      requestId,
    };
    this.#telemetry.publish("reconnected", {
      attempt: info.attempt,
      downtimeMs: info.downtimeMs,
      replayedBytes,
      offsetSeconds,
      lostSeconds,
    });
    this.#lastReconnect = info;
    this.#listeners.emit("reconnected", info);
  }

  #deliver(message: M, info: MessageInfo): void {
    if (this.#replay !== undefined) {
      const processed = this.#protocol.acknowledges(message);
      if (processed !== undefined) this.#replay.acknowledge(processed);
    }
    this.#telemetry.received(message, info.receivedAt);
    this.#listeners.emit("message", message, info);
  }

  #sessionClosed(report: CloseReport): void {
    const attempt = this.#retryAttempt(report);
    if (attempt === 0) {
      this.#closed(report);
      return;
    }
    const error = report.error as EarshotError;
    this.#outage ??= { error, since: this.#clock.now(), attempt };
    this.#outage.attempt = attempt;
    const delayMs = backoffDelay(this.#policy as ReconnectPolicy, attempt);
    this.#telemetry.publish("reconnecting", { attempt, delayMs, code: error.code, message: error.message });
    const next = this.#newSession();
    this.#session = next;
    this.#backoff = this.#connectAfter(next, delayMs, attempt);
    this.#listeners.emit("reconnecting", { attempt, delayMs, error } satisfies ReconnectingInfo);
  }

  /** The attempt number a retry would be, or 0 when this close ends the stream. */
  #retryAttempt(report: CloseReport): number {
    const policy = this.#policy;
    if (policy === undefined || !this.#opened || this.#ending) return 0;
    if (!isReconnectable(report.error, this.#replay?.pending().bytes ?? 0, policy)) return 0;
    return this.#budget?.take() ?? 0;
  }

  async #connectAfter(session: LiveSession<M>, delayMs: number, attempt: number): Promise<void> {
    const clock = this.#policy?.clock ?? this.#clock;
    try {
      await execute<void>(this.#lifetime.signal, (resolve) => {
        const handle = clock.setTimeout(() => resolve(), delayMs);
        return () => clock.clearTimeout(handle);
      });
    } catch {
      // abort() cancelled the wait; it aborted the waiting session too, which closes the stream.
      return;
    } finally {
      if (this.#session === session) this.#backoff = undefined;
    }
    this.#telemetry.connecting(session.url, attempt);
    // A failure arrives as the session's close, which decides on the next attempt.
    session.connect().catch(() => {});
  }

  #closed(report: CloseReport): void {
    this.#report = report;
    this.#telemetry.publish("close", {
      code: report.code,
      errorCode: report.error?.code,
      bytesSent: this.#telemetry.bytesSent,
      reconnects: this.#reconnects,
    });
    this.#listeners.emit("close", report);
    this.#listeners.clear();
  }
}

/**
 * The replay buffer for a reconnecting stream. It holds at most half of `maxPendingBytes`, so
 * the replay always fits in a new connection's pre-open backlog.
 */
function replayBufferFor(
  options: LiveOptions,
  policy: ReconnectPolicy,
  maxPendingBytes: number,
): ReplayBuffer {
  if ((options as { multichannel?: unknown }).multichannel === true) {
    throw new OptionsError([
      {
        option: "reconnect",
        message:
          "reconnecting is not supported with multichannel: each channel acknowledges its audio separately.",
      },
    ]);
  }
  return ReplayBuffer.forOptions(options, {
    maxBytes: Math.min(DEFAULT_REPLAY_MAX_BYTES, Math.floor(maxPendingBytes / 2)),
    ...(policy.replayMaxSeconds === undefined ? {} : { maxSeconds: policy.replayMaxSeconds }),
  });
}

/**
 * `/v1/listen`: a connection per `LiveSession`, timestamps shifted by the replay's offset, and
 * every final result acknowledging the audio up to its end (docs/protocol.md §6).
 */
function listenProtocol(options: LiveOptions): StreamProtocol<ServerMessage> {
  let offset = 0;
  return {
    connection(client, clock, start) {
      const session = new LiveSession({ options, client, clock });
      offset = start.offsetSeconds;
      return session;
    },
    rebase: (message) => rebaseTimestamps(message, offset),
    acknowledges: (message) =>
      message.type === "Results" && message.is_final ? message.start + message.duration : undefined,
  };
}
