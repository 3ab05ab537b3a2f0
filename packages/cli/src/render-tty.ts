/**
 * Live captions on a terminal. One status line at the bottom holds the progress bar and the
 * interim transcript, rewritten in place (`\r` + clear-line) as hypotheses change; each final
 * result clears it, is printed as a line of its own, and the status line is drawn again below.
 */
import type { ServerMessage } from "@earshot/core";
import { type FinalFormat, formatClock, formatFinal } from "./format-final.ts";
import type { Progress, Renderer } from "./renderer.ts";

const clearLine = "\r\x1b[2K";
const dim = (text: string) => `\x1b[2m${text}\x1b[22m`;

/** How the terminal renderer looks. */
export interface TtyRendererOptions extends FinalFormat {
  /** Current terminal width. @default 80 */
  readonly columns?: () => number;
  /** Dim the interim text (off with NO_COLOR). @default true */
  readonly color?: boolean;
  /** Milliseconds, for throttling progress redraws. @default performance.now */
  readonly now?: () => number;
}

const barWidth = 20;

/** `▕██████░░░░▏ 0:12.0 / 0:31.0  1.0×`, or just the time and speed when the length is unknown. */
export function formatProgress(progress: Progress): string {
  const speed = progress.speed === undefined ? "" : `  ${progress.speed.toFixed(1)}×`;
  const position = formatClock(progress.positionSeconds);
  if (progress.durationSeconds === undefined || progress.durationSeconds <= 0) return `${position}${speed}`;
  const ratio = Math.min(1, progress.positionSeconds / progress.durationSeconds);
  const filled = Math.round(ratio * barWidth);
  const bar = `▕${"█".repeat(filled)}${"░".repeat(barWidth - filled)}▏`;
  return `${bar} ${position} / ${formatClock(progress.durationSeconds)}${speed}`;
}

/** Draws captions for a person watching a terminal. */
export class TtyRenderer implements Renderer {
  readonly #out: NodeJS.WritableStream;
  readonly #options: TtyRendererOptions;
  readonly #interim = new Map<number, string>();
  #progress: string | undefined;
  #lastProgressDraw = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(out: NodeJS.WritableStream, options: TtyRendererOptions) {
    this.#out = out;
    this.#options = options;
  }

  message(message: ServerMessage): void {
    if (message.type !== "Results") return;
    const channel = message.channel_index[0];
    if (!message.is_final) {
      this.#interim.set(channel, message.channel.alternatives[0]?.transcript.trim() ?? "");
      this.#draw();
      return;
    }
    this.#interim.delete(channel);
    const lines = formatFinal(message, this.#options);
    if (lines.length > 0) {
      this.#out.write(`${this.#drawn ? clearLine : ""}${lines.join("\n")}\n`);
      this.#drawn = false;
    }
    this.#draw();
  }

  progress(progress: Progress): void {
    this.#progress = formatProgress(progress);
    const now = (this.#options.now ?? (() => performance.now()))();
    // A redraw per 100 ms frame would flicker and waste the terminal's time.
    if (now - this.#lastProgressDraw < 100) return;
    this.#lastProgressDraw = now;
    this.#draw();
  }

  end(): void {
    if (this.#drawn) this.#out.write(clearLine);
    this.#drawn = false;
  }

  #draw(): void {
    const width = Math.max(20, (this.#options.columns?.() ?? 80) - 1);
    const interim = [...this.#interim.values()].filter((text) => text !== "").join(" | ");
    const status = this.#progress ?? "";
    const room = width - status.length - (status && interim ? 2 : 0);
    let shown = interim;
    // Keep the newest words in view: a long hypothesis scrolls left, never wraps.
    if (shown.length > room) shown = room > 1 ? `…${shown.slice(shown.length - room + 1)}` : "";
    if (status === "" && shown === "") {
      if (this.#drawn) this.#out.write(clearLine);
      this.#drawn = false;
      return;
    }
    const interimText = shown && this.#options.color !== false ? dim(shown) : shown;
    this.#out.write(`${clearLine}${status}${status && shown ? "  " : ""}${interimText}`);
    this.#drawn = true;
  }
}
