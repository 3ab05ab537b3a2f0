import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..");
/** Generous: the child needs about 2 s; this only bounds a child that would never exit. */
const EXIT_DEADLINE_MS = 15_000;

let server: LocalServer;
beforeAll(async () => {
  if (
    !existsSync(join(packageDir, "dist", "index.js")) ||
    !existsSync(join(packageDir, "dist", "index.cjs"))
  ) {
    throw new Error("packages/async/dist is missing: run `pnpm --filter @earshot/async build` first");
  }
  server = await startServer({ engine: scriptedEngine({ transcript: "exit on your own" }) });
});
afterAll(async () => {
  await server?.close();
});

/** Runs `node file ...args`; resolves with its exit code and output, or kills it after the deadline. */
function runNode(
  file: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, "fixtures", file), ...args], {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (data: string) => {
      stdout += data;
    });
    child.stderr.setEncoding("utf8").on("data", (data: string) => {
      stderr += data;
    });
    const deadline = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, EXIT_DEADLINE_MS);
    child.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

describe("a child process using the built package", () => {
  for (const mode of ["send", "sendFrom"]) {
    it(`exits by itself after finish() (ESM, ${mode}, keepAlive on)`, async () => {
      const result = await runNode("finish-and-exit.mjs", [server.url, mode]);
      expect(result.killed, `the child did not exit by itself; stderr: ${result.stderr}`).toBe(false);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout) as { duration: number; finals: string[]; events: string[] };
      expect(output.duration).toBeCloseTo(2, 1);
      expect(output.finals.filter(Boolean).join(" ")).toBe("exit on your own");
      expect(output.events).toEqual(["open", "close"]);
    });
  }

  it("works through require() (CommonJS build) and exits by itself", async () => {
    const result = await runNode("require.cjs", [server.url]);
    expect(result.killed).toBe(false);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ type: "Metadata", transcript: "Results" });
  });
});
