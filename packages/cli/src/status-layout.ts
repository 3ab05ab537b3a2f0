/**
 * What the status line holds, fitted to the width: the progress (as much of it as leaves room
 * for the words), live figures with `--stats`, and the caption in progress — committed words
 * plain, the tentative tail dimmed — cut from the left so the newest words stay in view.
 */
import { formatClock } from "./format-final.ts";
import type { Progress } from "./renderer.ts";
import { cellsWidth, displayWidth, keepEnd, type Span, toCells } from "./terminal/cells.ts";

/**
 * `▕██████░░░░▏ 0:12.0 / 0:31.0  1.0×` with a bar of `barWidth` cells (0: no bar), the speed
 * unless `withSpeed` is false.
 */
export function formatProgress(progress: Progress, barWidth = 20, withSpeed = true): string {
  const speed = progress.speed === undefined || !withSpeed ? "" : `  ${progress.speed.toFixed(1)}×`;
  const position = formatClock(progress.positionSeconds);
  if (progress.durationSeconds === undefined || progress.durationSeconds <= 0) return `${position}${speed}`;
  const time = `${position} / ${formatClock(progress.durationSeconds)}`;
  if (barWidth <= 0) return time;
  const ratio = Math.min(1, progress.positionSeconds / progress.durationSeconds);
  const filled = Math.round(ratio * barWidth);
  return `▕${"█".repeat(filled)}${"░".repeat(barWidth - filled)}▏ ${time}${speed}`;
}

/** Shorter and shorter ways to show the progress, the most detailed first. */
function progressVariants(progress: Progress | undefined): string[] {
  if (progress === undefined) return [""];
  return [
    formatProgress(progress, 20),
    formatProgress(progress, 10, false),
    formatProgress(progress, 0, false),
    formatClock(progress.positionSeconds),
    "",
  ];
}

/** What goes on the status line. */
export interface StatusContent {
  readonly progress: Progress | undefined;
  /** Live figures (`--stats`), shown when there is room. */
  readonly stats: string | undefined;
  /** The caption in progress, per channel: committed and tentative text. */
  readonly captions: readonly { readonly committed: string; readonly tentative: string }[];
}

const gap = "  ";

/**
 * Lays the status line out in `width` columns. The words in progress get at least half the
 * line (or all they need, if less); progress and figures take what is left.
 */
export function layoutStatus(content: StatusContent, width: number): Span[] {
  const captionSpans: Span[] = [];
  for (const caption of content.captions) {
    const committed = caption.committed;
    const tentative = caption.tentative;
    if (`${committed}${tentative}`.trim() === "") continue;
    if (captionSpans.length > 0) captionSpans.push({ text: " | " });
    if (committed !== "") captionSpans.push({ text: committed });
    // The space before the tail is not part of it: only words are dimmed.
    const tail = tentative.trimStart();
    if (committed !== "" && tail !== tentative) captionSpans.push({ text: " " });
    if (tail !== "") captionSpans.push({ text: tail, dim: true });
  }
  const captionCells = toCells(captionSpans);
  const captionWidth = cellsWidth(captionCells);
  const reserved = Math.min(captionWidth, Math.max(10, Math.floor(width / 2)));
  const roomForRest = width - (reserved > 0 ? reserved + gap.length : 0);

  let left = "";
  for (const variant of progressVariants(content.progress)) {
    if (displayWidth(variant) <= roomForRest) {
      left = variant;
      break;
    }
  }
  const stats = content.stats ?? "";
  if (stats !== "") {
    const withStats = left === "" ? stats : `${left}${gap}${stats}`;
    if (displayWidth(withStats) <= roomForRest) left = withStats;
  }
  const leftWidth = displayWidth(left);
  const separator = left !== "" && captionWidth > 0 ? gap : "";
  const captionRoom = width - leftWidth - separator.length;
  const spans: Span[] = [];
  if (left !== "") spans.push({ text: left });
  if (separator !== "") spans.push({ text: separator });
  for (const cell of keepEnd(captionCells, captionRoom)) spans.push({ text: cell.grapheme, dim: cell.dim });
  return spans;
}
