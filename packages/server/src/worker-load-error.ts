/**
 * The error for a server worker thread (the server thread, a pocketsphinx decoder) whose module
 * could not load: typically an application bundle that moved `@earshot/server` away from its
 * worker files. It names the option that points at the file.
 */

/**
 * A worker thread's module could not load, or could not be found. `option` is the option that
 * names the worker file; `cause` is the worker's own error.
 *
 * @example
 * ```ts
 * try {
 *   await startServerThread();
 * } catch (error) {
 *   if (error instanceof WorkerLoadError) console.error(`set ${error.option}:`, error.message);
 * }
 * ```
 */
export class WorkerLoadError extends Error {
  /** Stable code for programs. */
  readonly code = "ERR_WORKER_LOAD";
  /** The option naming the worker file, e.g. `"workerFile"`. */
  readonly option: string;

  /**
   * @param message - What failed and what to do (see {@link workerLoadError}).
   * @param option - The option that names the worker file.
   * @param init.cause - The worker's own error. @default undefined
   */
  constructor(message: string, option: string, init: { cause?: unknown } = {}) {
    super(message, init);
    this.name = "WorkerLoadError";
    this.option = option;
  }
}

/** What a {@link WorkerLoadError} says. */
export interface WorkerLoadProblem {
  /** What failed, as a sentence without the final period. */
  readonly problem: string;
  /** The option that names the worker file, as the caller writes it. */
  readonly option: string;
  /** Where else the option is set, shown in parentheses after its name. @default none */
  readonly elsewhere?: string;
  /** The package entry to bundle, e.g. `"@earshot/server/server-thread-worker"`. */
  readonly entry: string;
  /** The entry of the inlined worker, when there is one. @default none */
  readonly inline?: string;
  /** The worker's own error. */
  readonly cause: unknown;
}

/** A {@link WorkerLoadError} whose message ends with what to do. */
export function workerLoadError(what: WorkerLoadProblem): WorkerLoadError {
  const named = what.elsewhere === undefined ? what.option : `${what.option} (${what.elsewhere})`;
  const inline = what.inline === undefined ? "" : ` (or use the inlined worker, ${what.inline})`;
  return new WorkerLoadError(
    `${what.problem}. If your application is bundled, bundle ${what.entry} as an entry point of its own${inline} and set the option ${named} to its location (see "Bundling" in @earshot/server's README).`,
    what.option,
    { cause: what.cause },
  );
}

/** The worker's error as one clause: its message (or what it threw) without a final period. */
export function describeFailure(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
}

/** A worker file for a message: an inlined worker's `data:` URL is a few hundred KB. */
export function describeWorkerFile(file: string | URL | undefined, name: string): string {
  if (file === undefined) return `${name}.js`;
  const text = String(file);
  return text.startsWith("data:") ? `the inlined ${name} (a data: URL)` : text;
}
