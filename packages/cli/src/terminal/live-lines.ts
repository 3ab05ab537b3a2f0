/**
 * The terminal as live captions use it: lines printed once and left alone (finals), and one
 * status line at the bottom rewritten in place. The status line is clipped to one column less
 * than the terminal's width, so it never wraps — a wrapped line could not be cleared with a
 * carriage return, and every redraw would leave a stale copy above it. Redraws write only the
 * cells after the first one that changed.
 */
import { type Cell, cellsWidth, keepStart, printable, type Span, toCells } from "./cells.ts";

const clearLine = "\r\x1b[2K";
const clearToEnd = "\x1b[K";
const dimOn = "\x1b[2m";
const dimOff = "\x1b[22m";

/** How {@link LiveLines} draws. */
export interface LiveLinesOptions {
  /** The terminal's width now (read at every draw, so a resize is followed). @default 80 */
  readonly columns?: () => number;
  /** Draw dimmed spans dimmed; off, they are plain. @default true */
  readonly color?: boolean;
}

function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  return a !== undefined && b !== undefined && a.grapheme === b.grapheme && a.dim === b.dim;
}

/**
 * Finals above, one status line below.
 *
 * @example
 * ```ts
 * const screen = new LiveLines(process.stdout, { columns: () => process.stdout.columns });
 * screen.status([{ text: "good mor" }, { text: "ning", dim: true }]);
 * screen.print(["Good morning."]);
 * screen.end();
 * ```
 */
export class LiveLines {
  readonly #out: NodeJS.WritableStream;
  readonly #columns: () => number;
  readonly #color: boolean;
  /** What the status line shows now ([] when nothing is drawn). */
  #drawn: Cell[] = [];
  /** The width it was drawn for. */
  #drawnColumns = 0;
  /** What it should show (kept while finals are printed over it). */
  #wanted: readonly Span[] = [];

  constructor(out: NodeJS.WritableStream, options: LiveLinesOptions = {}) {
    this.#out = out;
    this.#columns = options.columns ?? (() => 80);
    this.#color = options.color !== false;
  }

  /** The columns the status line may use: the terminal's width less one. */
  get width(): number {
    return Math.max(1, (this.#columns() || 80) - 1);
  }

  /**
   * Prints `lines` above the status line, which is drawn again below them: as it was, or as
   * `status` (one write for both, so the old status never flashes below the new lines).
   */
  print(lines: readonly string[], status: readonly Span[] = this.#wanted): void {
    this.#wanted = status;
    if (lines.length === 0) {
      this.status(status);
      return;
    }
    const text = lines.map((line) => printable(line)).join("\n");
    const erase = this.#drawn.length > 0 ? clearLine : "";
    this.#drawn = [];
    this.#out.write(`${erase}${text}\n${this.#render(this.#wanted, true)}`);
  }

  /** Sets the status line (clipped to {@link width}); writes only what changed. */
  status(spans: readonly Span[]): void {
    this.#wanted = spans;
    const output = this.#render(spans, false);
    if (output !== "") this.#out.write(output);
  }

  /** Clears the status line, leaving the cursor at the start of an empty line. */
  end(): void {
    this.#wanted = [];
    if (this.#drawn.length > 0) this.#out.write(clearLine);
    this.#drawn = [];
  }

  /** The bytes that take the screen from what is drawn to `spans`. */
  #render(spans: readonly Span[], fresh: boolean): string {
    const columns = this.width;
    const cells = keepStart(toCells(spans), columns);
    const resized = this.#drawnColumns !== columns;
    this.#drawnColumns = columns;
    if (fresh || resized) {
      const erase = !fresh && this.#drawn.length > 0 ? clearLine : "";
      this.#drawn = cells;
      return cells.length === 0 ? erase : `${erase}\r${this.#styled(cells)}`;
    }
    let first = 0;
    // Redrawing starts at the first change, or earlier: after a cell whose width terminals
    // disagree on, the cursor column cannot be counted.
    while (first < cells.length && sameCell(cells[first], this.#drawn[first]) && cells[first]?.exact) first++;
    if (
      first === cells.length &&
      cells.length === this.#drawn.length &&
      cells.every((cell, index) => sameCell(cell, this.#drawn[index]))
    ) {
      return "";
    }
    const column = cellsWidth(cells.slice(0, first));
    this.#drawn = cells;
    const move = column > 0 ? `\x1b[${column}C` : "";
    // Clearing to the end also covers a line that got shorter.
    return `\r${move}${this.#styled(cells.slice(first))}${clearToEnd}`;
  }

  #styled(cells: readonly Cell[]): string {
    let text = "";
    let dim = false;
    for (const cell of cells) {
      const wantDim = this.#color && cell.dim;
      if (wantDim !== dim) text += wantDim ? dimOn : dimOff;
      dim = wantDim;
      text += cell.grapheme;
    }
    return dim ? `${text}${dimOff}` : text;
  }
}
