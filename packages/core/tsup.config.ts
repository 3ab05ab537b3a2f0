import { defineConfig } from "tsup";

export default defineConfig({
  format: ["esm", "cjs"],
  entry: ["src/index.ts", "src/internal.ts"],
  dts: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  shims: true,
  splitting: false,
});
