// Audio for the scenarios: 16 kHz linear16 mono in 20 ms frames (640 bytes), and real-time pacing.
import { now } from "../clock.mjs";

export const PCM = { encoding: "linear16", sample_rate: 16_000 };
export const FRAME_BYTES = 640;
export const FRAME_MS = 20;
export const FRAMES_PER_SECOND = 1000 / FRAME_MS;

/** `seconds` of audio as 640-byte frames, views of one buffer (a varying waveform, not silence). */
export function audioFrames(seconds) {
  const count = Math.round(seconds * FRAMES_PER_SECOND);
  const audio = Buffer.allocUnsafe(count * FRAME_BYTES);
  for (let i = 0; i < audio.length; i += 2) audio.writeInt16LE(Math.round(8000 * Math.sin(i / 37)), i);
  return Array.from({ length: count }, (_, i) => audio.subarray(i * FRAME_BYTES, (i + 1) * FRAME_BYTES));
}

/** Sends `frames` no faster than real time (each frame when it is due), then resolves. */
export async function sendRealtime(connection, frames) {
  const startedAt = now();
  let sent = 0;
  while (sent < frames.length) {
    const due = Math.min(frames.length, Math.floor((now() - startedAt) / FRAME_MS) + 1);
    while (sent < due) connection.send(frames[sent++]);
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }
}
