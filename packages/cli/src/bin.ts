#!/usr/bin/env node
/**
 * The `earshot` executable. Exits explicitly once stdout has drained: a stream's last finals are
 * printed by then, and nothing an engine or a capture command leaves behind can keep the
 * terminal waiting.
 */
import { runCli } from "./cli.ts";

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then((status) => {
  // A closed pipe will never drain: exit at once then.
  if (process.stdout.destroyed || !process.stdout.writable) process.exit(status);
  process.stdout.write("", () => process.exit(status));
});
