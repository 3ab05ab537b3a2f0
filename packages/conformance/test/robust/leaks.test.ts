/**
 * Leaks: for every lifecycle path, a child process using each face ends the stream and must
 * then exit by itself within 1 s (`EARSHOT_LEAK_EXIT_MS` raises it on a starved machine): no
 * socket, timer, port or worker may keep it alive. A child still alive then reports what holds
 * it (process.getActiveResourcesInfo() and the active handles), and the test fails with that.
 * Paths: normal finish, server close (1011 NET-0000), refusal (401), abort, reconnect
 * exhausted (a drop, then 503s), and — the threaded face only, the async one has no engine —
 * engine worker crash.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FaultPlan, type LocalServer, startServer } from "@earshot/server";
import { afterEach, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, "fixtures", "lifecycle-child.ts");
const PACKAGE_DIR = join(here, "..", "..");
const NET_0000 =
  "Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000";
/** Only bounds a child that never exits (then killed, and the test fails). */
const KILL_AFTER_MS = 30_000;

interface LifecyclePath {
  readonly name: string;
  readonly faces: readonly ("async" | "threaded")[];
  /** Faults by session, in connection order (later sessions: none). */
  readonly faults: readonly FaultPlan[];
  /** What the child must have seen, in order. */
  readonly events: readonly string[];
}

const BOTH = ["async", "threaded"] as const;
const PATHS: readonly LifecyclePath[] = [
  { name: "finish", faces: BOTH, faults: [], events: ["open", "Results", "Metadata", "close"] },
  {
    name: "server-close",
    faces: BOTH,
    faults: [{ closeWith: { code: 1011, reason: NET_0000, afterBytes: 6_400 } }],
    events: ["open", "error", "close"],
  },
  { name: "refusal", faces: BOTH, faults: [{ refuseWith: { status: 401 } }], events: ["error", "close"] },
  { name: "abort", faces: BOTH, faults: [], events: ["open", "error", "close"] },
  {
    name: "reconnect-exhausted",
    faces: BOTH,
    faults: [{ dropAfterBytes: 6_400 }, { refuseWith: { status: 503 } }, { refuseWith: { status: 503 } }],
    events: ["open", "reconnecting", "reconnecting", "error", "close"],
  },
  { name: "engine-crash", faces: ["threaded"], faults: [], events: ["open", "error", "close"] },
];

interface ChildRun {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stderr: string;
  readonly lines: Record<string, unknown>[];
  readonly exitedAt: number;
}

function runChild(args: readonly string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", CHILD, ...args], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    const killer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, KILL_AFTER_MS);
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("exit", () => {
      const exitedAt = Date.now();
      child.on("close", (code: number | null) => {
        clearTimeout(killer);
        const lines = stdout
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        resolve({ code, killed, stderr, lines, exitedAt });
      });
    });
  });
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("a child process exits by itself after each lifecycle path", () => {
  const cases = PATHS.flatMap((path) => path.faces.map((face) => ({ face, path })));
  it.each(cases)("$face face: $path.name", { timeout: 60_000 }, async ({ face, path }) => {
    let sessions = 0;
    server = await startServer({ faults: () => path.faults[sessions++] });
    const run = await runChild([face, path.name, server.url]);

    const alive = run.lines.find((line) => "alive" in line);
    expect(alive, `still alive 1 s after the end: ${JSON.stringify(alive)}`).toBeUndefined();
    expect(run.killed, "the child never exited").toBe(false);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const ended = run.lines.find((line) => "ended" in line) as
      | { ended: number; events: string[]; unhandled: string[] }
      | undefined;
    expect(ended, "the child did not reach the end of its path").toBeDefined();
    expect(ended?.unhandled).toEqual([]);
    // The path really was taken (Results come and go with timing; the rest is fixed).
    expect(ended?.events.filter((name) => name !== "Results")).toEqual(
      path.events.filter((name) => name !== "Results"),
    );
    if (path.events.includes("Results")) expect(ended?.events).toContain("Results");
    console.log(`exit after the end: ${face}/${path.name} ${run.exitedAt - (ended?.ended ?? 0)} ms`);
  });
});
