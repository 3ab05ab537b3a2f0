/**
 * Live captions on a terminal: each final result printed as a line (with `--timestamps`,
 * `--speakers`, channel labels), and one status line below — progress, live figures, and the
 * caption in progress, its committed words plain and its tentative tail dimmed (core's
 * `CaptionStabilizer`, so words once shown are not taken back before the final).
 */
import { type Caption, CaptionStabilizer, type ServerMessage } from "@earshot/core";
import { type FinalFormat, formatClock, formatFinal } from "./format-final.ts";
import type { Progress, Renderer } from "./renderer.ts";
import { layoutStatus } from "./status-layout.ts";
import type { Span } from "./terminal/cells.ts";
import { LiveLines } from "./terminal/live-lines.ts";

export { formatProgress } from "./status-layout.ts";

/** How the terminal renderer looks. */
export interface TtyRendererOptions extends FinalFormat {
  /** Current terminal width. @default 80 */
  readonly columns?: () => number;
  /** Dim the tentative words (see `useColor` for NO_COLOR/FORCE_COLOR). @default true */
  readonly color?: boolean;
  /** Milliseconds, for throttling progress redraws. @default performance.now */
  readonly now?: () => number;
}

/** Draws captions for a person watching a terminal. */
export class TtyRenderer implements Renderer {
  readonly #screen: LiveLines;
  readonly #options: TtyRendererOptions;
  readonly #stabilizer = new CaptionStabilizer();
  readonly #captions = new Map<number, Caption>();
  #progress: Progress | undefined;
  #stats: string | undefined;
  #lastProgressDraw = Number.NEGATIVE_INFINITY;

  constructor(out: NodeJS.WritableStream, options: TtyRendererOptions) {
    this.#options = options;
    this.#screen = new LiveLines(out, {
      ...(options.columns === undefined ? {} : { columns: options.columns }),
      color: options.color !== false,
    });
  }

  message(message: ServerMessage): void {
    if (message.type !== "Results") return;
    const caption = this.#stabilizer.push(message);
    if (!caption.final) {
      this.#captions.set(caption.channel, caption);
      this.#draw();
      return;
    }
    this.#captions.delete(caption.channel);
    // Empty, or audio already shown by promotePending(): nothing to print.
    const lines = caption.committed === "" ? [] : formatFinal(message, this.#options);
    this.#screen.print(lines, this.#statusSpans());
  }

  promotePending(): void {
    const lines: string[] = [];
    for (const caption of this.#stabilizer.promoteAll()) {
      const span = this.#options.timestamps
        ? `[${formatClock(caption.start)} → ${formatClock(caption.end)}] `
        : "";
      lines.push(`${span}${caption.committed}`);
    }
    this.#captions.clear();
    this.#screen.print(lines, this.#statusSpans());
  }

  progress(progress: Progress): void {
    this.#progress = progress;
    const now = (this.#options.now ?? (() => performance.now()))();
    // A redraw per 100 ms frame would flicker and waste the terminal's time.
    if (now - this.#lastProgressDraw < 100) return;
    this.#lastProgressDraw = now;
    this.#draw();
  }

  stats(line: string): void {
    this.#stats = line;
    this.#draw();
  }

  end(): void {
    this.#screen.end();
  }

  #draw(): void {
    this.#screen.status(this.#statusSpans());
  }

  #statusSpans(): Span[] {
    return layoutStatus(
      { progress: this.#progress, stats: this.#stats, captions: [...this.#captions.values()] },
      this.#screen.width,
    );
  }
}
