/**
 * The one error the pocketsphinx engine throws when it cannot run at all: the native library,
 * the model or the koffi package is missing. Its message always says what to install, because
 * the engine never falls back to anything that would produce made-up words.
 */

/** The Debian command that installs everything this engine needs at run time. */
export const POCKETSPHINX_INSTALL_HINT = "apt-get install libpocketsphinx3 pocketsphinx-en-us";

/**
 * What to do when the koffi package is missing. It is an optional dependency of @earshot/server
 * (28 MB of native binaries needed only by this engine), so installs that omit optional
 * dependencies, or platforms koffi does not support, lack it.
 */
export const KOFFI_FIX =
  "koffi is an optional dependency of @earshot/server, needed only by the pocketsphinx engine: install it with `npm install koffi` (and do not omit optional dependencies)";

/**
 * Thrown (as the engine factory's rejection) when the recognizer cannot start.
 *
 * @example
 * ```ts
 * try {
 *   await startServer({ engine: pocketsphinxEngine() });
 * } catch (error) {
 *   if (error instanceof PocketsphinxUnavailableError) console.error(error.message);
 * }
 * ```
 */
export class PocketsphinxUnavailableError extends Error {
  /** Stable code for programs. */
  readonly code = "ERR_ENGINE_UNAVAILABLE";

  /**
   * @param problem - What is missing, as a sentence without the final period.
   * @param options.fix - What to do about it. @default "Install it with: apt-get install libpocketsphinx3 pocketsphinx-en-us"
   */
  constructor(problem: string, options: { cause?: unknown; fix?: string } = {}) {
    const { fix = `Install it with: ${POCKETSPHINX_INSTALL_HINT}`, ...rest } = options;
    super(`${problem}. ${fix}`, rest);
    this.name = "PocketsphinxUnavailableError";
  }
}
