/**
 * The threaded client and the server thread in an application bundled with esbuild: app.mjs
 * and the packages' worker entries (as separate entry points) are bundled into one folder per
 * output format, from the packages' dist/ as an installed copy resolves them, and run with
 * node from a temporary folder outside the workspace, where no node_modules can help. A real
 * transcript must come back from the local server through each way of naming the workers (the
 * per-call options, the global setter, the inlined workers); without any, both the server
 * thread and the engine must fail at once with their typed error naming the option to set.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { repoRoot, wordErrorRate } from "@earshot/testkit";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const TRANSCRIPT = "bundled applications hear every word";
/** The first sentence of examples/audio/recording.wav (reference.txt). */
const SENTENCE = "Good morning and welcome to the weather report for today.";
/** A run that hangs is killed well before its test times out, so no child outlives the file. */
const RUN_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 30_000;
/** Loading the model and decoding take a few seconds more, and longer on a busy machine. */
const POCKETSPHINX_RUN_TIMEOUT_MS = 45_000;

/** The entries: the application, and each worker module under workers/ (not beside the app). */
const ENTRY_POINTS = {
  app: join(here, "app.mjs"),
  "workers/engine-worker": "@earshot/threaded/engine-worker",
  "workers/server-thread-worker": "@earshot/server/server-thread-worker",
  "workers/decoder-worker": "@earshot/server/decoder-worker",
};

/** What an application's esbuild config needs (the README's "Bundling" sections show the same). */
const FORMATS: Record<"esm" | "cjs", BuildOptions> = {
  esm: {
    format: "esm",
    outExtension: { ".js": ".mjs" },
    // ws is CommonJS and requires Node's built-ins; an ES module bundle needs a require for that
    // (under an alias: the bundle may import createRequire itself).
    banner: {
      js: 'import { createRequire as bannerRequire } from "node:module"; const require = bannerRequire(import.meta.url);',
    },
  },
  cjs: { format: "cjs", outExtension: { ".js": ".cjs" } },
};

interface AppReport {
  finals: string[];
  errors: { name: string; code?: string; message: string }[];
  serverError?: { name: string; code?: string; option?: string; message: string };
  opened: boolean;
  startMs: number;
  cleanClose?: boolean;
}

let scratch: string;
const metafiles = new Map<string, Metafile>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "earshot-bundle-"));
  for (const [format, options] of Object.entries(FORMATS)) {
    const result = await build({
      ...options,
      entryPoints: ENTRY_POINTS,
      // Packages resolve from this package's node_modules (the workspace's dist/), as an
      // application's would from its own.
      absWorkingDir: resolve(here, "../.."),
      outdir: join(scratch, format),
      bundle: true,
      platform: "node",
      target: "node20",
      metafile: true,
      logLevel: "error",
    });
    metafiles.set(format, result.metafile);
  }
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/**
 * Runs the bundled app from its temporary folder, with nothing that could resolve a package.
 * With the inlined workers, the app bundle runs alone in a folder of its own: no worker file.
 */
async function runApp(
  format: "esm" | "cjs",
  mode: string,
  folder = join(scratch, format),
  timeout = RUN_TIMEOUT_MS,
): Promise<AppReport> {
  const app = `app.${format === "esm" ? "mjs" : "cjs"}`;
  if (mode === "inline") {
    const alone = join(scratch, `${format}-app-alone`);
    await mkdir(alone, { recursive: true });
    await copyFile(join(folder, app), join(alone, app));
    folder = alone;
  }
  const { stdout } = await run(process.execPath, [join(folder, app), mode], {
    cwd: folder,
    timeout,
    killSignal: "SIGKILL",
    env: { PATH: process.env.PATH ?? "", NODE_PATH: "" },
  });
  return JSON.parse(stdout) as AppReport;
}

