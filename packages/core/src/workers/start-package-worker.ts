/**
 * One way for every earshot package to start its own worker threads (the threaded client's
 * engine, the server's thread, the pocketsphinx decoder), whether the package runs built or from
 * its TypeScript source.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/** A worker module as a path or a `file:` URL (what `new Worker()` accepts). */
export type WorkerFile = string | URL;

/**
 * Starts the worker module `name` that sits beside the calling module, or `file` when given.
 *
 * - Built (`dist/`): `<name>.js` beside the caller, i.e. the file tsup emitted for that entry.
 * - From TypeScript source (the repository's own tests, which resolve packages through the
 *   `source` export condition): `<name>.ts` beside the caller, loaded through tsx (a dev
 *   dependency of the workspace) with the `source` condition, so the worker runs the same current
 *   source as its caller, without a build. Node 20 cannot load `.ts` by itself.
 * - `file`: an explicit worker file, for applications whose bundler moved the caller away from
 *   its worker (see the packages' "Bundling" sections).
 *
 * @param callerUrl - The caller's `import.meta.url`.
 * @param name - The worker module's file name without extension, e.g. `"engine-worker"`.
 * @param options - Passed to `new Worker()`. @default {}
 * @param file - A worker file to start instead of the one beside the caller. @default undefined
 * @example
 * ```ts
 * const worker = startPackageWorker(import.meta.url, "engine-worker", { name: "earshot-engine" });
 * ```
 */
export function startPackageWorker(
  callerUrl: string,
  name: string,
  options: WorkerOptions = {},
  file?: WorkerFile,
): Worker {
  if (file !== undefined) return new Worker(file, options);
  if (!callerUrl.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const target = new URL(`./${name}.ts`, callerUrl).href;
  // Node 20 ignores `--import tsx` in a worker's execArgv, so a small bootstrap registers tsx's
  // loader hooks on the new thread first, then imports the worker module through them.
  const register = JSON.stringify(tsxRegisterUrl(callerUrl));
  const bootstrap = `import(${register}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
  const inherited = options.execArgv ?? process.execArgv;
  return new Worker(bootstrap, {
    ...options,
    eval: true,
    execArgv: inherited.includes("--conditions=source") ? inherited : [...inherited, "--conditions=source"],
  });
}

/**
 * `tsx/esm/api` as an ES module URL (its CommonJS twin cannot register ESM hooks from a worker),
 * for workers that load their module themselves (the threaded engine's loader).
 */
export function tsxRegisterUrl(callerUrl: string): string {
  let commonJs: string;
  try {
    commonJs = createRequire(callerUrl).resolve("tsx/esm/api");
  } catch (cause) {
    throw new Error(
      `Starting a worker from TypeScript source (${callerUrl}) needs the tsx package, a dev dependency of the earshot workspace: run \`pnpm install\` at the repository root, or use the built package.`,
      { cause },
    );
  }
  // tsx's exports map gives `tsx/esm/api` as index.cjs (require) and index.mjs (import), side by side.
  return pathToFileURL(commonJs.replace(/\.cjs$/, ".mjs")).href;
}
