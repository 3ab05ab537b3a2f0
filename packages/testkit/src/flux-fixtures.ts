/**
 * The recorded Flux (`/v2/listen`) fixtures, kept in this repository (fixtures/deepgram/v2/,
 * provenance in ../SOURCES.md), so no test reads anything outside the checkout.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** `packages/testkit/fixtures/deepgram/v2`. */
export const fluxFixturesDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "fixtures",
  "deepgram",
  "v2",
);

/** One Flux fixture: its file name (e.g. `TurnInfo.Update.rust-fork-test.json`) and exact text. */
export interface FluxFixture {
  readonly name: string;
  readonly text: string;
}

/** Every `.json` Flux fixture, sorted by name. */
export function readFluxFixtures(): FluxFixture[] {
  return readdirSync(fluxFixturesDir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file, text: readFileSync(join(fluxFixturesDir, file), "utf8") }));
}

/** One Flux fixture's text by file name. */
export function readFluxFixture(name: string): string {
  return readFileSync(join(fluxFixturesDir, name), "utf8");
}
