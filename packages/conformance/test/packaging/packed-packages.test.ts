/**
 * The packages as users get them: every published package is packed with `pnpm pack` (which
 * replaces `workspace:` ranges and applies publishConfig), the tarballs are installed with npm
 * into a fresh project outside the workspace (third-party dependencies from the registry), and
 * that project imports them as ESM, requires them as CommonJS, type-checks against them with
 * `node16` and `bundler` resolution, runs the `earshot` bin on the bundled recording and streams
 * through the threaded engine.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { readSentences, repoRoot, wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PUBLISHED = ["core", "async", "threaded", "server", "cli"] as const;
const INSTALL_TIMEOUT_MS = 600_000;

let scratch: string;
let app: string;
const tarballs = new Map<string, string>();

async function sh(command: string, args: readonly string[], cwd: string, timeout = 120_000) {
  return run(command, args, {
    cwd,
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CI: "true" },
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "earshot-packed-"));
  const packs = join(scratch, "tarballs");
  app = join(scratch, "app");
  await mkdir(packs);
  await mkdir(app);
  for (const name of PUBLISHED) {
    await sh("pnpm", ["pack", "--pack-destination", packs], join(repoRoot, "packages", name));
  }
  for (const file of await readdir(packs)) {
    const name =
      file === "earshot-0.1.0.tgz" ? "earshot" : `@earshot/${file.replace(/^earshot-|-\d.*$/g, "")}`;
    tarballs.set(name, join(packs, file));
  }
  const dependencies = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({
      name: "earshot-user-app",
      private: true,
      dependencies: { ...dependencies, typescript: "5.9.3", "@types/node": "^20.19.0" },
      // The packages depend on each other by version; the tarballs stand in for the registry.
      overrides: Object.fromEntries([...tarballs.keys()].map((name) => [name, `$${name}`])),
    }),
  );
  await sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], app, INSTALL_TIMEOUT_MS);
}, INSTALL_TIMEOUT_MS + 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the packed packages", () => {
  it("ship no workspace: range, no source condition, no source map, and a README each; koffi is optional", async () => {
    expect([...tarballs.keys()].sort()).toEqual(
      ["@earshot/async", "@earshot/core", "@earshot/server", "@earshot/threaded", "earshot"].sort(),
    );
    for (const [name, file] of tarballs) {
      const { stdout: listing } = await sh("tar", ["-tzf", file], scratch);
      expect(listing, name).toContain("package/README.md");
      expect(listing, name).not.toMatch(/\.map$/m);
      const { stdout: manifestText } = await sh("tar", ["-xzOf", file, "package/package.json"], scratch);
      expect(manifestText, name).not.toContain("workspace:");
      const manifest = JSON.parse(manifestText) as { exports: unknown; publishConfig?: { access?: string } };
      expect(JSON.stringify(manifest.exports), name).not.toContain('"source"');
      expect(manifest.publishConfig?.access, name).toBe("public");
    }
    const { stdout: server } = await sh(
      "tar",
      ["-xzOf", tarballs.get("@earshot/server") ?? "", "package/package.json"],
      scratch,
    );
    const serverManifest = JSON.parse(server) as Record<string, Record<string, string> | undefined>;
    expect(serverManifest.dependencies?.koffi).toBeUndefined();
    expect(serverManifest.optionalDependencies?.koffi).toBeDefined();
  });

  it("import as ES modules", async () => {
    const script = `
      import { AsyncLiveClient } from "@earshot/async";
      import { LiveClient } from "@earshot/threaded";
      import { parseServerMessage } from "@earshot/core";
      import { startServer, startServerThread } from "@earshot/server";
      import { inlineEngineWorker } from "@earshot/threaded/inline-engine-worker";
      import { inlineServerThreadWorker } from "@earshot/server/inline-server-thread-worker";
      const kinds = [AsyncLiveClient, LiveClient, parseServerMessage, startServer, startServerThread].map((x) => typeof x);
      // What a bundled application builds on: the worker entries and the inlined workers.
      const workers = ["@earshot/threaded/engine-worker", "@earshot/server/server-thread-worker", "@earshot/server/decoder-worker"]
        .map((entry) => import.meta.resolve(entry).split("/node_modules/").at(-1));
      const inlined = [inlineEngineWorker(), inlineServerThreadWorker()].map((url) => url.protocol);
      console.log(JSON.stringify({ kinds, workers, inlined }));
      await import("earshot");`;
    const { stdout } = await sh("node", ["--input-type=module", "-e", script], app);
    expect(JSON.parse(stdout)).toEqual({
      kinds: ["function", "function", "function", "function", "function"],
      workers: [
        "@earshot/threaded/dist/engine-worker.js",
        "@earshot/server/dist/server-thread-worker.js",
        "@earshot/server/dist/decoder-worker.js",
      ],
      inlined: ["data:", "data:"],
    });
  });

  it("require as CommonJS", async () => {
    const script = `
      const { AsyncLiveClient } = require("@earshot/async");
      const { LiveClient } = require("@earshot/threaded");
      const { parseServerMessage } = require("@earshot/core");
      const { startServerThread } = require("@earshot/server");
      require("earshot");
      console.log(JSON.stringify([AsyncLiveClient, LiveClient, parseServerMessage, startServerThread].map((x) => typeof x)));`;
    const { stdout } = await sh("node", ["-e", script], app);
    expect(JSON.parse(stdout)).toEqual(["function", "function", "function", "function"]);
  });

  it.each([
    ["node16", { module: "node16", moduleResolution: "node16" }],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }],
  ])(
    "type-check a TypeScript consumer with %s resolution",
    async (label, resolution) => {
      const dir = join(app, `ts-${label}`);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, "consumer.mts"),
        `import { AsyncLiveClient } from "@earshot/async";
import { LiveClient } from "@earshot/threaded";
import { type LiveOptions, parseServerMessage } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
const options: LiveOptions = { model: "nova-3", encoding: "linear16", sample_rate: 16000 };
export async function main(): Promise<string> {
  const server: ServerThread = await startServerThread();
  const client = new AsyncLiveClient({ url: server.url });
  await client.start(options);
  new LiveClient({ url: server.url });
  await server.close();
  return parseServerMessage("{}").type;
}
`,
      );
      await writeFile(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: { ...resolution, target: "es2022", strict: true, noEmit: true, types: ["node"] },
          files: ["consumer.mts"],
        }),
      );
      await expect(sh(join(app, "node_modules", ".bin", "tsc"), ["-p", dir], app)).resolves.toBeDefined();
      // tsc takes 15-20 s on a busy 2-core machine: sh()'s own 120 s limit is the bound, not vitest's 20 s.
    },
    150_000,
  );

  it("run the earshot bin on the bundled recording (embedded offline server)", async () => {
    const recording = join(repoRoot, "examples", "audio", "recording.wav");
    const { stdout } = await sh(
      join(app, "node_modules", ".bin", "earshot"),
      ["listen", recording, "--fast", "--json"],
      app,
      180_000,
    );
    const finals = stdout
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map(
        (line) =>
          JSON.parse(line) as {
            type: string;
            is_final?: boolean;
            channel?: { alternatives: { transcript: string }[] };
          },
      )
      .filter((message) => message.type === "Results" && message.is_final);
    const words = finals.flatMap((message) =>
      (message.channel?.alternatives[0]?.transcript ?? "").split(/\s+/),
    );
    const wer = wordErrorRate(
      readSentences("reference.txt").join(" "),
      words.filter((word) => word !== ""),
    );
    expect(wer.rate).toBeLessThanOrEqual(0.15);
  }, 240_000);

  it("stream through the threaded engine (LiveClient against a server thread)", async () => {
    const script = `
      const { LiveClient, LiveTranscriptionEvents, shutdownEngines } = require("@earshot/threaded");
      const { startServerThread } = require("@earshot/server");
      (async () => {
        const server = await startServerThread({ engine: "scripted" });
        const client = new LiveClient({ url: server.url });
        const seen = [];
        client.on(LiveTranscriptionEvents.Transcript, () => seen.push("Results"));
        client.on(LiveTranscriptionEvents.Close, () => seen.push("Close"));
        client.start({ encoding: "linear16", sample_rate: 16000 });
        client.send(new Uint8Array(32000));
        client.finish();
        await server.close();
        await shutdownEngines();
        console.log(JSON.stringify({ results: seen.includes("Results"), closedLast: seen.at(-1) === "Close" }));
      })();`;
    const { stdout } = await sh("node", ["-e", script], app, 60_000);
    expect(JSON.parse(stdout)).toEqual({ results: true, closedLast: true });
  });
});
