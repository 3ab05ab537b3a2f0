/**
 * `--stats`: the latency a person feels, measured on this side of the socket — time from the
 * first audio sent to the first interim result, how long after its audio was sent each final
 * arrives (audio end → final, p50/p95), the round trip of `Finalize`, reconnects, bytes sent.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import {
  CLIENT_DIAGNOSTICS_CHANNELS,
  type ClientDiagnosticName,
  type ClientDiagnostics,
} from "@earshot/core";

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

type Diagnostic<N extends ClientDiagnosticName> = ClientDiagnostics[N];

/**
 * Collects the figures from the client diagnostics channels (`earshot:client:*`), which both
 * faces publish on the application's thread. The first stream that connects after
 * {@link StreamStats.subscribe} is the one measured.
 */
export class StreamStats {
  #streamId: string | undefined;
  #firstAudioAt: number | undefined;
  #firstInterimMs: number | undefined;
  readonly #finalLatencies: number[] = [];
  #finalizeRoundTripMs: number | undefined;
  #reconnects = 0;
  #bytesSent = 0;
  /** Called after each figure changes (the live status line). */
  onChange: (() => void) | undefined;

  /**
   * Starts listening; returns the function that stops.
   *
   * @example
   * const stats = new StreamStats();
   * const unsubscribe = stats.subscribe();
   * try { await stream(); } finally { unsubscribe(); }
   * console.log(stats.snapshot());
   */
  subscribe(): () => void {
    const handlers: { [N in ClientDiagnosticName]?: (payload: Diagnostic<N>) => void } = {
      connect: (payload) => {
        this.#streamId ??= payload.streamId;
      },
      audio: (payload) => {
        this.#firstAudioAt ??= payload.at;
        this.#bytesSent = payload.totalBytes;
      },
      result: (payload) => {
        if (payload.type !== "Results" || payload.isFinal || this.#firstInterimMs !== undefined) return;
        if (this.#firstAudioAt !== undefined) this.#firstInterimMs = payload.at - this.#firstAudioAt;
      },
      finalLatency: (payload) => {
        this.#finalLatencies.push(payload.latencyMs);
      },
      finalize: (payload) => {
        this.#finalizeRoundTripMs ??= payload.roundTripMs;
      },
      reconnected: () => {
        this.#reconnects++;
      },
      close: (payload) => {
        this.#bytesSent = Math.max(this.#bytesSent, payload.bytesSent);
        this.#reconnects = Math.max(this.#reconnects, payload.reconnects);
      },
    };
    const subscriptions: [string, (message: unknown) => void][] = [];
    for (const [name, handle] of Object.entries(handlers) as [
      ClientDiagnosticName,
      (payload: unknown) => void,
    ][]) {
      const listener = (message: unknown): void => {
        const payload = message as { streamId: string };
        if (this.#streamId === undefined && name !== "connect") return;
        if (this.#streamId !== undefined && payload.streamId !== this.#streamId) return;
        handle(message);
        this.onChange?.();
      };
      diagnosticsChannel.subscribe(CLIENT_DIAGNOSTICS_CHANNELS[name], listener);
      subscriptions.push([CLIENT_DIAGNOSTICS_CHANNELS[name], listener]);
    }
    return () => {
      for (const [channel, listener] of subscriptions) diagnosticsChannel.unsubscribe(channel, listener);
    };
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
}

const ms = (value: number | undefined) => (value === undefined ? "–" : `${Math.round(value)} ms`);

/** The short form for the status line. */
export function formatLiveStats(stats: StatsSnapshot): string {
  return `1st ${ms(stats.firstInterimMs)} · final p50 ${ms(stats.finalLatencyP50Ms)}`;
}

/**
 * The summary printed at the end (on stderr), one figure per line. `interimResults`: whether
 * interim results were asked for (without them there is no first interim to time, and the line
 * says which flag gives one).
 */
export function formatStatsSummary(stats: StatsSnapshot, opts: { interimResults: boolean }): string[] {
  const firstInterim =
    stats.firstInterimMs === undefined && !opts.interimResults
      ? "– (no interim results asked for: add --interim-results)"
      : ms(stats.firstInterimMs);
  return [
    `earshot: stats: time to first interim   ${firstInterim}`,
    `earshot: stats: audio end → final       p50 ${ms(stats.finalLatencyP50Ms)}, p95 ${ms(stats.finalLatencyP95Ms)} (${stats.finals} finals)`,
    `earshot: stats: Finalize round trip     ${ms(stats.finalizeRoundTripMs)}`,
    `earshot: stats: reconnects              ${stats.reconnects}`,
    `earshot: stats: bytes sent              ${stats.bytesSent}`,
  ];
}
