import { defineProject } from "vitest/config";

export default defineProject({
  // Workspace packages resolve to their TypeScript source (the `source` export condition): tests
  // see the current code of every package, without a build.
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "threaded",
    include: ["test/**/*.test.ts"],
    setupFiles: ["@earshot/testkit/setup"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
