/** Seconds rounded to the microsecond, so sums of sample counts print cleanly. */
export function roundTime(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
