/**
 * The one error the pocketsphinx engine throws when it cannot run at all: the native library,
 * the model or the koffi package is missing. Its message always says what to install, because
 * the engine never falls back to anything that would produce made-up words.
 */

/** The Debian command that installs everything this engine needs at run time. */
export const POCKETSPHINX_INSTALL_HINT = "apt-get install libpocketsphinx3 pocketsphinx-en-us";

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

  constructor(problem: string, options?: { cause?: unknown }) {
    super(`${problem}. Install it with: ${POCKETSPHINX_INSTALL_HINT}`, options);
    this.name = "PocketsphinxUnavailableError";
  }
}
