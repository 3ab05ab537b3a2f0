// One clock for every process of a run: wall-clock milliseconds with sub-millisecond resolution.
// Two processes' clocks agree only up to an offset, which latency runs measure (clock-offset.mjs).
import { performance } from "node:perf_hooks";

/** Milliseconds since the epoch, monotonic within the process, fractional. */
export const now = () => performance.timeOrigin + performance.now();
