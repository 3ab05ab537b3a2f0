/**
 * `--stats`: the latency a person feels, measured on this side of the socket — time from the
 * first audio sent to the first interim result, how long after its audio was sent each final
 * arrives (audio end → final, p50/p95), the round trip of `Finalize`, reconnects, bytes sent.
 */
import type { ServerMessage } from "@earshot/core";

/** A snapshot of the figures. */
export interface StatsSnapshot {
  readonly firstInterimMs: number | undefined;
  readonly finalLatencyP50Ms: number | undefined;
  readonly finalLatencyP95Ms: number | undefined;
  readonly finals: number;
  readonly finalizeRoundTripMs: number | undefined;
  readonly reconnects: number;
  readonly bytesSent: number;
}

/** The `p`th percentile (0–100) of sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Collects what happened, with times in milliseconds from one clock. */
export class StreamStats {
  #firstAudioAt: number | undefined;
  #firstInterimMs: number | undefined;
  /** Audio seconds sent so far, and when: [streamSeconds, at], in order. */
  readonly #sent: [number, number][] = [];
  readonly #finalLatencies: number[] = [];
  #finalizeRoundTripMs: number | undefined;
  #reconnects = 0;
  #bytesSent = 0;

  /** `bytes` went out, taking the stream to `streamSeconds` of audio (undefined when unknown). */
  audioSent(bytes: number, streamSeconds: number | undefined, at: number): void {
    this.#firstAudioAt ??= at;
    this.#bytesSent += bytes;
    if (streamSeconds !== undefined) this.#sent.push([streamSeconds, at]);
  }

  /** A server message arrived. */
  received(message: ServerMessage, at: number): void {
    if (message.type !== "Results") return;
    if (!message.is_final) {
      if (this.#firstInterimMs === undefined && this.#firstAudioAt !== undefined) {
        this.#firstInterimMs = at - this.#firstAudioAt;
      }
      return;
    }
    const end = message.start + message.duration;
    const sentAt = this.#sentAt(end);
    if (sentAt !== undefined && (message.channel.alternatives[0]?.transcript.trim() ?? "") !== "") {
      this.#finalLatencies.push(Math.max(0, at - sentAt));
    }
  }

  finalizeRoundTrip(ms: number): void {
    this.#finalizeRoundTripMs = ms;
  }

  reconnected(): void {
    this.#reconnects++;
  }

  snapshot(): StatsSnapshot {
    const sorted = [...this.#finalLatencies].sort((a, b) => a - b);
    return {
      firstInterimMs: this.#firstInterimMs,
      finalLatencyP50Ms: percentile(sorted, 50),
      finalLatencyP95Ms: percentile(sorted, 95),
      finals: sorted.length,
      finalizeRoundTripMs: this.#finalizeRoundTripMs,
      reconnects: this.#reconnects,
      bytesSent: this.#bytesSent,
    };
  }

  /** When the audio up to `streamSeconds` had been sent (the first send that reached it). */
  #sentAt(streamSeconds: number): number | undefined {
    // Timestamps are rounded by the server: a hundredth of a second of slack.
    for (const [seconds, at] of this.#sent) if (seconds + 0.01 >= streamSeconds) return at;
    return this.#sent.at(-1)?.[1];
  }
}

const ms = (value: number | undefined) => (value === undefined ? "–" : `${Math.round(value)} ms`);

/** The short form for the status line. */
export function formatLiveStats(stats: StatsSnapshot): string {
  return `1st ${ms(stats.firstInterimMs)} · final p50 ${ms(stats.finalLatencyP50Ms)}`;
}

/** The summary printed at the end (on stderr), one figure per line. */
export function formatStatsSummary(stats: StatsSnapshot): string[] {
  return [
    `earshot: stats: time to first interim   ${ms(stats.firstInterimMs)}`,
    `earshot: stats: audio end → final       p50 ${ms(stats.finalLatencyP50Ms)}, p95 ${ms(stats.finalLatencyP95Ms)} (${stats.finals} finals)`,
    `earshot: stats: Finalize round trip     ${ms(stats.finalizeRoundTripMs)}`,
    `earshot: stats: reconnects              ${stats.reconnects}`,
    `earshot: stats: bytes sent              ${stats.bytesSent}`,
  ];
}