describe("an application bundled with esbuild", () => {
  it("runs from a folder outside the workspace, importing nothing but Node's built-ins", () => {
    for (let folder = scratch; folder !== dirname(folder); folder = dirname(folder)) {
      expect(existsSync(join(folder, "node_modules")), `${folder}/node_modules`).toBe(false);
    }
    for (const [format, metafile] of metafiles) {
      const outputs = Object.keys(metafile.outputs).map((output) => output.slice(output.indexOf(format)));
      expect(outputs.sort(), format).toEqual(
        ["app", "workers/decoder-worker", "workers/engine-worker", "workers/server-thread-worker"].map(
          (name) => `${format}/${name}.${format === "esm" ? "mjs" : "cjs"}`,
        ),
      );
      const external = Object.values(metafile.outputs).flatMap((output) =>
        output.imports.filter((entry) => entry.external).map((entry) => entry.path),
      );
      // ws's optional native helpers stay as require() calls inside try/catch, as ws intends.
      const unexpected = external.filter(
        (path) => !isBuiltin(path) && path !== "bufferutil" && path !== "utf-8-validate",
      );
      expect(unexpected, format).toEqual([]);
    }
  });

  it.each([
    ["esm", "files"],
    ["esm", "global"],
    ["esm", "inline"],
    ["cjs", "files"],
    ["cjs", "inline"],
  ] as const)(
    "%s bundle, workers named by %s: a real transcript from the local server",
    async (format, mode) => {
      const report = await runApp(format, mode);
      expect(report.serverError).toBeUndefined();
      expect(report.errors).toEqual([]);
      expect(report.opened).toBe(true);
      expect(report.cleanClose).toBe(true);
      expect(report.finals.filter((text) => text !== "").join(" ")).toBe(TRANSCRIPT);
    },
    TEST_TIMEOUT_MS,
  );

  it.each(["esm", "cjs"] as const)(
    "%s bundle without a worker option: typed errors naming the option, at once",
    async (format) => {
      const report = await runApp(format, "none");
      expect(report.serverError).toMatchObject({
        name: "WorkerLoadError",
        code: "ERR_WORKER_LOAD",
        option: "workerFile",
      });
      expect(report.serverError?.message).toContain("set the option workerFile");
      expect(report.opened).toBe(false);
      expect(report.errors).toHaveLength(1);
      const [engineError] = report.errors;
      // EngineLoadError, not a TimeoutError after connectTimeoutMs: the load failure is seen at once.
      expect(engineError).toMatchObject({ name: "EngineLoadError", code: "ERR_ENGINE_LOAD" });
      expect(engineError?.message).toContain("engineWorkerFile");
      expect(engineError?.message).toContain("setEngineWorkerUrl()");
      // ESM: the default engine-worker.js beside the bundle is not there; CommonJS: no import.meta.url.
      expect(engineError?.message).toMatch(
        format === "esm" ? /could not load .*engine-worker\.js: Cannot find module/ : /cannot tell where/,
      );
      console.log(`${format} bundle, no worker option: start() failed after ${report.startMs} ms`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "esm bundle, pocketsphinx on the server thread: its decoder worker named by pocketsphinx.decoderWorkerFile",
    async () => {
      // koffi (native code, not bundleable) is the one package installed beside the bundle, as
      // `npm install koffi` would; a copy of the bundle gets it so the other runs stay without.
      const folder = join(scratch, "esm-pocketsphinx");
      await cp(join(scratch, "esm"), folder, { recursive: true });
      const koffi = dirname(
        createRequire(join(repoRoot, "packages/server/package.json")).resolve("koffi/package.json"),
      );
      await mkdir(join(folder, "node_modules"));
      await symlink(koffi, join(folder, "node_modules", "koffi"), "dir");
      // The recording's first sentence (0.8–3.3 s) and a second of its silence, as linear16.
      const wav = await readFile(join(repoRoot, "examples/audio/recording.wav"));
      await writeFile(join(folder, "speech.raw"), wav.subarray(44, 44 + 4.5 * 32_000));

      const report = await runApp("esm", "pocketsphinx", folder, POCKETSPHINX_RUN_TIMEOUT_MS);
      expect(report.serverError).toBeUndefined();
      expect(report.errors).toEqual([]);
      expect(report.cleanClose).toBe(true);
      expect(wordErrorRate(SENTENCE, report.finals.join(" ")).rate).toBeLessThanOrEqual(0.2);
    },
    POCKETSPHINX_RUN_TIMEOUT_MS + 15_000,
  );
});
