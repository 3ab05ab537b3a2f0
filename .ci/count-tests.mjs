// Reads vitest's JSON report and prints the closing count line. Fails when no test ran, when any
// project listed in vitest.workspace.ts ran none (a project vitest silently ignored), or when
// any test was skipped or left as a todo.
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";

const reportPath = process.argv[2] ?? ".ci/out/vitest.json";
const root = resolve(import.meta.dirname, "..");
const report = JSON.parse(readFileSync(reportPath, "utf8"));
const workspace = readFileSync(resolve(root, "vitest.workspace.ts"), "utf8");
const projects = [...workspace.matchAll(/^\s*"([^"]+)",?\s*$/gm)].map((match) => match[1]);

const perProject = new Map(projects.map((project) => [project, 0]));
let skipped = 0;
for (const file of report.testResults ?? []) {
  const path = relative(root, file.name);
  // The deepest listed folder holding the file: a project may sit inside another (examples/browser).
  const project = projects
    .filter((candidate) => path.startsWith(`${candidate}/`))
    .sort((a, b) => b.length - a.length)[0];
  const ran = (file.assertionResults ?? []).filter(
    (test) => test.status === "passed" || test.status === "failed",
  );
  skipped += (file.assertionResults ?? []).filter(
    (test) => test.status === "skipped" || test.status === "pending" || test.status === "todo",
  ).length;
  if (project) perProject.set(project, (perProject.get(project) ?? 0) + ran.length);
}

const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
for (const [project, count] of perProject) console.log(`  ${project}: ${count} tests`);
console.log(`tests: ${passed} passed, ${failed} failed`);

const problems = [];
if (passed + failed === 0) problems.push("no test ran");
for (const [project, count] of perProject) if (count === 0) problems.push(`project ${project} ran no test`);
if (skipped > 0) problems.push(`${skipped} tests were skipped or todo`);
if (problems.length > 0) {
  console.error(`count-tests: ${problems.join("; ")}`);
  process.exit(1);
}
