/**
 * How a worker file given by an application becomes the URL a worker starts from, and where a
 * package finds its worker when nothing is given (built, from source, or bundled without a
 * file location). Starting workers is tested where they are started: threaded, server,
 * conformance/test/bundling.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { besideCaller, toWorkerUrl, workerFileProblem } from "@earshot/core/workers";
import { describe, expect, it } from "vitest";

describe("toWorkerUrl", () => {
  it("takes absolute and relative paths (from the current directory), file: and data: URLs", () => {
    expect(toWorkerUrl("/opt/app/engine-worker.js", "engineWorkerFile").href).toBe(
      "file:///opt/app/engine-worker.js",
    );
    expect(toWorkerUrl("dist/engine-worker.js", "engineWorkerFile").href).toBe(
      pathToFileURL(resolve("dist/engine-worker.js")).href,
    );
    expect(toWorkerUrl("file:///opt/app/w.mjs", "workerFile").href).toBe("file:///opt/app/w.mjs");
    const inline = new URL("data:text/javascript;base64,ZXhwb3J0IHt9Ow==");
    expect(toWorkerUrl(inline, "workerFile")).toBe(inline);
    expect(toWorkerUrl(inline.href, "workerFile").href).toBe(inline.href);
  });

  it("refuses anything else with a TypeError naming the option and what it takes", () => {
    expect(() => toWorkerUrl(42, "workerFile")).toThrow(
      new TypeError("workerFile must be a path, or a file: or data: URL; got number."),
    );
    expect(() => toWorkerUrl("", "workerFile")).toThrow(/got an empty string/);
    expect(() => toWorkerUrl(new URL("https://example.com/w.js"), "workerFile")).toThrow(/got a https: URL/);
    // A URL written as a string is not taken for a relative path.
    expect(() => toWorkerUrl("HTTPS://example.com/w.js", "workerFile")).toThrow(/got a https: URL/);
    expect(workerFileProblem("C:\\app\\engine-worker.js")).toBeUndefined();
  });
});

describe("besideCaller", () => {
  it("is the .js beside a built module, the .ts beside a source module", () => {
    expect(besideCaller("file:///pkg/dist/index.js", "engine-worker")?.href).toBe(
      "file:///pkg/dist/engine-worker.js",
    );
    expect(besideCaller("file:///pkg/dist/index.cjs", "engine-worker")?.href).toBe(
      "file:///pkg/dist/engine-worker.js",
    );
    expect(besideCaller("file:///pkg/src/engine-pool.ts", "engine-worker")?.href).toBe(
      "file:///pkg/src/engine-worker.ts",
    );
  });

  it("is unknown in a CommonJS bundle (no import.meta.url) and in an inlined module (data:)", () => {
    expect(besideCaller(undefined, "engine-worker")).toBeUndefined();
    expect(besideCaller("data:text/javascript;base64,AA==", "decoder-worker")).toBeUndefined();
  });
});
