// Summaries of a run (medians over repetitions, ratios to raw ws and to @deepgram/sdk v5) and
// their rendering as Markdown tables: printed, and kept in RESULTS.md.
import { median } from "./scenarios/stats.mjs";

const BASELINE = "ws";
const REFERENCE = "dg-v5";

/** Medians and ratios over one scenario's runs. */
export function summarize(runs) {
  const values = (contender, key) =>
    runs.filter((r) => r.contender === contender && r.result !== undefined).map((r) => r.result[key]);
  const medianOf = (contender, key) => {
    const numbers = values(contender, key).filter((v) => typeof v === "number" && Number.isFinite(v));
    return numbers.length === 0 ? Number.NaN : median(numbers);
  };
  return {
    values,
    median: medianOf,
    ratio: (contender, key, to = BASELINE) => medianOf(contender, key) / medianOf(to, key),
    added: (contender, key) => medianOf(contender, key) - medianOf(BASELINE, key),
  };
}

const LABELS = {};
export const setLabels = (labels) => Object.assign(LABELS, labels);

function format(value) {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "–";
    const abs = Math.abs(value);
    return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  }
  return value === undefined || value === "" ? "–" : String(value);
}

const times = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "–");
const plus = (ms) => (Number.isFinite(ms) ? `${ms >= 0 ? "+" : ""}${ms.toFixed(2)}` : "–");

/** One scenario as Markdown: its table, then its targets. */
export function renderScenario(scenario, runs, { params, reps }) {
  const summary = summarize(runs);
  const header = ["contender"];
  for (const metric of scenario.metrics) {
    header.push(metric.label);
    if (metric.ratio) header.push("× raw ws", "× DG v5");
    if (metric.added) header.push("+ over raw");
  }
  const lines = [
    `### ${scenario.title}`,
    "",
    `${scenario.scale(params)}; ${reps} repetition${reps === 1 ? "" : "s"}, contenders interleaved; medians.`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
  ];
  for (const contender of scenario.contenders) {
    const failed = runs.filter((r) => r.contender === contender && r.error !== undefined);
    const cells = [LABELS[contender] ?? contender];
    for (const metric of scenario.metrics) {
      const all = summary.values(contender, metric.key);
      const numeric = all.length > 0 && all.every((v) => typeof v === "number");
      const distinct = [...new Set(all.map(format))];
      cells.push(numeric ? format(summary.median(contender, metric.key)) : distinct.join(" / ") || "–");
      if (metric.ratio)
        cells.push(
          times(summary.ratio(contender, metric.key)),
          times(summary.ratio(contender, metric.key, REFERENCE)),
        );
      if (metric.added) cells.push(plus(summary.added(contender, metric.key)));
    }
    if (failed.length > 0) cells[0] += ` (${failed.length} run${failed.length === 1 ? "" : "s"} failed)`;
    lines.push(`| ${cells.join(" | ")} |`);
  }
  const targets = scenario.targets.map((target) => {
    const met = target.met(summary);
    const verdict = met === undefined ? "—" : met ? "**met**" : "**not met**";
    return `| ${LABELS[target.contender] ?? target.contender} | ${target.text} | ${verdict} |`;
  });
  if (targets.length > 0) lines.push("", "| target | | |", "|---|---|---|", ...targets);
  const errors = runs.filter((r) => r.error !== undefined);
  for (const run of errors)
    lines.push(
      "",
      `- ${LABELS[run.contender] ?? run.contender}, rep ${run.rep + 1}: ${firstLine(run.error)}`,
    );
  return lines.join("\n");
}

const firstLine = (text) => String(text).split("\n")[0];

/**
 * One scenario's figures before and after (two runs of the same harness, e.g. an older commit
 * and this one): per contender and metric, the ratio to raw ws (or the ms added over it, or the
 * value itself for metrics with neither), before → after.
 */
export function renderComparison(scenario, beforeRuns, afterRuns) {
  const before = summarize(beforeRuns);
  const after = summarize(afterRuns);
  const metrics = scenario.metrics.filter((m) => m.ratio || m.added || /p99|p50/.test(m.key));
  // Yes/no outcomes ((5), (6)) have nothing to put side by side: their tables above say it.
  if (metrics.length === 0) return undefined;
  const cell = (summary, contender, metric) =>
    metric.ratio
      ? times(summary.ratio(contender, metric.key))
      : metric.added
        ? plus(summary.added(contender, metric.key))
        : format(summary.median(contender, metric.key));
  const header = [
    "contender",
    ...metrics.map((m) => `${m.label}${m.ratio ? " × raw ws" : m.added ? " + over raw" : ""}`),
  ];
  const lines = [
    `#### ${scenario.title.split(":")[0]}`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
  ];
  for (const contender of scenario.contenders) {
    if (contender === BASELINE) continue;
    const cells = metrics.map((m) => `${cell(before, contender, m)} → ${cell(after, contender, m)}`);
    lines.push(`| ${LABELS[contender] ?? contender} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
