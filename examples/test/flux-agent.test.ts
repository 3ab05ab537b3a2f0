/**
 * examples/speech-to-text/websocket/flux_agent: the agent loop (a reply drafted on
 * EagerEndOfTurn, dropped on TurnResumed, said on EndOfTurn) as a unit, and the example run to
 * its end through both faces against the local server it starts (scripted engine, ten times
 * real time), printing each turn with its end-of-speech latencies.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { silence, tone, wav } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";

const exampleDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "speech-to-text",
  "websocket",
  "flux_agent",
);
const running = new Set<ChildProcess>();

afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
});

interface AgentLike {
  draft(transcript: string): void;
  cancel(): void;
  commit(transcript: string): void;
  settled(): Promise<void>;
  drafted: number;
  cancelled: number;
  committed: number;
}

async function newAgent(said: string[]): Promise<AgentLike> {
  // A URL in a variable: the example is plain JavaScript, loaded as the example runs it.
  const url = pathToFileURL(join(exampleDir, "agent.mjs")).href;
  const { Agent } = (await import(url)) as { Agent: new (init: object) => AgentLike };
  return new Agent({ thinkMs: 5, say: (line: string) => said.push(line) });
}

/** Runs the example to its end with `args`, ten times real time, on the scripted engine. */
function runAgent(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, EARSHOT_ENGINE: "scripted", REPLAY_SPEED: "10" };
  delete env.DEEPGRAM_API_KEY;
  const child = spawn(process.execPath, [join(exampleDir, "index.mjs"), ...args], { env });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  return new Promise((done) => {
    child.once("close", (code) => {
      running.delete(child);
      done({ code, stdout, stderr });
    });
  });
}

describe("flux_agent's agent loop", () => {
  it("says the early draft when EndOfTurn repeats the EagerEndOfTurn transcript", async () => {
    const said: string[] = [];
    const agent = await newAgent(said);
    agent.draft("Hello there.");
    agent.commit("Hello there.");
    await agent.settled();
    expect(said).toEqual(['agent (drafted early): (you said "Hello there.")']);
    expect([agent.drafted, agent.cancelled, agent.committed]).toEqual([1, 0, 1]);
  });

  it("drops the draft on TurnResumed and answers the whole turn at EndOfTurn", async () => {
    const said: string[] = [];
    const agent = await newAgent(said);
    agent.draft("Hello");
    agent.cancel();
    agent.commit("Hello there, how are you?");
    await agent.settled();
    expect(said).toEqual(['agent: (you said "Hello there, how are you?")']);
    expect([agent.drafted, agent.cancelled, agent.committed]).toEqual([1, 1, 1]);
  });
});

describe("examples/speech-to-text/websocket/flux_agent", () => {
  it.each([[[]], [["--threaded"]]])(
    "runs the bundled recording to its end (%j): 7 turns, each drafted early and said, latencies printed",
    async (args) => {
      const result = await runAgent(args);
      expect(result.stderr).not.toContain("Error");
      expect(result.code).toBe(0);
      const turns = result.stdout.match(/^turn \d+: .+$/gm) ?? [];
      expect(turns).toHaveLength(7);
      const latencies =
        result.stdout.match(/end of speech → EagerEndOfTurn \d+ ms, EndOfTurn \d+ ms \(model\)/g) ?? [];
      expect(latencies).toHaveLength(7);
      expect(result.stdout.match(/agent \(drafted early\): /g)).toHaveLength(7);
      expect(result.stdout).toMatch(
        new RegExp(
          `${args.length > 0 ? "threaded" : "async"} face: 7 turns; median end of speech → EagerEndOfTurn \\d+ ms, → EndOfTurn \\d+ ms; replies drafted 7, cancelled 0, said 7`,
        ),
      );
    },
    45_000,
  );

  it("a pause inside a turn: the draft is dropped on TurnResumed and the whole turn answered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "earshot-flux-agent-"));
    try {
      const file = join(dir, "pause.wav");
      // Speech, a pause long enough for EagerEndOfTurn (not EndOfTurn), speech again, a long pause.
      writeFileSync(file, wav(Buffer.concat([tone(1.2), silence(0.35), tone(1.2), silence(1.25)])));
      const result = await runAgent([file]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/1 turns; .*replies drafted 2, cancelled 1, said 1/);
      expect(result.stdout).toContain("agent (drafted early): ");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 45_000);
});
