/**
 * Loaded by every project's vitest config (`setupFiles`). After each test file, it checks that
 * the file left no socket, server, child process or timer behind: the kinds of handle that keep
 * a user's process alive or leak across sessions. It compares against the handles that existed
 * before the file's first test, so vitest's own plumbing does not count.
 */
import { afterAll, beforeAll } from "vitest";

const trackedResources = new Set([
  "TCPSocketWrap",
  "TCPServerWrap",
  "TCPWRAP",
  "ProcessWrap",
  "Timeout",
  "PipeWrap",
  "TTYWrap",
]);

function countTracked(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (trackedResources.has(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function leftOver(baseline: Map<string, number>): string[] {
  const leaks: string[] = [];
  for (const [name, count] of countTracked()) {
    const extra = count - (baseline.get(name) ?? 0);
    if (extra > 0) leaks.push(`${extra} × ${name}`);
  }
  return leaks;
}

let baseline = new Map<string, number>();

beforeAll(() => {
  baseline = countTracked();
});

afterAll(async () => {
  // Closing handles finish on later ticks (a socket's close, a child's exit): allow them up
  // to two seconds before calling what remains a leak.
  const deadline = Date.now() + 2_000;
  let leaks = leftOver(baseline);
  while (leaks.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20).unref());
    leaks = leftOver(baseline);
  }
  if (leaks.length > 0) {
    throw new Error(`test file left open handles: ${leaks.join(", ")}`);
  }
});
