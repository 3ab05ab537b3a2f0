/**
 * `npm run demo` (.ci/demo, which sources .ci/bootstrap): it installs and builds only when
 * something they depend on changed — a second run starts at once — and says what it is doing
 * when it must work. Run in a scratch copy of the layout, where `pnpm` and `dpkg-query` are
 * small scripts that record what they are asked (a real install and build take minutes and the
 * network); the repository's own .ci scripts run unchanged.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "./helpers.ts";

const pnpmVersion = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { packageManager: string }
).packageManager.split("@")[1] as string;

let scratch: { dir: string; remove: () => void } | undefined;

afterEach(() => {
  scratch?.remove();
  scratch = undefined;
});

function write(path: string, text: string, executable = false): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  if (executable) chmodSync(path, 0o755);
}

/** A workspace with the real .ci/demo and .ci/bootstrap, one package, and recording tools. */
function workspace(): {
  root: string;
  calls: () => string[];
  demo: () => { status: number | null; stderr: string; stdout: string };
} {
  scratch = tempDir();
  const root = scratch.dir;
  mkdirSync(join(root, ".ci"), { recursive: true });
  for (const script of ["demo", "bootstrap"])
    copyFileSync(join(repoRoot, ".ci", script), join(root, ".ci", script));
  write(
    join(root, "package.json"),
    JSON.stringify({ name: "scratch", packageManager: `pnpm@${pnpmVersion}` }),
  );
  write(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  write(join(root, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
  write(
    join(root, "packages/cli/package.json"),
    JSON.stringify({ name: "earshot", scripts: { build: "tsup" } }),
  );
  write(join(root, "packages/cli/src/bin.ts"), "export {};\n");
  // The repository's layout: bootstrap fingerprints */package.json, packages/*/package.json
  // and tsconfig*.json.
  write(join(root, "examples/package.json"), JSON.stringify({ name: "examples", private: true }));
  write(join(root, "tsconfig.base.json"), "{}\n");
  const log = join(root, "calls.log");
  const tools = join(root, "tools");
  // pnpm: its version, an install that leaves node_modules, a build that leaves dist/ and
  // prints what pnpm -r prints; every call recorded.
  write(
    join(tools, "pnpm"),
    `#!/usr/bin/env bash
if [ "$1" = --version ]; then echo ${pnpmVersion}; exit 0; fi
echo "$*" >> ${JSON.stringify(log)}
case "$1" in
  install) mkdir -p node_modules && touch node_modules/.modules.yaml ;;
  run) mkdir -p packages/cli/dist && printf 'console.log("captions:", process.argv.slice(2).join(" "));\\n' > packages/cli/dist/bin.js
       echo "packages/cli build: Done" ;;
esac
`,
    true,
  );
  write(join(tools, "dpkg-query"), "#!/usr/bin/env bash\nprintf 'install ok installed'\n", true);
  return {
    root,
    calls: () => {
      try {
        return readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
      } catch {
        return [];
      }
    },
    demo: () => {
      const run = spawnSync("bash", [join(root, ".ci", "demo")], {
        env: { ...process.env, PATH: `${tools}:${process.env.PATH ?? ""}` },
        encoding: "utf8",
        timeout: 30_000,
      });
      return { status: run.status, stderr: run.stderr, stdout: run.stdout };
    },
  };
}

describe("npm run demo (.ci/demo + .ci/bootstrap)", () => {
  it("installs and builds once, says so, then starts at once until a source changes", () => {
    const { root, calls, demo } = workspace();

    const first = demo();
    expect(first.status).toBe(0);
    expect(calls()).toEqual(["install --frozen-lockfile --reporter=append-only", "run build"]);
    expect(first.stderr).toContain("bootstrap: installing dependencies (pnpm install --frozen-lockfile)…");
    expect(first.stderr).toContain(
      "bootstrap: building the workspace (a minute or two; log in .ci/out/build.log)…",
    );
    expect(first.stderr).toContain("bootstrap:   built packages/cli");
    expect(first.stdout).toBe("captions: listen examples/audio/recording.wav --interim-results\n");

    const second = demo();
    expect(second.status).toBe(0);
    expect(calls()).toHaveLength(2);
    expect(second.stderr).toBe(
      [
        "bootstrap: dependencies up to date",
        "bootstrap: build up to date",
        `bootstrap: ready (pnpm ${pnpmVersion}, workspace built)`,
        "",
      ].join("\n"),
    );
    expect(second.stdout).toBe(first.stdout);

    // A source file changed: build again, but no install.
    writeFileSync(join(root, "packages/cli/src/bin.ts"), "export const changed = true;\n");
    const third = demo();
    expect(third.status).toBe(0);
    expect(calls().slice(2)).toEqual(["run build"]);
    expect(third.stderr).toContain("bootstrap: dependencies up to date");
    expect(third.stderr).toContain("bootstrap: building the workspace");
  });
});
