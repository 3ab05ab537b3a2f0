/**
 * One way for every earshot package to start its own worker threads (the threaded client's
 * engine, the server's thread, the pocketsphinx decoder), whether the package runs built, from
 * its TypeScript source, or bundled into an application.
 */
import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * A worker module: a path (absolute, or relative to the current directory), a `file:` URL, or
 * the `data:` URL of an inlined worker (what `new Worker()` accepts, plus `file:`/`data:` URL
 * strings).
 */
export type WorkerFile = string | URL;

/**
 * What is wrong with `file` as a worker file, or undefined when it is one.
 *
 * @example
 * ```ts
 * workerFileProblem(42); // "must be a path, or a file: or data: URL; got number."
 * ```
 */
export function workerFileProblem(file: unknown): string | undefined {
  const accepts = "must be a path, or a file: or data: URL";
  if (file instanceof URL) {
    return file.protocol === "file:" || file.protocol === "data:"
      ? undefined
      : `${accepts}; got a ${file.protocol} URL.`;
  }
  if (typeof file !== "string" || file === "")
    return `${accepts}; got ${file === "" ? "an empty string" : typeof file}.`;
  // Any other scheme written as a string would otherwise pass for a relative path.
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(file)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "file:") return `${accepts}; got a ${scheme} URL.`;
  return undefined;
}

/**
 * `file` as a `file:` or `data:` URL.
 *
 * @param file - A path (relative ones are taken from the current directory, as `new Worker()`
 *   does), or a `file:`/`data:` URL or URL string.
 * @param option - The option `file` came from, named in the error.
 * @throws TypeError when `file` is neither, naming `option` and what it accepts.
 * @example
 * ```ts
 * toWorkerUrl("dist/engine-worker.js", "engineWorkerFile"); // file:///…/dist/engine-worker.js
 * ```
 */
export function toWorkerUrl(file: unknown, option: string): URL {
  const problem = workerFileProblem(file);
  if (problem !== undefined) throw new TypeError(`${option} ${problem}`);
  if (file instanceof URL) return file;
  const text = file as string;
  if (text.startsWith("file:") || text.startsWith("data:")) return new URL(text);
  return pathToFileURL(isAbsolute(text) ? text : resolve(text));
}

/**
 * Where the worker module `name` sits beside the calling module, or undefined when the caller
 * cannot tell: bundled into CommonJS (no `import.meta.url`) or inlined (a `data:` URL).
 */
export function besideCaller(callerUrl: string | undefined, name: string): URL | undefined {
  if (typeof callerUrl !== "string" || !callerUrl.startsWith("file:")) return undefined;
  return new URL(`./${name}.${callerUrl.endsWith(".ts") ? "ts" : "js"}`, callerUrl);
}

/**
 * Starts the worker module `name` that sits beside the calling module, or `file` when given.
 *
 * - Built (`dist/`): `<name>.js` beside the caller, i.e. the file tsup emitted for that entry
 *   (for a bundled application: the file of that name beside its bundle).
 * - From TypeScript source (the repository's own tests, which resolve packages through the
 *   `source` export condition): `<name>.ts` beside the caller, loaded through tsx (a dev
 *   dependency of the workspace) with the `source` condition, so the worker runs the same current
 *   source as its caller, without a build. Node 20 cannot load `.ts` by itself.
 * - `file`: an explicit worker file, for applications whose bundler moved the caller away from
 *   its worker (see the packages' "Bundling" sections).
 *
 * @param callerUrl - The caller's `import.meta.url` (undefined in a CommonJS bundle).
 * @param name - The worker module's file name without extension, e.g. `"engine-worker"`.
 * @param options - Passed to `new Worker()`. @default {}
 * @param file - A worker file to start instead of the one beside the caller. @default undefined
 * @throws TypeError when `file` is not a worker file, or when there is none and the caller
 *   cannot tell where its worker is (callers add which option to set).
 * @example
 * ```ts
 * const worker = startPackageWorker(import.meta.url, "engine-worker", { name: "earshot-engine" });
 * ```
 */
export function startPackageWorker(
  callerUrl: string | undefined,
  name: string,
  options: WorkerOptions = {},
  file?: WorkerFile,
): Worker {
  if (file !== undefined) return new Worker(toWorkerUrl(file, `the ${name} file`), options);
  const beside = besideCaller(callerUrl, name);
  if (beside === undefined) {
    throw new TypeError(
      `Cannot tell where ${name}.js is: the module that starts it was bundled without a file location (${callerUrl === undefined ? "no import.meta.url" : "not a file: URL"}).`,
    );
  }
  if (!beside.pathname.endsWith(".ts")) return new Worker(beside, options);
  // Node 20 ignores `--import tsx` in a worker's execArgv, so a small bootstrap registers tsx's
  // loader hooks on the new thread first, then imports the worker module through them.
  const register = JSON.stringify(tsxRegisterUrl(beside.href));
  const bootstrap = `import(${register}).then((tsx) => { tsx.register(); return import(${JSON.stringify(beside.href)}); });`;
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
