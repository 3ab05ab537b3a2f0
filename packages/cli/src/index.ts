/**
 * `earshot` as a library: the CLI's pieces, for embedding captions in another tool.
 * The command itself is `dist/bin.js`.
 */
export { type Face, type ListenArgs, type LocalEngine, type Pacing, parseListenArgs } from "./args.ts";
export { runCli } from "./cli.ts";
export { type FinalFormat, formatFinal } from "./format-final.ts";
export { type CliIo, interruptedExitCode, listen } from "./listen.ts";
export { JsonRenderer } from "./render-json.ts";
export { formatProgress, TtyRenderer, type TtyRendererOptions } from "./render-tty.ts";
export type { Progress, Renderer } from "./renderer.ts";
export { UsageError } from "./usage-error.ts";
