/**
 * The browser build as a web application gets it: esbuild with `platform: "browser"` resolves
 * `@earshot/async` (and through it `@earshot/core`) by the `browser` export condition. The
 * bundle must build without a Node built-in to stub (esbuild fails on one it cannot resolve),
 * and use none of Node's globals. It reads the packages' dist/, as an installed copy would.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const asyncDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function bundleForBrowser() {
  return build({
    // The package refers to itself by name, as an application's import would.
    stdin: { contents: 'export * from "@earshot/async";', resolveDir: asyncDir, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
}

describe("the browser build of @earshot/async", () => {
  it("bundles with platform=browser through the browser entries of async and core", async () => {
    const result = await bundleForBrowser();
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.endsWith("packages/async/dist/browser/index.js"))).toBe(true);
    expect(inputs.some((input) => input.endsWith("packages/core/dist/browser/index.js"))).toBe(true);
    // No Node built-in and no `ws` reached the graph.
    const nodeOnly = inputs.filter((input) => input.startsWith("node:") || /node_modules\/ws\//.test(input));
    expect(nodeOnly).toEqual([]);
  });

  it("uses no Node global (process, Buffer, require)", async () => {
    const result = await bundleForBrowser();
    const code = result.outputFiles[0]?.text ?? "";
    expect(code).toMatch(/\bAsyncLiveClient = class\b/);
    expect(code.match(/\bprocess\.\w+/g) ?? []).toEqual([]);
    expect(code.match(/\bBuffer\.\w+/g) ?? []).toEqual([]);
    expect(code.match(/\brequire\(/g) ?? []).toEqual([]);
    expect(code.match(/["']node:\w+["']/g) ?? []).toEqual([]);
  });
});
