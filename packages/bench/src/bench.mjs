// `pnpm bench`: every scenario of plan.mjs, every contender in a process of its own, against the
// benchmark server in another process, repetitions interleaved (each repetition runs every
// contender once, in a rotating order, so a shared machine's drifting load falls on all alike).
// Prints medians with ratios to raw ws and to @deepgram/sdk v5; a full, unfiltered run rewrites
// RESULTS.md.
//
//   pnpm bench                         everything at full scale (about 20 min on 2 cores)
//   pnpm bench --quick                 everything at a tiny scale (seconds): the harness works
//   pnpm bench --only receive,latency  some scenarios        --contenders ws,threaded  some clients
//   pnpm bench --reps 3                repetitions           --json  the runs and summaries as JSON on stdout
//   pnpm bench --before old.json       RESULTS.md also compares with an earlier run's --json output
//                                      (e.g. of an older commit, run with this harness)
//   pnpm bench --cpu-prof              each contender process (and each of its threads) writes a
//                                      .cpuprofile to packages/bench/profiles/<scenario>-<contender>-<time>/
import { execFileSync, fork } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CONTENDERS } from "./clients/index.mjs";
import { machineNote } from "./machine.mjs";
import { SCENARIOS } from "./plan.mjs";
import { renderComparison, renderScenario, setLabels } from "./report.mjs";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    only: { type: "string" },
    contenders: { type: "string" },
    reps: { type: "string" },
    "cpu-prof": { type: "boolean", default: false },
    write: { type: "boolean" },
    "no-write": { type: "boolean", default: false },
    before: { type: "string" },
    timeout: { type: "string" },
  },
});
const scale = args.quick ? "quick" : "full";
const onlyScenarios = args.only?.split(",");
const onlyContenders = args.contenders?.split(",");
const runTimeoutMs = Number(args.timeout ?? (args.quick ? 60_000 : 240_000));
const writeResults =
  !args["no-write"] && (args.write ?? (!args.quick && !onlyScenarios && !onlyContenders && !args.reps));
const log = (line) => process.stderr.write(`${line}\n`);
setLabels(Object.fromEntries(Object.entries(CONTENDERS).map(([id, c]) => [id, c.label])));

