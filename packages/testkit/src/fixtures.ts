import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root (this file lives at packages/testkit/src). */
export const repoRoot = resolve(here, "..", "..", "..");

/**
 * The recorded Deepgram server messages, kept in this package (`packages/testkit/fixtures/
 * deepgram/`, provenance in its SOURCES.md) so a plain clone tests itself with nothing beside it.
 */
export const deepgramFixturesDir = resolve(here, "..", "fixtures", "deepgram");

export interface Fixture {
  /** File name relative to `fixtures/deepgram/`, e.g. `messages/Results.docs-getting-started.json`. */
  readonly name: string;
  /** The exact file text. */
  readonly text: string;
}

/** Every `.json` file under `fixtures/deepgram/<folder>/`, sorted by name. */
export function readFixtures(folder: "messages" | "python-sdk-recorded"): Fixture[] {
  const dir = join(deepgramFixturesDir, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: `${folder}/${file}`, text: readFileSync(join(dir, file), "utf8") }));
}

/** One fixture's text by its name under `fixtures/deepgram/`. */
export function readFixture(name: string): string {
  return readFileSync(join(deepgramFixturesDir, name), "utf8");
}
