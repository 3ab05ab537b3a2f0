/**
 * The `earshot` command: picks the subcommand and turns every failure into one line on stderr
 * and an exit status. `bin.ts` is only the process wrapper around {@link runCli}.
 */
import { createRequire } from "node:module";
import { parseListenArgs } from "./args.ts";
import { describeError } from "./describe-error.ts";
import { type CliIo, listen } from "./listen.ts";
import { listenFlux } from "./listen-flux.ts";
import { serve } from "./serve.ts";
import { listenUsage, mainUsage } from "./usage.ts";
import { UsageError } from "./usage-error.ts";

function version(): string {
  const require = createRequire(import.meta.url);
  // dist/bin.js and src/cli.ts are both one level below the package root.
  return (require("../package.json") as { version: string }).version;
}

/**
 * Runs `earshot <argv…>` and resolves with the exit status (it never calls process.exit).
 *
 * @example
 * process.exitCode = await runCli(["listen", "talk.wav", "--json"]);
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        // No command is a usage mistake: the usage goes to stderr, stdout stays clean.
        io.stderr.write(mainUsage);
        return 2;
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(mainUsage);
        return 0;
      case "--version":
      case "-v":
        io.stdout.write(`${version()}\n`);
        return 0;
      case "listen": {
        const args = parseListenArgs(rest);
        if (args.help) {
          io.stdout.write(listenUsage);
          return 0;
        }
        return await (args.flux === undefined ? listen(args, io) : listenFlux(args, io));
      }
      case "serve":
        return await serve(rest, io);
      default:
        throw new UsageError(`unknown command '${command}' (try: earshot listen <file>, earshot --help)`);
    }
  } catch (error) {
    io.stderr.write(
      `earshot: ${describeError(error, io.env.DEEPGRAM_API_KEY ? [io.env.DEEPGRAM_API_KEY] : [])}\n`,
    );
    return error instanceof UsageError ? 2 : 1;
  }
}
