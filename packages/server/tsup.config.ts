import { defineConfig, type Options } from "tsup";

const common: Options = {
  // The worker entries are found beside index.js/.cjs (startPackageWorker in @earshot/core/internal):
  // server-thread-worker is the thread startServerThread() starts, decoder-worker a pocketsphinx decoder.
  entry: {
    index: "src/index.ts",
    bin: "src/bin.ts",
    "server-thread-worker": "src/server-thread-worker.ts",
    "decoder-worker": "src/engines/pocketsphinx/decoder-worker.ts",
  },
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
