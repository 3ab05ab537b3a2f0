#!/usr/bin/env node
/** The `earshot-server` executable. */
import { runCli } from "./cli.ts";

const run = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signals: process,
});
process.exitCode = await run.done;
