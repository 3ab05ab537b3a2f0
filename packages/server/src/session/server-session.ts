/**
 * One client's stream on the server side: open → closing → closed. Binary frames are audio,
 * text frames are control messages; CloseStream ends with finals, one Metadata and 1000; an
 * idle client gets Metadata and 1011 NET-0001; undecodable audio gets 1008 DATA-0000.
 */
import { createHash, type Hash } from "node:crypto";
import type { Duplex } from "node:stream";
import type { Clock, LiveOptions } from "@earshot/core";
import PQueue from "p-queue";
import type { WebSocket } from "ws";
import { AudioDecodeError, AudioDecoder } from "../audio/audio-decoder.ts";
import {
  CLOSE_INTERNAL_ERROR,
  CLOSE_POLICY_VIOLATION,
  dataErrorReason,
  fitReason,
  NET_0001_REASON,
} from "../close-reasons.ts";
import type { Engine } from "../engine.ts";
import type { FaultPlan } from "../server-options.ts";
import { looksLikeJsonControl, readControlMessage } from "./control-message.ts";
import { FaultInjector } from "./fault-injector.ts";
import { flood } from "./flood.ts";
import {
  describeModel,
  errorMessage,
  metadataMessage,
  type ResultsContext,
  resultsMessage,
  warningMessage,
} from "./messages.ts";
import { Outbox } from "./outbox.ts";
import { SessionTimers } from "./timers.ts";
import { Transcriber } from "./transcriber.ts";
import { WireFaults } from "./wire-faults.ts";

export interface ServerSessionInit {
  readonly ws: WebSocket;
  readonly requestId: string;
  readonly options: LiveOptions;
  readonly engine: Engine;
  readonly inactivityTimeoutMs: number;
  readonly faults: FaultPlan | undefined;
  readonly clock: Clock | undefined;
  /** The upgraded TCP socket, for wire-level faults. */
  readonly tcp: Duplex;
}

type SessionPhase = "open" | "closing" | "closed";

/**
 * Frames waiting behind a slow step (a flush awaiting the engine, a `finalDelayMs` fault) before
 * the session stops reading the socket. TCP backpressure then reaches the client, so a client
 * that keeps streaming during a long flush cannot grow the server's memory without bound.
 */
const MAX_QUEUED_FRAMES = 256;

export class ServerSession {
  readonly requestId: string;
  readonly #ws: WebSocket;
  readonly #options: LiveOptions;
  readonly #inactivityTimeoutMs: number;
  readonly #faults: FaultPlan;
  readonly #timers: SessionTimers;
  readonly #outbox: Outbox;
  readonly #decoder: AudioDecoder;
  readonly #transcriber: Transcriber;
  readonly #injector: FaultInjector;
  readonly #context: ResultsContext;
  readonly #hash: Hash = createHash("sha256");
  readonly #created = new Date();
  readonly #closed: Promise<void>;
  #phase: SessionPhase = "open";
  #audioBytes = 0;
  #paused = false;
  #backlogPaused = false;
  #cancelIdle: () => void = () => {};
  /** Frames are handled one after another, in order, even when a flush awaits the engine. */
  readonly #work = new PQueue({ concurrency: 1 });

  readonly #wire: WireFaults;

