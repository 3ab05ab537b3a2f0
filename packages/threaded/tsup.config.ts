import { brotliCompressSync, constants } from "node:zlib";
import { build } from "esbuild";
import { defineConfig } from "tsup";

/**
 * A worker module with everything it imports bundled in, as one ES module that imports only
 * Node's built-ins, brotli-compressed and base64-encoded: it runs from a `data:` URL, which can resolve nothing else.
 * `ws` is CommonJS and requires Node's built-ins, which an ES module can only do through a
 * `require` of its own; it resolves built-ins and nothing else (ws's optional native helpers
 * are then absent, as ws allows).
 */
async function inlinedWorker(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    keepNames: true,
    write: false,
    logLevel: "error",
    banner: {
      js: `import { createRequire as __earshotCreateRequire, isBuiltin as __earshotIsBuiltin } from "node:module";
const require = (id) => {
  if (__earshotIsBuiltin(id)) return __earshotCreateRequire(process.execPath)(id);
  throw Object.assign(new Error(\`Cannot find module '\${id}' (an inlined worker loads Node's built-ins only)\`), { code: "MODULE_NOT_FOUND" });
};`,
    },
  });
  const code = result.outputFiles[0]?.contents;
  if (code === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
  // Brotli (as base64) takes it from ~110 KB to ~40 KB in an application's bundle; decoding
  // it costs about 2 ms, once.
  const packed = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  return packed.toString("base64");
}

export default defineConfig(async () => ({
  format: ["esm", "cjs"],
  entry: ["src/index.ts", "src/engine-worker.ts", "src/inline-engine-worker.ts"],
  // Only inline-engine-worker.ts refers to it. The engine is bundled from source, its imports
  // (@earshot/core) from their dist, as an installed copy would resolve them.
  define: { __EARSHOT_INLINE_ENGINE_WORKER__: JSON.stringify(await inlinedWorker("src/engine-worker.ts")) },
  dts: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  shims: true,
  splitting: false,
}));
