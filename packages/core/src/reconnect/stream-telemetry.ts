/**
 * What latency needs, measured where every frame and result passes (the reconnecting session,
 * which both faces run): bytes and stream time of each audio frame when sent, each result's
 * arrival, audio end → final latency (a Flux EndOfTurn is Flux's final) and the Finalize round
 * trip. Published through a
 * {@link DiagnosticsSink}, so the threaded engine can forward it to the application's thread.
 */
import type { Clock } from "../clock.ts";
import type { ClientDiagnosticName, ClientDiagnostics, DiagnosticsSink } from "../diagnostics.ts";
import type { FluxTurnInfoMessage } from "../flux/message-types.ts";
import type { ResultsMessage, ServerMessage } from "../messages.ts";
import { AudioTimeline } from "./audio-timeline.ts";

/** Sent audio frames remembered for the latency of the finals that will cover them. */
const MAX_TRACKED_FRAMES = 4096;

type Payload<N extends ClientDiagnosticName> = Omit<ClientDiagnostics[N], "streamId" | "at">;

export class StreamTelemetry {
  readonly #sink: DiagnosticsSink;
  readonly #clock: Clock;
  readonly #streamId: string;
  readonly #timeline: AudioTimeline;
  /** (bytes sent up to the frame's end, when it was sent), oldest first. */
  #frames: Array<readonly [number, number]> = [];
  #bytesSent = 0;
  #firstOpenAt: number | undefined;
  #connectAt = 0;
  #finalizeAt: number | undefined;

  constructor(init: {
    sink: DiagnosticsSink;
    clock: Clock;
    streamId: string;
    /** The live options, whose `encoding`/`sample_rate` give raw audio's rate (else a WAV header does). */
    options: { encoding?: string; sample_rate?: number; channels?: number };
  }) {
    this.#sink = init.sink;
    this.#clock = init.clock;
    this.#streamId = init.streamId;
    this.#timeline = new AudioTimeline(init.options);
  }

  /** Audio bytes handed to connections so far (replays not counted twice). */
  get bytesSent(): number {
    return this.#bytesSent;
  }

  connecting(url: string, attempt: number): void {
    this.#connectAt = this.#clock.now();
    this.#publish("connect", { url, attempt });
  }

  opened(requestId: string | undefined): void {
    const now = this.#clock.now();
    this.#firstOpenAt ??= now;
    this.#publish("open", { requestId, connectMs: now - this.#connectAt });
  }

  audioSent(frame: Uint8Array): void {
    const bytes = frame.byteLength;
    this.#bytesSent += bytes;
    this.#timeline.observe(frame);
    // Tracked by bytes, not seconds: a WAV's rate is known only once its header is complete,
    // and the frames before that count as much for the finals that end in them.
    if (!this.#timeline.measurable) this.#frames.length = 0;
    else if (this.#sink.wanted("finalLatency") || this.#sink.wanted("endOfTurnLatency")) {
      if (this.#frames.length >= MAX_TRACKED_FRAMES) this.#frames.shift();
      this.#frames.push([this.#bytesSent, this.#clock.now()]);
    }
    this.#publish("audio", {
      bytes,
      totalBytes: this.#bytesSent,
      streamSeconds: this.#timeline.secondsAt(this.#bytesSent),
    });
  }

  finalizeSent(): void {
    this.#finalizeAt ??= this.#clock.now();
  }

  /** A message arrived, its timestamps already on the stream's timeline. */
  /** Whether the diagnostics listening now read received messages (see {@link received}). */
  get readsMessages(): boolean {
    return (
      this.#sink.wanted("result") ||
      this.#sink.wanted("finalize") ||
      this.#sink.wanted("finalLatency") ||
      this.#sink.wanted("endOfTurnLatency")
    );
  }

  received(message: ServerMessage | { readonly type: string }, receivedAt: number): void {
    const results = message.type === "Results" ? (message as ResultsMessage) : undefined;
    const audioEnd = results === undefined ? undefined : results.start + results.duration;
    this.#publish("result", {
      type: message.type,
      isFinal: results?.is_final === true,
      fromFinalize: results?.from_finalize === true,
      audioEndSeconds: audioEnd,
      sinceOpenMs: receivedAt - (this.#firstOpenAt ?? receivedAt),
    });
    if (results?.from_finalize === true && this.#finalizeAt !== undefined) {
      this.#publish("finalize", { roundTripMs: receivedAt - this.#finalizeAt });
      this.#finalizeAt = undefined;
    }
    if (results?.is_final === true && audioEnd !== undefined) {
      const latencyMs = this.#latencyTo(audioEnd, receivedAt);
      if (latencyMs !== undefined) this.#publish("finalLatency", { audioEndSeconds: audioEnd, latencyMs });
    }
    const turn = message.type === "TurnInfo" ? (message as FluxTurnInfoMessage) : undefined;
    if (turn?.event === "EndOfTurn") {
      const latencyMs = this.#latencyTo(turn.audio_window_end, receivedAt);
      if (latencyMs === undefined) return;
      this.#publish("endOfTurnLatency", {
        turnIndex: turn.turn_index,
        trigger: turn.trigger,
        audioEndSeconds: turn.audio_window_end,
        latencyMs,
      });
    }
  }

  /** Publishes a payload (with the stream id and time added) if anyone listens. */
  publish<N extends ClientDiagnosticName>(name: N, payload: Payload<N>): void {
    this.#publish(name, payload);
  }

  /** Ms from sending the audio that ends at `audioEnd` to `receivedAt`; undefined when not tracked. */
  #latencyTo(audioEnd: number, receivedAt: number): number | undefined {
    // The first frame whose end reaches the final's end is the audio the final waited for.
    let index = 0;
    for (; index < this.#frames.length; index++) {
      const frameEnd = this.#timeline.secondsAt((this.#frames[index] as readonly [number, number])[0]);
      if (frameEnd === undefined) return undefined;
      if (frameEnd >= audioEnd - 1e-6) break;
    }
    const frame = this.#frames[index];
    if (frame === undefined) return undefined;
    this.#frames = this.#frames.slice(index);
    return receivedAt - frame[1];
  }

  #publish<N extends ClientDiagnosticName>(name: N, payload: Payload<N>): void {
    if (!this.#sink.wanted(name)) return;
    this.#sink.publish(name, {
      streamId: this.#streamId,
      at: this.#clock.now(),
      ...payload,
    } as ClientDiagnostics[N]);
  }
}
