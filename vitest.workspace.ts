/**
 * The list of vitest projects: one per package that has tests. vitest >= 4 reads this only
 * through `test.projects` in vitest.config.ts, which imports it; .ci/count-tests.mjs checks
 * that every project listed here really ran tests.
 */
export default [
  "packages/core",
  "packages/server",
  "packages/async",
  "packages/threaded",
  "packages/conformance",
  "packages/cli",
  "examples",
  "examples/browser",
];
