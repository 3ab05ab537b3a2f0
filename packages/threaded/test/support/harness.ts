/**
 * What every threaded test needs: a recorder that logs each event a client delivers (in
 * order, with payloads), speech-like audio in 20 ms chunks, and the after-each check that no
 * engine thread or session is left behind (workers do not show in getActiveResourcesInfo).
 */

import { chunk, silence, tone } from "@earshot/testkit";
import {
  engineStats,
  type LiveClient,
  type LiveTranscriptionEvent,
  type LiveTranscriptionEventMap,
  LiveTranscriptionEvents,
  shutdownEngines,
} from "@earshot/threaded";
import { expect } from "vitest";

export type Logged = {
  [E in LiveTranscriptionEvent]: { readonly event: E; readonly payload: LiveTranscriptionEventMap[E] };
}[LiveTranscriptionEvent];

/** Records every event of `client`, in delivery order. */
export function record(client: LiveClient): { readonly events: Logged[]; names(): string[] } {
  const events: Logged[] = [];
  for (const event of Object.values(LiveTranscriptionEvents)) {
    const handler = (payload: unknown) => {
      events.push({ event, payload } as Logged);
    };
    client.on(event, handler as never);
  }
  return { events, names: () => events.map((logged) => logged.event) };
}

/** The payloads of every `event` recorded. */
export function payloads<E extends LiveTranscriptionEvent>(
  events: readonly Logged[],
  event: E,
): LiveTranscriptionEventMap[E][] {
  return events
    .filter((logged) => logged.event === event)
    .map((logged) => logged.payload as LiveTranscriptionEventMap[E]);
}

/** Linear16 16 kHz mono options for the local server. */
export const PCM = { encoding: "linear16", sample_rate: 16_000 } as const;

/** Two utterances (tone) each followed by silence, as 20 ms (640-byte) chunks. */
export function speech(): Buffer[] {
  return chunk(Buffer.concat([tone(1.2), silence(0.6), tone(0.8), silence(0.6)]), 0.02);
}

/** Fails the test if a session or an engine thread outlives it; then stops the pool. */
export async function expectNoEngineLeft(): Promise<void> {
  const { sessions } = engineStats();
  await shutdownEngines();
  expect(sessions, "sessions still registered on the engine pool").toBe(0);
  expect(engineStats().workers, "engine workers still running").toBe(0);
}

/** Final transcripts (non-empty) in delivery order. */
export function finalTranscripts(events: readonly Logged[]): string[] {
  return payloads(events, "Results")
    .filter((result) => result.is_final)
    .map((result) => result.channel.alternatives[0]?.transcript ?? "")
    .filter((text) => text !== "");
}
