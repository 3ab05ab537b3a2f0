// One contender's run of one scenario, in a process of its own (started by bench.mjs): argv[2]
// is { scenario, contender, params, url }; the result goes back over IPC, then the process ends.
import { CONTENDERS } from "./clients/index.mjs";
import { SCENARIO_RUNNERS } from "./scenarios/index.mjs";

const { scenario, contender, params, url } = JSON.parse(process.argv[2]);
const { open, ownKeepAlive = false, threaded = false } = CONTENDERS[contender];
let outcome;
try {
  outcome = { result: await SCENARIO_RUNNERS[scenario](open, params, { url, ownKeepAlive }) };
} catch (error) {
  outcome = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
// The engine worker is unref'd, but stopping it is what a well-behaved program does at exit.
if (threaded) await (await import("@earshot/threaded")).shutdownEngines();
process.send(outcome, () => process.exit(0));
