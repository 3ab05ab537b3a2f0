/**
 * Cuts audio into frames of about 100 ms (Deepgram advises 20–250 ms per frame) and, for
 * real-time pacing, holds each frame back until the wall clock has caught up with the audio —
 * so a 30 s file takes 30 s, as if it were being spoken.
 */
import { type Clock, RealtimePacer, systemClock } from "@earshot/core";

/** How `frames()` cuts and paces. */
export interface FrameOptions {
  /** Bytes of audio per second; without it, chunks pass through unchanged and unpaced. */
  readonly bytesPerSecond: number | undefined;
  /** Bytes per sample frame, so a cut never splits a sample. @default 1 */
  readonly blockAlign?: number;
  /** Bytes at the start that are a header, not audio (sent first, never waited for). @default 0 */
  readonly headerBytes?: number;
  /** Wait for the audio's own duration before each frame. @default false */
  readonly realtime?: boolean;
  /** Real-time multiplier: 2 sends twice as fast as the audio plays. @default 1 */
  readonly speed?: number;
  /** Milliseconds of audio per frame. @default 100 */
  readonly frameMs?: number;
  /** Stops waiting and ends the frames. */
  readonly signal?: AbortSignal;
  /** Time source for pacing. @default systemClock */
  readonly clock?: Clock;
}

/** Splits chunks into frames of at most `frameBytes` (no copies: subarrays). */
function* split(chunk: Uint8Array, frameBytes: number): Generator<Uint8Array> {
  for (let offset = 0; offset < chunk.length; offset += frameBytes) {
    yield chunk.subarray(offset, Math.min(offset + frameBytes, chunk.length));
  }
}

/** `clock` running `speed` times faster: the pacer then lets audio out `speed` times sooner. */
export function fastForward(clock: Clock, speed: number): Clock {
  if (speed === 1) return clock;
  return {
    now: () => clock.now() * speed,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms / speed),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}

/**
 * Frames `chunks` for sending, optionally at real-time speed (core's `RealtimePacer`).
 *
 * @example
 * for await (const frame of frames(file, { bytesPerSecond: 32_000, realtime: true })) await client.send(frame);
 */
export async function* frames(
  chunks: AsyncIterable<Uint8Array>,
  options: FrameOptions,
): AsyncGenerator<Uint8Array> {
  const {
    bytesPerSecond,
    blockAlign = 1,
    headerBytes = 0,
    realtime = false,
    speed = 1,
    frameMs = 100,
  } = options;
  const { signal, clock = systemClock } = options;
  if (bytesPerSecond === undefined) {
    for await (const chunk of chunks) {
      if (signal?.aborted) return;
      yield chunk;
    }
    return;
  }
  const frameBytes = Math.max(
    blockAlign,
    Math.floor((bytesPerSecond * frameMs) / 1000 / blockAlign) * blockAlign,
  );
  const pacer = realtime
    ? new RealtimePacer({ bytesPerSecond, clock: fastForward(clock, speed) })
    : undefined;
  let header = headerBytes;
  for await (const chunk of chunks) {
    for (const frame of split(chunk, frameBytes)) {
      if (signal?.aborted) return;
      // The header is not audio: it must not make the first frames wait.
      const audioBytes = Math.max(0, frame.length - header);
      header = Math.max(0, header - frame.length);
      if (pacer !== undefined && audioBytes > 0) {
        try {
          await pacer.pace(audioBytes, signal === undefined ? {} : { signal });
        } catch (error) {
          if (signal?.aborted) return;
          throw error;
        }
      }
      yield frame;
    }
  }
}
