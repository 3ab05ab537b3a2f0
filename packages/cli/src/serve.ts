/**
 * `earshot serve`: the local Deepgram-compatible server, exactly as `earshot-server` runs it —
 * same flags, same output, same exit status. It runs the server package's own executable as a
 * child (the server's command-line logic is not duplicated here), forwarding Ctrl-C/SIGTERM.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type { CliIo } from "./listen.ts";

/** The path of `@earshot/server`'s `earshot-server` executable. */
export function serverExecutable(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@earshot/server/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin?: Record<string, string> };
  const bin = manifest.bin?.["earshot-server"];
  if (bin === undefined) throw new Error("@earshot/server has no earshot-server executable");
  return resolve(dirname(manifestPath), bin);
}

/**
 * Runs the server until it is stopped; resolves with its exit status (128 + n if a signal
 * ended it).
 *
 * @example
 * process.exitCode = await serve(["--port", "8080"], io);
 */
export async function serve(argv: readonly string[], io: CliIo): Promise<number> {
  // Its own process group: a Ctrl-C reaches the server once, through this forwarding, rather
  // than twice (once from the terminal, once forwarded).
  const child = spawn(process.execPath, [serverExecutable(), ...argv], {
    stdio: ["ignore", "pipe", "pipe"],
    env: io.env,
    detached: true,
  });
  child.stdout.pipe(io.stdout, { end: false });
  child.stderr.pipe(io.stderr, { end: false });
  const signals = io.signals ?? process;
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const onInterrupt = forward("SIGINT");
  const onTerminate = forward("SIGTERM");
  const killOnExit = () => {
    child.kill("SIGTERM");
  };
  signals.on("SIGINT", onInterrupt);
  signals.on("SIGTERM", onTerminate);
  // Whatever ends this process, the server must not outlive it.
  process.on("exit", killOnExit);
  try {
    return await new Promise<number>((resolveStatus, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => {
        if (code !== null) resolveStatus(code);
        else resolveStatus(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 9));
      });
    });
  } finally {
    signals.off("SIGINT", onInterrupt);
    signals.off("SIGTERM", onTerminate);
    process.off("exit", killOnExit);
  }
}
