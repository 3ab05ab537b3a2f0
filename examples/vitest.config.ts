import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "examples",
    include: ["test/**/*.test.ts"],
    setupFiles: ["@earshot/testkit/setup"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
