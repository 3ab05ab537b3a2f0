/** Splitting audio into frames of the advised size (20–250 ms each, docs/protocol.md §3). */

/**
 * Yields consecutive views of `bytes`, `chunkBytes` long (the last may be shorter). No bytes
 * are copied; an empty input yields nothing.
 *
 * @example
 * ```ts
 * for (const frame of chunkAudio(pcm, audioChunkBytes(32000, 100, 2))) session.send(frame);
 * ```
 */
export function* chunkAudio(bytes: Uint8Array, chunkBytes: number): Generator<Uint8Array> {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) {
    throw new RangeError(`chunkBytes must be a positive integer; received ${String(chunkBytes)}`);
  }
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
    yield bytes.subarray(offset, Math.min(offset + chunkBytes, bytes.byteLength));
  }
}

/**
 * Bytes in `ms` of audio at `bytesPerSecond`, rounded down to whole sample frames of
 * `blockAlign` bytes (so a chunk never splits a sample), and at least one frame.
 *
 * @param blockAlign bytes per sample frame (all channels). @default 1
 * @example
 * ```ts
 * audioChunkBytes(32000, 100, 2); // 3200: 100 ms of 16 kHz mono linear16
 * ```
 */
export function audioChunkBytes(bytesPerSecond: number, ms: number, blockAlign = 1): number {
  if (!(bytesPerSecond > 0) || !(ms > 0) || !Number.isInteger(blockAlign) || blockAlign <= 0) {
    throw new RangeError("bytesPerSecond and ms must be positive and blockAlign a positive integer");
  }
  const frames = Math.floor((bytesPerSecond * ms) / 1000 / blockAlign);
  return Math.max(1, frames) * blockAlign;
}
