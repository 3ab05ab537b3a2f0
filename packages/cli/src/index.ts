/**
 * `earshot` as a library: the CLI's pieces, for embedding captions in another tool.
 * The command itself is `dist/bin.js`.
 */
export { type Face, type ListenArgs, type LocalEngine, type Pacing, parseListenArgs } from "./args.ts";
export { runCli } from "./cli.ts";
export { type FinalFormat, formatFinal } from "./format-final.ts";
export { type InputKind, sniffKind } from "./input-kind.ts";
export { type CliIo, interruptedExitCode, listen } from "./listen.ts";
export { JsonRenderer } from "./render-json.ts";
export { formatProgress, TtyRenderer, type TtyRendererOptions } from "./render-tty.ts";
export type { Progress, Renderer } from "./renderer.ts";
export { brokenPipeExitCode } from "./stop-signals.ts";
export { type StatsSnapshot, StreamStats } from "./stream-stats.ts";
export { type Cue, type CueLimits, cuesOf, type SubtitleFormat, SubtitleWriter } from "./subtitles.ts";
export { displayWidth, type Span } from "./terminal/cells.ts";
export { useColor } from "./terminal/color.ts";
export { LiveLines, type LiveLinesOptions } from "./terminal/live-lines.ts";
export { UsageError } from "./usage-error.ts";
