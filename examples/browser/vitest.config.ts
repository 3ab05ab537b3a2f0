import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "browser",
    include: ["test/**/*.test.ts"],
    setupFiles: ["@earshot/testkit/setup"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
