/**
 * Text as terminal cells: one entry per grapheme with its display width (2 for CJK and most
 * emoji, 0 for combining marks), measured by `string-width`. Everything that decides what fits
 * on a line works on cells, never on `.length`.
 */
import stringWidth from "string-width";

/** A run of text with one style. */
export interface Span {
  readonly text: string;
  /** Drawn dimmed (when colour is on). */
  readonly dim?: boolean;
}

/** One grapheme as drawn. */
export interface Cell {
  readonly grapheme: string;
  /** Columns it takes, at most (see {@link graphemeWidth}). */
  readonly width: number;
  readonly dim: boolean;
  /** False when terminals disagree on its width: nothing after it can be positioned by counting. */
  readonly exact: boolean;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

// C0 and C1 controls (escape sequences included) from a server must never reach the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f]+/g;

/** `text` with every control character (escape sequences, tabs, newlines) turned into a space. */
export function printable(text: string): string {
  return text.replace(controls, " ");
}

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(printable(text));
}

/**
 * The columns a grapheme may take. Terminals that know Unicode's emoji sequences draw a ZWJ
 * family, a skin-toned thumb or a flag in 2 columns; many others draw each code point of it
 * (6, 4, 2). Taking the larger of the two keeps a line from wrapping in either; `exact` says
 * whether they agree.
 */
export function graphemeWidth(grapheme: string): { width: number; exact: boolean } {
  const clustered = stringWidth(grapheme);
  let separate = 0;
  for (const codePoint of grapheme) separate += stringWidth(codePoint);
  return { width: Math.max(clustered, separate), exact: clustered === separate };
}

/** Spans → cells (control characters made printable). */
export function toCells(spans: readonly Span[]): Cell[] {
  const cells: Cell[] = [];
  for (const span of spans) {
    for (const { segment } of graphemes.segment(printable(span.text))) {
      cells.push({ grapheme: segment, ...graphemeWidth(segment), dim: span.dim === true });
    }
  }
  return cells;
}

/** Total columns of `cells`. */
export function cellsWidth(cells: readonly Cell[]): number {
  let width = 0;
  for (const cell of cells) width += cell.width;
  return width;
}

const ellipsis: Cell = { grapheme: "…", width: 1, dim: false, exact: true };

/** The last cells that fit in `width` columns, led by `…` when some were cut. */
export function keepEnd(cells: readonly Cell[], width: number): Cell[] {
  if (cellsWidth(cells) <= width) return [...cells];
  if (width <= 0) return [];
  const kept: Cell[] = [];
  let used = ellipsis.width;
  for (let index = cells.length - 1; index >= 0; index--) {
    const cell = cells[index] as Cell;
    if (used + cell.width > width) break;
    kept.unshift(cell);
    used += cell.width;
  }
  return [ellipsis, ...kept];
}

/** The first cells that fit in `width` columns, ended by `…` when some were cut. */
export function keepStart(cells: readonly Cell[], width: number): Cell[] {
  if (cellsWidth(cells) <= width) return [...cells];
  if (width <= 0) return [];
  const kept: Cell[] = [];
  let used = ellipsis.width;
  for (const cell of cells) {
    if (used + cell.width > width) break;
    kept.push(cell);
    used += cell.width;
  }
  return [...kept, ellipsis];
}
