/**
 * What a replacement connection is sent before anything new: the replayed audio with the
 * requests the old connection left unanswered put back at their places in it, so that each
 * is handled behind the same audio as the first time (a ForceEndTurn ends the turn it was
 * sent to end, not one the audio after it would end by itself).
 */

/** A control frame to send again, and where it went out: after `atByte` bytes of the stream's audio. */
export interface ReplayedControl {
  readonly frame: string;
  readonly atByte: number;
}

/**
 * The replay (`chunks`, the first starting `startByte` bytes into the stream) with `controls`
 * put in: a control goes before the first audio byte at or past its place; controls placed
 * before the replay's start lead, those at or past its end follow. Controls keep their order.
 *
 * @example
 * ```ts
 * replayPlan([a, b], 0, [{ frame: FORCE_END_TURN_FRAME, atByte: a.byteLength }]); // [a, frame, b]
 * ```
 */
export function replayPlan(
  chunks: readonly Uint8Array[],
  startByte: number,
  controls: readonly ReplayedControl[],
): Array<Uint8Array | string> {
  const sorted = controls.map((control, index) => ({ control, index }));
  sorted.sort((a, b) => a.control.atByte - b.control.atByte || a.index - b.index);
  const plan: Array<Uint8Array | string> = [];
  let next = 0;
  let at = startByte;
  const placeUpTo = (position: number): void => {
    for (; next < sorted.length && (sorted[next]?.control.atByte ?? 0) <= position; next++)
      plan.push(sorted[next]?.control.frame as string);
  };
  for (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      placeUpTo(at + offset);
      const nextAt = sorted[next]?.control.atByte;
      const until = nextAt === undefined ? chunk.byteLength : Math.min(chunk.byteLength, nextAt - at);
      plan.push(offset === 0 && until === chunk.byteLength ? chunk : chunk.subarray(offset, until));
      offset = until;
    }
    at += chunk.byteLength;
  }
  placeUpTo(Number.POSITIVE_INFINITY);
  return plan;
}
