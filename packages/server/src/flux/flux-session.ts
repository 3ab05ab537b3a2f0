/**
 * One client's Flux stream (`/v2/listen`) on the server side. Binary frames are audio; the only
 * text frames are Configure, ForceEndTurn and CloseStream, handled strictly in order with the
 * audio (docs/protocol.md §8.4). Every message carries the next `sequence_id`. Anything else — v1's
 * KeepAlive included — is `Error UNPARSABLE_CLIENT_MESSAGE` and a status-less close (1005 at the
 * client), as is CloseStream's end. Pings keep an idle socket open; 60 s without any frame
 * closes it 1011 with v1's NET-0001 text (§8.8 leaves the code unspecified).
 */
import type { Clock, FluxOptions } from "@earshot/core";
import PQueue from "p-queue";
import type { WebSocket } from "ws";
import { AudioDecodeError, AudioDecoder, downmix } from "../audio/audio-decoder.ts";
import {
  CLOSE_INTERNAL_ERROR,
  CLOSE_POLICY_VIOLATION,
  dataErrorReason,
  fitReason,
  NET_0001_REASON,
} from "../close-reasons.ts";
import type { Engine } from "../engine.ts";
import type { FaultPlan } from "../server-options.ts";
import { looksLikeJsonControl } from "../session/control-message.ts";
import { FaultInjector } from "../session/fault-injector.ts";
import { Outbox } from "../session/outbox.ts";
import { SessionTimers } from "../session/timers.ts";
import { applyConfigure, configureSuccessFields } from "./configure.ts";
import { settingsFromQuery, type TurnSettings } from "./end-of-turn.ts";
import { TurnDetector, type TurnInfoFields } from "./turn-detector.ts";

export interface FluxSessionInit {
  readonly ws: WebSocket;
  readonly requestId: string;
  readonly options: FluxOptions;
  readonly engine: Engine;
  readonly inactivityTimeoutMs: number;
  readonly faults: FaultPlan | undefined;
  readonly clock: Clock | undefined;
}

/** Frames waiting behind a slow step before reading pauses (as on /v1/listen). */
const MAX_QUEUED_FRAMES = 256;

export class FluxServerSession {
  readonly requestId: string;
  readonly #ws: WebSocket;
  readonly #init: FluxSessionInit;
  readonly #faults: FaultPlan;
  readonly #timers: SessionTimers;
  readonly #outbox: Outbox;
  readonly #decoder: AudioDecoder;
  readonly #injector: FaultInjector;
  readonly #multilingual: boolean;
  readonly #closed: Promise<void>;
  readonly #work = new PQueue({ concurrency: 1 });
  #settings: TurnSettings;
  #detector: TurnDetector | undefined;
  #sequence = 0;
  #open = true;
  #audioBytes = 0;
  #cancelIdle: () => void = () => {};
  #failedTurn = false;

