/**
 * The `earshot-server` command: parses its arguments, starts the server, prints the URL on
 * stdout (one line, so scripts can read it), and closes gracefully on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { engineNames, resolveEngine } from "./engine-registry.ts";
import { POCKETSPHINX_INSTALL_HINT, PocketsphinxUnavailableError } from "./engines/pocketsphinx/index.ts";
import type { LocalServer, ServerOptions } from "./server-options.ts";
import { startServer } from "./start-server.ts";

export const USAGE = `Usage: earshot-server [--port 8080] [--host 127.0.0.1] [--api-key KEY]... [--engine scripted] [--inactivity-timeout MS] [--max-sessions N]

A local Deepgram-compatible live transcription server (/v1/listen).

  --port                TCP port (0 picks a free one)            default 8080
  --host                interface to listen on                   default 127.0.0.1
  --api-key KEY         accepted key (repeatable); none = no auth
  --engine NAME         recognizer: pocketsphinx (offline, real) or scripted
                        (a fake that speaks a fixed script)      default pocketsphinx
                        when installed, else scripted (announced)
  --inactivity-timeout  ms without a frame before 1011 NET-0001  default 10000
  --max-sessions N      concurrent sessions before 429           default unlimited
  --help                show this help`;

/** Thrown for bad command-line arguments (the CLI prints it with the usage, exit code 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses `earshot-server` arguments into server options. */
export function parseCliArgs(
  argv: readonly string[],
): { help: true } | { help: false; options: ServerOptions; engine: string | undefined } {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { help: true };
  const port = integer(values.port ?? "8080", "--port", 0, 65_535);
  const engine = values.engine;
  if (engine !== undefined && !engineNames().includes(engine)) {
    throw new UsageError(`unknown engine "${engine}"; known engines: ${engineNames().join(", ")}`);
  }
  const options: ServerOptions = { port, host: values.host ?? "127.0.0.1" };
  if (values["api-key"] !== undefined && values["api-key"].length > 0) options.apiKeys = values["api-key"];
  if (values["inactivity-timeout"] !== undefined) {
    options.inactivityTimeoutMs = integer(
      values["inactivity-timeout"],
      "--inactivity-timeout",
      1,
      2 ** 31 - 1,
    );
  }
  if (values["max-sessions"] !== undefined) {
    options.maxConcurrentSessions = integer(values["max-sessions"], "--max-sessions", 1, 2 ** 31 - 1);
  }
  return { help: false, options, engine };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      "api-key": { type: "string", multiple: true },
      engine: { type: "string" },
      "inactivity-timeout": { type: "string" },
      "max-sessions": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Where the CLI writes and which signals it listens to (the process, unless a test says otherwise). */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  signals: Pick<NodeJS.EventEmitter, "once" | "off">;
}

/** A running CLI server; `done` resolves with the exit code once it has shut down. */
export interface CliRun {
  readonly server: LocalServer | undefined;
  readonly done: Promise<number>;
}

/**
 * The engine asked for; with none, the offline recognizer when it is installed, else the
 * scripted engine — said on stderr either way, so nobody mistakes the script for recognition.
 */
async function startDefaultOrChosen(
  options: ServerOptions,
  engine: string | undefined,
  io: CliIo,
): Promise<LocalServer> {
  if (engine !== undefined) return startServer({ ...options, engine: resolveEngine(engine) });
  try {
    const server = await startServer({ ...options, engine: resolveEngine("pocketsphinx") });
    io.stderr(
      "earshot-server: engine pocketsphinx (offline recognition); --engine scripted for the scripted test engine",
    );
    return server;
  } catch (error) {
    if (!(error instanceof PocketsphinxUnavailableError)) throw error;
    const server = await startServer({ ...options, engine: resolveEngine("scripted") });
    io.stderr(
      `earshot-server: pocketsphinx is not installed (${POCKETSPHINX_INSTALL_HINT}), so the scripted engine answers: a fake that speaks a fixed script, whatever the audio`,
    );
    return server;
  }
}

/** Runs the CLI: resolves once the server listens (or the arguments were refused). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<CliRun> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`earshot-server: ${error.message}\n${USAGE}`);
    return { server: undefined, done: Promise.resolve(2) };
  }
  if (parsed.help) {
    io.stdout(USAGE);
    return { server: undefined, done: Promise.resolve(0) };
  }
  let server: LocalServer;
  try {
    server = await startDefaultOrChosen(parsed.options, parsed.engine, io);
  } catch (error) {
    io.stderr(`earshot-server: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return { server: undefined, done: Promise.resolve(1) };
  }
  io.stdout(server.url);
  const done = new Promise<number>((resolve) => {
    const stop = (): void => {
      io.signals.off("SIGINT", stop);
      io.signals.off("SIGTERM", stop);
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          io.stderr(
            `earshot-server: error while closing: ${error instanceof Error ? error.message : String(error)}`,
          );
          resolve(1);
        },
      );
    };
    io.signals.once("SIGINT", stop);
    io.signals.once("SIGTERM", stop);
  });
  return { server, done };
}
