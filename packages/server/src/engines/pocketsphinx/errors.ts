/**
 * The one error the pocketsphinx engine throws when it cannot run at all: the native library,
 * the model or the koffi package is missing. Its message always says what to install, because
 * the engine never falls back to anything that would produce made-up words.
 */

/** The Debian command that installs everything this engine needs at run time. */
export const POCKETSPHINX_INSTALL_HINT = "apt-get install libpocketsphinx3 pocketsphinx-en-us";

/** What to do when the koffi package (a dependency of @earshot/server) is missing. */
export const KOFFI_FIX =
  "Reinstall @earshot/server's dependencies (npm install / pnpm install), which include koffi";

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
