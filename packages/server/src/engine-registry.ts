/**
 * Engines by name, for the CLI's `--engine`. Built in: `scripted` (deterministic, for tests)
 * and `pocketsphinx` (real offline recognition; its native library loads only when the engine
 * starts). Another engine plugs in with {@link registerEngine}.
 */
import type { EngineFactory } from "./engine.ts";
import { pocketsphinxEngine } from "./engines/pocketsphinx/index.ts";
import { scriptedEngine } from "./engines/scripted-engine.ts";

const engines = new Map<string, () => EngineFactory>([
  ["scripted", () => scriptedEngine()],
  ["pocketsphinx", () => pocketsphinxEngine()],
]);

/**
 * Makes an engine available by name (e.g. to `earshot-server --engine <name>`).
 *
 * @example
 * ```ts
 * registerEngine("mine", () => myEngineFactory);
 * ```
 */
export function registerEngine(name: string, create: () => EngineFactory): void {
  engines.set(name, create);
}

/** The factory registered under `name`; throws a RangeError listing the known names. */
export function resolveEngine(name: string): EngineFactory {
  const create = engines.get(name);
  if (create === undefined) {
    throw new RangeError(`unknown engine "${name}"; known engines: ${engineNames().join(", ")}`);
  }
  return create();
}

/** Names of the registered engines. */
export function engineNames(): string[] {
  return [...engines.keys()];
}
