/**
 * Writing encoded frames into a stream's ring from the application thread: split audio larger
 * than a record, and wait (bounded by `sendTimeoutMs`) while the ring is full — the only time a
 * `send()` blocks.
 */
import { BufferOverflowError, type EarshotError } from "@earshot/core";
import { RecordKind } from "./ring-buffer.ts";
import type { SessionChannel } from "./session-channel.ts";

const encoder = new TextEncoder();

/** How the client writes into one stream's ring. */
export interface RingWriteLimits {
  readonly sendTimeoutMs: number;
  readonly ringBytes: number;
}

/**
 * Writes one audio frame (split when larger than a record may be; the bytes on the wire are the
 * same). `report` hears why a write failed, unless the stream closed meanwhile (nothing is
 * reported after Close).
 */
export function writeAudio(
  channel: SessionChannel,
  frame: Uint8Array,
  limits: RingWriteLimits,
  report: (error: EarshotError) => void,
): boolean {
  const max = channel.writer.maxPayloadBytes;
  for (let offset = 0; offset < frame.byteLength; offset += max) {
    if (!writeRecord(channel, RecordKind.Audio, frame.subarray(offset, offset + max), limits, report))
      return false;
  }
  return true;
}

/** Writes one control text frame, encoded by core's frame encoder. */
export function writeControl(
  channel: SessionChannel,
  frame: string,
  limits: RingWriteLimits,
  report: (error: EarshotError) => void,
): boolean {
  return writeRecord(channel, RecordKind.Control, encoder.encode(frame), limits, report);
}

/** Writes one record, waiting for room at most `sendTimeoutMs` (or `deadline`). */
export function writeRecord(
  channel: SessionChannel,
  kind: RecordKind,
  payload: Uint8Array | undefined,
  limits: RingWriteLimits,
  report: (error: EarshotError) => void,
  deadline = performance.now() + limits.sendTimeoutMs,
): boolean {
  if (channel.writer.tryWrite(kind, payload)) return true;
  for (;;) {
    const waited = channel.writer.waitForRoom(payload?.byteLength ?? 0, deadline);
    // The stream closed while waiting: its own Error and Close say why; nothing more is reported.
    if (waited === "closed") return false;
    if (waited === "timed-out") {
      report(
        new BufferOverflowError(
          limits.ringBytes,
          `send() waited ${limits.sendTimeoutMs} ms for room in the engine's ${limits.ringBytes}-byte buffer: the network is slower than the audio. The chunk was not (fully) queued.`,
        ),
      );
      return false;
    }
    if (channel.writer.tryWrite(kind, payload)) return true;
  }
}
