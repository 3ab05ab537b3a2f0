import { defineConfig } from "tsup";

export default defineConfig([
  {
    format: ["esm", "cjs"],
    entry: ["src/index.ts", "src/internal.ts"],
    dts: true,
    sourcemap: true,
    target: "node20",
    platform: "node",
    shims: true,
    splitting: false,
  },
  {
    // The browser build (the `browser` export condition): ESM only, resolved with the `browser`
    // condition, so core's `#platform` import is the page's WebSocket and no Node built-in.
    format: ["esm"],
    entry: ["src/index.ts", "src/internal.ts"],
    outDir: "dist/browser",
    sourcemap: true,
    target: "es2022",
    platform: "browser",
    splitting: false,
  },
]);
