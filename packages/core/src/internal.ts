/**
 * `@earshot/core/internal`: plumbing shared by earshot's own packages. Not part of the public
 * API: it may change in any release.
 */
export { startPackageWorker, type WorkerFile } from "./workers/start-package-worker.ts";
