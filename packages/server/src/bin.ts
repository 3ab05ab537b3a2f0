#!/usr/bin/env node
/** The `earshot-server` executable. */
import { runCli } from "./cli.ts";

// No top-level await: this file is also built as CommonJS.
runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signals: process,
})
  .then((run) => run.done)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`earshot-server: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
