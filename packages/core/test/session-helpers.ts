import type { ManualClock } from "@earshot/testkit";
import type { LiveOptions } from "../src/options.ts";
import { type CloseReport, LiveSession } from "../src/session.ts";

export const API_KEY = "dg-test-key-9f8e7d6c5b4a";

/** Resolves with the session's close report (registered before anything can close it). */
export function closeOf(session: LiveSession): Promise<CloseReport> {
  return new Promise((resolve) => session.once("close", resolve));
}

/** Records every event name in order, with close reports. */
export function recordEvents(session: LiveSession): string[] {
  const events: string[] = [];
  session.on("open", () => events.push("open"));
  session.on("message", (message) => events.push(`message:${message.type}`));
  session.on("close", (report) => events.push(`close:${report.code}`));
  return events;
}

export const RESULTS = JSON.stringify({
  type: "Results",
  channel_index: [0, 1],
  duration: 1,
  start: 0,
  is_final: true,
  speech_final: true,
  from_finalize: false,
  channel: { alternatives: [{ transcript: "hello", confidence: 0.9, words: [] }] },
  metadata: { request_id: "r", model_info: { name: "m", version: "v", arch: "a" }, model_uuid: "u" },
});

export const METADATA = JSON.stringify({
  type: "Metadata",
  transaction_key: "deprecated",
  request_id: "11111111-2222-3333-4444-555555555555",
  sha256: "00",
  created: "2026-01-01T00:00:00.000Z",
  duration: 1,
  channels: 1,
});

/** A linear16 session against the test server at `url`, with the test key and any client options. */
export function testSession(
  url: string,
  extra: Record<string, unknown> = {},
  clock?: ManualClock,
  options: LiveOptions = {},
): LiveSession {
  return new LiveSession({
    options: { ...options, encoding: "linear16", sample_rate: 16_000 },
    client: { url, apiKey: API_KEY, ...extra },
    ...(clock ? { clock } : {}),
  });
}
