/**
 * Drives one engine stream the way the server does: audio in chunks, then a flush, collecting
 * every event in order.
 */
import type { LiveOptions } from "@earshot/core";
import type { Engine, EngineEvent } from "../../src/engine.ts";

/** Feeds `samples` (at `sampleRate`) in `chunkSeconds` pieces, flushes with "close", closes. */
export async function transcribe(
  engine: Engine,
  samples: Int16Array,
  { sampleRate = 16_000, chunkSeconds = 0.1, options = { interim_results: true } as LiveOptions } = {},
): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  const stream = engine.createStream({ sampleRate, channel: 0, options }, (event) => events.push(event));
  const step = Math.max(1, Math.round(chunkSeconds * sampleRate));
  for (let offset = 0; offset < samples.length; offset += step) {
    stream.write(samples.slice(offset, Math.min(offset + step, samples.length)));
  }
  await stream.flush("close");
  stream.close();
  return events;
}

/** The words of every final event, in order. */
export function finalWords(events: readonly EngineEvent[]): string[] {
  return events.flatMap((event) => (event.type === "final" ? event.words.map((word) => word.word) : []));
}
