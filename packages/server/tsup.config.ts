import { defineConfig, type Options } from "tsup";

const common: Options = {
  // server-thread-worker is the thread startServerThread() starts (found next to index.js/.cjs).
  entry: ["src/index.ts", "src/bin.ts", "src/server-thread-worker.ts"],
  dts: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  shims: true,
  splitting: false,
};

export default defineConfig([
  { ...common, format: ["esm"] },
  // ESM-only dependencies are bundled into the CommonJS build so that require() works on
  // every Node the package supports, not only those with require(esm).
  { ...common, format: ["cjs"], noExternal: ["p-queue"] },
]);
