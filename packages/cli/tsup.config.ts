import { defineConfig, type Options } from "tsup";

const common: Options = {
  entry: ["src/index.ts", "src/bin.ts"],
  dts: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  shims: true,
  splitting: false,
};

// string-width and what it uses are ESM-only: bundled into the CommonJS build so that
// require("earshot") works on every Node the package supports, not only those with require(esm).
const esmOnly = ["string-width", "strip-ansi", "ansi-regex", "get-east-asian-width"];

export default defineConfig([
  { ...common, format: ["esm"] },
  { ...common, format: ["cjs"], noExternal: esmOnly },
]);
