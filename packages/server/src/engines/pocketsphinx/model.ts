/**
 * Where the recognizer's files are: Debian's pocketsphinx-en-us model and the two shared
 * libraries. Checked before any thread starts, so a missing package is reported at once.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { PocketsphinxUnavailableError } from "./errors.ts";

/** Where `pocketsphinx-en-us` installs the US English model. */
export const DEFAULT_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us";

/** The sonames of Debian's `libpocketsphinx3` (which pulls in `libsphinxbase3`). */
export const DEFAULT_LIBRARIES = {
  pocketsphinx: "libpocketsphinx.so.3",
  sphinxbase: "libsphinxbase.so.3",
} as const;

/** The three files a decoder loads. */
export interface ModelFiles {
  readonly hmm: string;
  readonly lm: string;
  readonly dict: string;
}

/**
 * Finds the model's files under `modelDir` (laid out as in `pocketsphinx-en-us`).
 * Throws {@link PocketsphinxUnavailableError} naming the first one missing.
 */
export function locateModel(modelDir: string = DEFAULT_MODEL_DIR): ModelFiles {
  const files = {
    hmm: join(modelDir, "en-us"),
    lm: join(modelDir, "en-us.lm.bin"),
    dict: join(modelDir, "cmudict-en-us.dict"),
  };
  if (!existsSync(files.hmm) || !statSync(files.hmm).isDirectory()) {
    throw new PocketsphinxUnavailableError(`The pocketsphinx acoustic model was not found at ${files.hmm}`);
  }
  for (const file of [files.lm, files.dict]) {
    if (!existsSync(file))
      throw new PocketsphinxUnavailableError(`The pocketsphinx model file ${file} was not found`);
  }
  return files;
}