  constructor(init: FluxSessionInit) {
    this.requestId = init.requestId;
    this.#ws = init.ws;
    this.#init = init;
    this.#faults = init.faults ?? {};
    this.#settings = settingsFromQuery(init.options);
    this.#multilingual = init.options.model === "flux-general-multi";
    this.#timers = new SessionTimers(init.clock);
    this.#outbox = new Outbox(init.ws, this.#faults.responseDelayMs ?? 0, this.#timers);
    this.#decoder = new AudioDecoder({
      encoding: init.options.encoding,
      sampleRate: init.options.sample_rate,
      channels: 1,
    });
    this.#injector = new FaultInjector(init.faults, {
      drop: () => this.#ws.terminate(),
      close: (code, reason) => void this.#closeAfterSending(code, reason),
      pause: () => {
        this.#cancelIdle();
        this.#ws.pause();
      },
    });
    this.#closed = new Promise((resolve) => init.ws.once("close", () => resolve()));
    init.ws.on("message", (data, isBinary) => this.#receive(data as Buffer, isBinary));
    // Pings are frames: they keep an idle Flux socket open (ws answers them with pongs itself).
    init.ws.on("ping", () => this.#armIdleTimer());
    init.ws.once("close", () => this.#onClosed());
    init.ws.on("error", () => {});
    this.#send({ type: "Connected", request_id: this.requestId, sequence_id: this.#sequence++ });
    for (const text of this.#faults.sendAfterOpen ?? []) this.#outbox.send(text);
    this.#armIdleTimer();
    this.#injector.opened(this.#timers);
  }

  /** Resolves once the socket has closed. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Resumes reading after a `stopReadingAfterBytes` pause. */
  resumeReading(): void {
    if (!this.#open) return;
    this.#ws.resume();
    this.#armIdleTimer();
  }

  /** Closes the session because the server is shutting down. */
  shutDown(code: number, reason: string): void {
    if (!this.#open) return;
    this.#open = false;
    this.#ws.close(code, reason);
  }

  /** Destroys the socket at once. */
  terminate(): void {
    this.#ws.terminate();
  }

  #receive(data: Buffer, isBinary: boolean): void {
    if (!this.#open) return;
    this.#armIdleTimer();
    if (isBinary) this.#audioBytes += data.length;
    else if (this.#dropsAt(data)) return;
    this.#work
      .add(() => (isBinary ? this.#handleAudio(data) : this.#handleText(data.toString("utf8"))))
      .catch((error: unknown) => this.#internalError(error));
    if (this.#work.size >= MAX_QUEUED_FRAMES) {
      this.#ws.pause();
      void this.#work.onSizeLessThan(MAX_QUEUED_FRAMES / 2).then(() => this.#open && this.#ws.resume());
    }
    if (isBinary && data.length > 0) this.#injector.audioReceived(this.#audioBytes);
  }

  /** The `dropAtRequest` fault: the socket goes at once, the request unread. */
  #dropsAt(text: Buffer): boolean {
    const type = this.#faults.flux?.dropAtRequest;
    if (type === undefined || readJsonObject(text.toString("utf8"))?.type !== type) return false;
    this.#open = false;
    this.#ws.terminate();
    return true;
  }

  async #handleAudio(frame: Buffer): Promise<void> {
    if (!this.#open || frame.length === 0) return;
    if (looksLikeJsonControl(frame)) {
      return this.#fail(
        dataErrorReason("a JSON message arrived as a binary frame; send control messages as text"),
      );
    }
    let channels: Int16Array[];
    try {
      channels = this.#decoder.decode(frame);
    } catch (error) {
      if (!(error instanceof AudioDecodeError)) throw error;
      return this.#fail(dataErrorReason(error.message));
    }
    const format = this.#decoder.format;
    if (format === undefined || channels.length === 0) return;
    this.#detector ??= new TurnDetector({
      engine: this.#init.engine,
      sampleRate: format.sampleRate,
      settings: () => this.#settings,
      emit: (fields) => this.#turnInfo(fields),
    });
    await this.#detector.write(downmix(channels));
  }

  async #handleText(text: string): Promise<void> {
    if (!this.#open) return;
    const message = readJsonObject(text);
    switch (message?.type) {
      case "CloseStream":
        return this.#closeStream();
      case "ForceEndTurn":
        if (Object.keys(message).length === 1 && message.type === "ForceEndTurn") return this.#forceEndTurn();
        break;
      case "Configure":
        if (message !== undefined) return this.#configure(message);
        break;
    }
    const what = message === undefined ? "not a JSON object" : `type ${JSON.stringify(message.type)}`;
    this.#fatal(
      "UNPARSABLE_CLIENT_MESSAGE",
      `Could not parse the client message (${what}): Flux accepts Configure, ForceEndTurn and CloseStream.`,
    );
  }

  async #forceEndTurn(): Promise<void> {
    const ended = (await this.#detector?.forceEndTurn()) ?? false;
    if (!ended) {
      this.#send({
        type: "Warning",
        request_id: this.requestId,
        sequence_id: this.#sequence++,
        code: "FORCE_END_TURN_NO_ACTIVE_TURN",
        description: "ForceEndTurn was ignored: no turn is active.",
      });
    }
  }

  #configure(message: Record<string, unknown>): void {
    const outcome = applyConfigure(message, this.#settings, this.#multilingual);
    const sequence = this.#sequence++;
    if (outcome.ok) this.#settings = outcome.settings;
    if (this.#faults.flux?.dropConfigureReplies === true) return;
    const envelope = { request_id: this.requestId, sequence_id: sequence };
    this.#send(
      outcome.ok
        ? {
            type: "ConfigureSuccess",
            ...envelope,
            ...configureSuccessFields(outcome.settings, this.#multilingual),
          }
        : { type: "ConfigureFailure", ...envelope, code: outcome.code, description: outcome.description },
    );
  }

  #turnInfo(fields: TurnInfoFields): void {
    const errorAt = this.#faults.flux?.errorAtTurn;
    if (fields.event === "StartOfTurn" && errorAt === fields.turn_index && !this.#failedTurn) {
      this.#failedTurn = true;
      this.#fatal("INTERNAL_SERVER_ERROR", "An internal server error occurred while processing the request");
      return;
    }
    const message: Record<string, unknown> = {
      type: "TurnInfo",
      request_id: this.requestId,
      sequence_id: this.#sequence++,
      ...fields,
    };
    if (this.#multilingual) {
      message.languages = fields.transcript === "" ? [] : ["en"];
      message.languages_hinted = this.#settings.languageHints ?? [];
    }
    this.#send(message);
  }

  async #closeStream(): Promise<void> {
    this.#cancelIdle();
    await this.#detector?.closeStream();
    this.#open = false;
    await this.#closeAfterSending(undefined, "");
  }

  /** A fatal Error (no request_id, as in the reference), then the status-less close. */
  #fatal(code: string, description: string): void {
    this.#send({ type: "Error", sequence_id: this.#sequence++, code, description });
    this.#open = false;
    this.#cancelIdle();
    void this.#closeAfterSending(undefined, "");
  }

  #fail(reason: string): void {
    this.#open = false;
    this.#cancelIdle();
    void this.#closeAfterSending(CLOSE_POLICY_VIOLATION, reason);
  }

  #internalError(error: unknown): void {
    if (!this.#open) return;
    this.#open = false;
    const detail = error instanceof Error ? error.message : String(error);
    void this.#closeAfterSending(CLOSE_INTERNAL_ERROR, fitReason(`engine error: ${detail}`));
  }

  #onIdle(): void {
    if (!this.#open) return;
    // Frames still being worked through are not client silence: the steps await the engine, so
    // on a slow machine they can trail the frames' arrival by more than the timeout.
    if (this.#work.size + this.#work.pending > 0) {
      this.#armIdleTimer();
      return;
    }
    this.#open = false;
    void this.#closeAfterSending(CLOSE_INTERNAL_ERROR, NET_0001_REASON);
  }

  /** `code` undefined: a close frame with no status, which clients report as 1005. */
  async #closeAfterSending(code: number | undefined, reason: string): Promise<void> {
    this.#open = false;
    await this.#outbox.whenSent();
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    try {
      if (code === undefined) this.#ws.close();
      else this.#ws.close(code, fitReason(reason));
    } catch {
      this.#ws.terminate();
    }
  }

  #send(message: object): void {
    this.#outbox.send(message);
  }

  #armIdleTimer(): void {
    this.#cancelIdle();
    if (!this.#open) return;
    this.#cancelIdle = this.#timers.after(this.#init.inactivityTimeoutMs, () => this.#onIdle());
  }

  #onClosed(): void {
    this.#open = false;
    this.#work.clear();
    this.#timers.clearAll();
    this.#outbox.cancel();
    this.#detector?.close();
  }
}

function readJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