  constructor(init: ServerSessionInit) {
    this.requestId = init.requestId;
    this.#ws = init.ws;
    this.#options = init.options;
    this.#inactivityTimeoutMs = init.inactivityTimeoutMs;
    this.#faults = init.faults ?? {};
    this.#timers = new SessionTimers(init.clock);
    this.#wire = new WireFaults(init.ws, init.tcp, this.#faults);
    this.#outbox = new Outbox(init.ws, this.#faults.responseDelayMs ?? 0, this.#timers);
    this.#decoder = new AudioDecoder({
      encoding: init.options.encoding,
      sampleRate: init.options.sample_rate,
      channels: init.options.channels,
    });
    const extra = init.options.extra;
    this.#context = {
      requestId: init.requestId,
      model: describeModel(init.engine.name, init.options),
      extra: extra !== undefined && Object.keys(extra).length > 0 ? extra : undefined,
    };
    this.#transcriber = new Transcriber({
      engine: init.engine,
      options: init.options,
      context: this.#context,
      send: (message) => this.#send(message),
    });
    this.#injector = new FaultInjector(init.faults, {
      drop: () => this.#ws.terminate(),
      close: (code, reason) => void this.#closeAfterSending(code, reason),
      pause: () => this.#pause(),
    });
    this.#closed = new Promise((resolve) => init.ws.once("close", () => resolve()));
    init.ws.on("message", (data, isBinary) => this.#receive(data as Buffer, isBinary));
    init.ws.once("close", () => this.#onClosed());
    // A socket error is followed by "close"; the listener only keeps it from being unhandled.
    init.ws.on("error", () => {});
    this.#start();
  }

  /** Resolves once the socket has closed. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Resumes reading after a `stopReadingAfterBytes` pause. */
  resumeReading(): void {
    if (!this.#paused || this.#phase === "closed") return;
    this.#paused = false;
    if (!this.#backlogPaused) this.#ws.resume();
    this.#armIdleTimer();
  }

  /** Closes the session because the server is shutting down. */
  shutDown(code: number, reason: string): void {
    if (this.#phase === "closed") return;
    this.#phase = "closing";
    this.#ws.close(code, reason);
  }

  /** Destroys the socket at once. */
  terminate(): void {
    this.#ws.terminate();
  }

  #start(): void {
    this.#armIdleTimer();
    this.#injector.opened(this.#timers);
    for (const text of this.#faults.sendAfterOpen ?? []) this.#outbox.send(text);
    this.#wire.opened();
    const plan = this.#faults.flood;
    if (plan !== undefined) {
      flood({
        ws: this.#ws,
        count: plan.count,
        intervalMs: plan.intervalMs,
        timers: this.#timers,
        message: (index) => JSON.stringify(this.#floodResult(index)),
        active: () => this.#phase === "open",
        closed: this.#closed,
      }).catch((error: unknown) => this.#internalError(error));
    }
  }

  #receive(data: Buffer, isBinary: boolean): void {
    if (this.#phase !== "open") return;
    this.#armIdleTimer();
    if (isBinary && data.length > 0) {
      this.#audioBytes += data.length;
      this.#hash.update(data);
    }
    this.#work
      .add(() => (isBinary ? this.#handleAudio(data) : this.#handleText(data.toString("utf8"))))
      .catch((error: unknown) => this.#internalError(error));
    if (this.#work.size >= MAX_QUEUED_FRAMES) this.#pauseForBacklog();
    if (isBinary && data.length > 0) {
      this.#injector.audioReceived(this.#audioBytes);
      this.#wire.audioReceived(this.#audioBytes);
    }
  }

  async #handleAudio(frame: Buffer): Promise<void> {
    if (this.#phase !== "open") return;
    // A zero-length binary frame is the legacy end-of-stream signal (docs/protocol.md §3).
    if (frame.length === 0) return this.#closeStream();
    if (looksLikeJsonControl(frame)) {
      this.#fail(dataErrorReason("a JSON message arrived as a binary frame; send control messages as text"));
      return;
    }
    let channels: Int16Array[];
    try {
      channels = this.#decoder.decode(frame);
    } catch (error) {
      if (!(error instanceof AudioDecodeError)) throw error;
      this.#fail(dataErrorReason(error.message));
      return;
    }
    const format = this.#decoder.format;
    if (format !== undefined) this.#transcriber.write(channels, format.sampleRate);
  }

  async #handleText(text: string): Promise<void> {
    if (this.#phase !== "open") return;
    const control = readControlMessage(text);
    switch (control.kind) {
      case "KeepAlive":
        return;
      case "Finalize":
        if (this.#wire.ignoresFinalize) return;
        await this.#transcriber.flush("finalize", control.channel);
        return;
      case "CloseStream":
        if (this.#wire.ignoresCloseStream) return;
        return this.#closeStream();
      case "Configure":
        this.#transcriber.configure(control.features);
        return;
      case "unknown":
        this.#send(
          warningMessage(
            "UNKNOWN_MESSAGE_TYPE",
            `Unknown message type "${control.type}"; the message was ignored.`,
          ),
        );
        return;
      case "malformed":
        this.#send(errorMessage("MALFORMED_MESSAGE", control.description));
        return;
    }
  }

  async #closeStream(): Promise<void> {
    if (this.#phase !== "open") return;
    this.#phase = "closing";
    this.#cancelIdle();
    const delay = this.#faults.finalDelayMs ?? 0;
    if (delay > 0 && !(await this.#timers.sleep(delay))) return;
    const finals = this.#faults.finalsOnClose ?? 0;
    if (finals > 0) {
      await flood({
        ws: this.#ws,
        count: finals,
        intervalMs: undefined,
        timers: this.#timers,
        message: (index) => JSON.stringify(this.#floodResult(index)),
        active: () => this.#phase === "closing",
        closed: this.#closed,
      });
    }
    await this.#transcriber.flush("close");
    if (!this.#wire.omitsMetadata) this.#sendMetadata();
    await this.#closeAfterSending(1000, "");
  }

  #onIdle(): void {
    if (this.#phase !== "open") return;
    // Frames still being worked through are not client silence: a Finalize waits for the
    // engine to catch up, and a CloseStream queued behind it must not be answered with NET-0001
    // (on a busy machine the offline engine trails the audio by more than the timeout).
    if (this.#work.size + this.#work.pending > 0) {
      this.#armIdleTimer();
      return;
    }
    this.#phase = "closing";
    this.#sendMetadata();
    void this.#closeAfterSending(CLOSE_INTERNAL_ERROR, NET_0001_REASON);
  }

  #fail(reason: string): void {
    this.#phase = "closing";
    this.#cancelIdle();
    void this.#closeAfterSending(CLOSE_POLICY_VIOLATION, reason);
  }

  #internalError(error: unknown): void {
    if (this.#phase === "closed") return;
    this.#phase = "closing";
    const detail = error instanceof Error ? error.message : String(error);
    void this.#closeAfterSending(CLOSE_INTERNAL_ERROR, fitReason(`engine error: ${detail}`));
  }

  async #closeAfterSending(code: number, reason: string): Promise<void> {
    this.#phase = this.#phase === "closed" ? "closed" : "closing";
    await this.#outbox.whenSent();
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    try {
      this.#wire.beforeCloseFrame();
      this.#ws.close(code, fitReason(reason));
      this.#wire.afterCloseFrame(() => JSON.stringify(this.#floodResult(0)));
    } catch {
      // A code that cannot go on the wire (1005, 1006, 1015, …): what a client sees is a drop.
      this.#ws.terminate();
    }
  }

  #sendMetadata(): void {
    const format = this.#decoder.format;
    const duration = this.#transcriber.audioSeconds;
    const channels =
      format?.channels ?? (this.#options.encoding === undefined ? 0 : (this.#options.channels ?? 1));
    this.#send(
      metadataMessage({
        requestId: this.requestId,
        sha256: this.#hash.copy().digest("hex"),
        created: this.#created,
        duration,
        channels,
        model: this.#audioBytes > 0 ? this.#context.model : undefined,
      }),
    );
  }

  #send(message: object): void {
    if (this.#phase === "closed") return;
    this.#outbox.send(message);
  }

  #armIdleTimer(): void {
    this.#cancelIdle();
    if (this.#paused) return;
    this.#cancelIdle = this.#timers.after(this.#inactivityTimeoutMs, () => this.#onIdle());
  }

  #pauseForBacklog(): void {
    if (this.#backlogPaused) return;
    this.#backlogPaused = true;
    this.#ws.pause();
    void this.#work.onSizeLessThan(MAX_QUEUED_FRAMES / 2).then(() => {
      this.#backlogPaused = false;
      if (!this.#paused && this.#phase !== "closed") this.#ws.resume();
    });
  }

  #pause(): void {
    this.#paused = true;
    this.#cancelIdle();
    this.#ws.pause();
  }

  #floodResult(index: number): object {
    const start = index * 0.01;
    return resultsMessage(this.#context, {
      channel: [0, 1],
      start,
      end: start + 0.01,
      isFinal: true,
      speechFinal: false,
      fromFinalize: false,
      alternative: {
        transcript: "flood",
        confidence: 0.99,
        words: [{ word: "flood", start, end: start + 0.01, confidence: 0.99 }],
      },
    });
  }

  #onClosed(): void {
    this.#phase = "closed";
    this.#work.clear();
    this.#timers.clearAll();
    this.#outbox.cancel();
    this.#transcriber.close();
  }
}
