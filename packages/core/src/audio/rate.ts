/** How many bytes one second of audio takes, per encoding. */

const BYTES_PER_SAMPLE: Readonly<Record<string, number>> = {
  linear16: 2,
  linear32: 4,
  float32: 4,
  mulaw: 1,
  alaw: 1,
};

/**
 * Bytes per second of raw audio in `encoding` at `sample_rate` and `channels` (default 1).
 *
 * @returns undefined for compressed or containerised encodings (opus, flac, …), whose rate is
 *   not fixed, and when `sample_rate` is missing.
 * @example
 * ```ts
 * audioBytesPerSecond({ encoding: "linear16", sample_rate: 16000 }); // 32000
 * ```
 */
export function audioBytesPerSecond(info: {
  readonly encoding?: string | undefined;
  readonly sample_rate?: number | undefined;
  readonly channels?: number | undefined;
}): number | undefined {
  const perSample = info.encoding === undefined ? undefined : BYTES_PER_SAMPLE[info.encoding];
  if (perSample === undefined || info.sample_rate === undefined) return undefined;
  if (!(info.sample_rate > 0)) return undefined;
  const channels = info.channels ?? 1;
  if (!(channels > 0)) return undefined;
  return perSample * info.sample_rate * channels;
}
