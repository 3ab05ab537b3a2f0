// What the run ran on, for RESULTS.md: the same figures mean different things on other machines.
import { execFileSync } from "node:child_process";
import { cpus, release, totalmem, type } from "node:os";

export function machineNote() {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["log", "-1", "--format=%h %s"], { encoding: "utf8" }).trim();
  } catch {
    // Not a git checkout: the note says so.
  }
  return {
    cpu: cpus()[0]?.model ?? "unknown CPU",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    commit,
  };
}
