import { defineConfig } from "vitest/config";
import projects from "./vitest.workspace.ts";

export default defineConfig({
  test: {
    projects,
    // Most test time is waiting on sockets, timers and real-time audio, not CPU: two files at a
    // time on a 2-core machine (vitest's default there is one) keeps `npm test` under 15 minutes.
    maxWorkers: 2,
  },
});
