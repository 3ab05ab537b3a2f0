/**
 * Starting a test's own worker module (a fixture standing in for an application's worker) so it
 * sees the same TypeScript source as the test. A worker resolves packages with Node's own
 * resolver, which cannot load the `.ts` files the `source` condition points at; tsx's loader is
 * registered on the new thread first, as the packages' own workers do from source.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";
import { tsxRegisterUrl } from "@earshot/core/workers";

/**
 * Starts `file` (an `.mjs`/`.ts` fixture) in a worker that resolves workspace packages to source.
 *
 * @example
 * ```ts
 * const worker = startSourceWorker(new URL("./fixtures/engine-host.mjs", import.meta.url), { workerData });
 * ```
 */
export function startSourceWorker(file: URL, options: WorkerOptions = {}): Worker {
  const register = JSON.stringify(tsxRegisterUrl(import.meta.url));
  const bootstrap = `import(${register}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); });`;
  const inherited = options.execArgv ?? process.execArgv;
  return new Worker(bootstrap, {
    ...options,
    eval: true,
    execArgv: inherited.includes("--conditions=source") ? inherited : [...inherited, "--conditions=source"],
  });
}
