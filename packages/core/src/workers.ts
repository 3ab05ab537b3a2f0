/**
 * `@earshot/core/workers`: how earshot's Node packages start their worker threads (Node only,
 * so it stays out of `@earshot/core/internal`, which the browser build shares). Not covered by
 * semver for applications: only earshot's own packages should import it.
 *
 * @packageDocumentation
 */
export {
  besideCaller,
  startPackageWorker,
  toWorkerUrl,
  tsxRegisterUrl,
  type WorkerFile,
  workerFileProblem,
} from "./workers/start-package-worker.ts";
