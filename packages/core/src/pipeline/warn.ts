/**
 * Where a failure goes that no event may carry (a throwing `Error` or `Close` handler): a
 * process warning where there is a process, the console elsewhere (the browser build).
 */

/** Reports `error` on a later microtask, outside the caller's stack, so it can never break a stream. */
export function warnLater(error: Error): void {
  queueMicrotask(() => {
    const processLike = (globalThis as { process?: { emitWarning?: (warning: Error) => void } }).process;
    if (typeof processLike?.emitWarning === "function") processLike.emitWarning(error);
    else console.warn(error);
  });
}