const unknown = [...(onlyScenarios ?? [])].filter((id) => !SCENARIOS.some((s) => s.id === id));
if (unknown.length > 0)
  throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.id).join(", ")}`);

/** The benchmark server's process, with a request/reply call over IPC. */
async function startServer() {
  const child = fork(new URL("./server/bench-server.mjs", import.meta.url), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [ready] = await once(child, "message");
  let nextId = 0;
  return {
    url: ready.url,
    async call(request) {
      const id = nextId++;
      child.send({ id, ...request });
      for (;;) {
        const [reply] = await once(child, "message");
        if (reply.id === id) return reply;
      }
    },
    async stop() {
      child.send({ cmd: "exit" });
      await once(child, "exit");
    },
  };
}

/** One contender's run in a fresh process; resolves with { result } or { error }. */
async function runContender(scenario, contender, params, url) {
  const execArgv = ["--expose-gc"];
  // One folder per run: the process and each of its worker threads write a profile there.
  if (args["cpu-prof"]) {
    const folder = `profiles/${scenario.id}-${contender.replace(":", "-")}-${Date.now()}`;
    execArgv.push("--cpu-prof", `--cpu-prof-dir=${folder}`);
  }
  const child = fork(
    new URL("./contender.mjs", import.meta.url),
    [JSON.stringify({ scenario: scenario.id, contender, params, url })],
    {
      execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  let outcome = { error: "the contender process exited without a result" };
  child.on("message", (message) => {
    outcome = message;
  });
  const timer = setTimeout(() => {
    outcome = { error: `timed out after ${runTimeoutMs} ms` };
    child.kill("SIGKILL");
  }, runTimeoutMs);
  const [code, signal] = await once(child, "exit");
  clearTimeout(timer);
  if (outcome.result === undefined && outcome.error === undefined)
    outcome = { error: `exit ${code ?? signal}` };
  return outcome;
}

const startedAt = new Date();
const server = await startServer();
const report = { scale, startedAt: startedAt.toISOString(), machine: machineNote(), scenarios: [] };
try {
  for (const scenario of SCENARIOS) {
    if (onlyScenarios && !onlyScenarios.includes(scenario.id)) continue;
    const { params } = scenario[scale];
    const reps = Number(args.reps ?? scenario[scale].reps);
    const contenders = scenario.contenders.filter((c) => !onlyContenders || onlyContenders.includes(c));
    const runs = [];
    const load = [loadavg()[0]];
    for (let rep = 0; rep < reps; rep++) {
      for (let i = 0; i < contenders.length; i++) {
        const contender = contenders[(i + rep) % contenders.length];
        await server.call({ cmd: "configure", config: scenario.server(params) });
        const loadBefore = loadavg()[0];
        const outcome = await runContender(scenario, contender, params, server.url);
        const stats = await server.call({ cmd: "stats" });
        const problem = outcome.result && scenario.check?.(outcome.result, stats);
        const run = problem
          ? { contender, rep, error: problem, loadBefore }
          : { contender, rep, ...outcome, loadBefore };
        runs.push(run);
        log(
          `[${scenario.id}] rep ${rep + 1}/${reps} ${contender}: ${run.error ? `FAILED ${String(run.error).split("\n")[0]}` : JSON.stringify(run.result)} (load ${loadBefore.toFixed(2)})`,
        );
      }
      load.push(loadavg()[0]);
    }
    const markdown = renderScenario(scenario, runs, { params, reps });
    log(`\n${markdown}\n`);
    report.scenarios.push({ id: scenario.id, params, reps, load, runs, markdown });
  }
} finally {
  await server.stop();
}
report.finishedAt = new Date().toISOString();

if (args.json) {
  process.stdout.write(
    `${JSON.stringify({ ...report, scenarios: report.scenarios.map(({ markdown, ...s }) => s) }, null, 2)}\n`,
  );
}
if (writeResults) {
  const path = fileURLToPath(new URL("../RESULTS.md", import.meta.url));
  writeFileSync(path, resultsMarkdown(report));
  // The repository's formatter aligns Markdown tables; the file is kept as it would leave it.
  try {
    execFileSync("pnpm", ["exec", "biome", "format", "--write", path], { stdio: "ignore" });
  } catch {
    log("RESULTS.md could not be formatted with biome (it is written all the same)");
  }
  log(`${path} written`);
}
const failures = report.scenarios.flatMap((s) => s.runs.filter((r) => r.error !== undefined));
// --quick keeps the harness from rotting: any failed run fails the command.
if (args.quick && failures.length > 0) process.exitCode = 1;

/** The "before" run (`--before run.json`, the `--json` output of an earlier run) to compare with. */
function beforeSection(scenarios) {
  if (args.before === undefined) return [];
  const earlier = JSON.parse(readFileSync(args.before, "utf8"));
  const sections = scenarios.flatMap((s) => {
    const scenario = SCENARIOS.find((candidate) => candidate.id === s.id);
    const old = earlier.scenarios.find((candidate) => candidate.id === s.id);
    const table = scenario && old ? renderComparison(scenario, old.runs, s.runs) : undefined;
    return table === undefined ? [] : [table, ""];
  });
  return [
    "## Before → after",
    "",
    `Before: commit ${earlier.machine.commit.split(" ")[0]}, run ${earlier.startedAt} with this harness (load at its start: ${earlier.scenarios.map((s) => s.load[0].toFixed(2)).join(", ")}). After: this run.`,
    "",
    ...sections,
  ];
}

function resultsMarkdown({ machine, scenarios, startedAt: started, finishedAt }) {
  return [
    "# Benchmark results",
    "",
    "Written by `pnpm bench` (packages/bench/src/bench.mjs); do not edit by hand. Benchmarks, not tests:",
    "nothing fails on a figure. Each contender runs in a process of its own against the benchmark server",
    "(packages/bench/src/server) in another process; repetitions interleave the contenders.",
    "",
    `- run: ${started} → ${finishedAt}`,
    `- machine: ${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB, ${machine.os}, node ${machine.node}`,
    `- commit: ${machine.commit}`,
    "- load average (1 min) at the start and after each repetition of each scenario:",
    ...scenarios.map((s) => `  - ${s.id}: ${s.load.map((l) => l.toFixed(2)).join(", ")}`),
    "",
    ...scenarios.flatMap((s) => [s.markdown, ""]),
    ...beforeSection(scenarios),
  ].join("\n");
}
