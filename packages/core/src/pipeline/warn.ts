/**
 * Where a failure goes that no event may carry (a throwing `Error` or `Close` handler): a
 * process warning in Node, the console in a browser (core's platform decides).
 */
import { platform } from "#platform";

/** Reports `error` on a later microtask, outside the caller's stack, so it can never break a stream. */
export function warnLater(error: Error): void {
  queueMicrotask(() => platform.emitWarning(error));
}
