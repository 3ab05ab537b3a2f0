import { defineConfig } from "tsup";

export default defineConfig({
  format: ["esm", "cjs"],
  // local-server-worker runs the embedded server off the main thread (see connect.ts).
  entry: ["src/index.ts", "src/bin.ts", "src/local-server-worker.ts"],
  dts: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  shims: true,
  splitting: false,
});
