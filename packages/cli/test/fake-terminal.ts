/**
 * A fake terminal for renderer tests: the bytes a renderer writes go through @xterm/headless (a
 * real terminal emulator: wrapping, cursor movement, erasing, wide characters), and the test
 * reads the resulting SCREEN, as a person would see it. `convertEol` stands in for the tty
 * driver, which turns "\n" into "\r\n".
 */
import { Writable } from "node:stream";
import xterm from "@xterm/headless";

/** What is on the screen: logical lines (wrapped rows joined) and the cursor's line. */
export interface ScreenShot {
  /** Every logical line from the top of the scrollback, trailing spaces trimmed. */
  readonly lines: string[];
  /** The physical rows, trimmed, as drawn (for the report's screen captures). */
  readonly rows: string[];
  /** Index in `lines` of the line the cursor is on. */
  readonly cursorLine: number;
  /** The text of the cursor's line whose cells are dimmed. */
  readonly dimText: string;
  /** Physical rows the cursor's line takes (1 unless it wrapped). */
  readonly cursorLineRows: number;
}

/** A terminal of `columns` × `rows` and a stream that writes into it. */
export function fakeTerminal(columns: number, rows = 10) {
  const terminal = new xterm.Terminal({
    cols: columns,
    rows,
    scrollback: 1000,
    allowProposedApi: true,
    convertEol: true,
  });
  let bytes = "";
  const out = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), {
    isTTY: true,
    columns,
    // Synchronous, as a tty's write is: the screen and the byte log see each write at once.
    write: (chunk: string | Uint8Array): boolean => {
      bytes += String(chunk);
      terminal.write(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    },
  });

  async function screen(): Promise<ScreenShot> {
    await new Promise<void>((resolve) => terminal.write("", resolve));
    const buffer = terminal.buffer.active;
    const lines: string[] = [];
    const physical: string[] = [];
    const cursorRow = buffer.baseY + buffer.cursorY;
    let cursorLine = 0;
    let dimText = "";
    let cursorLineRows = 0;
    const lineRows: number[] = [];
    const lastRow = Math.max(cursorRow, buffer.length - 1);
    for (let row = 0; row <= lastRow; row++) {
      const line = buffer.getLine(row);
      if (line === undefined) continue;
      const text = line.translateToString(true);
      physical.push(text);
      if (line.isWrapped && lines.length > 0) {
        lines[lines.length - 1] += text;
        lineRows[lineRows.length - 1] = (lineRows.at(-1) ?? 0) + 1;
      } else {
        lines.push(text);
        lineRows.push(1);
      }
      if (row === cursorRow) {
        cursorLine = lines.length - 1;
        for (let x = 0; x < columns; x++) {
          const cell = line.getCell(x);
          if (cell !== undefined && cell.isDim() !== 0) dimText += cell.getChars();
        }
      }
    }
    cursorLineRows = lineRows[cursorLine] ?? 0;
    // Rows below the cursor that were never written are not part of what was drawn.
    while (lines.length - 1 > cursorLine && lines.at(-1) === "") lines.pop();
    while (physical.length > 0 && physical.at(-1) === "" && physical.length - 1 > cursorRow) physical.pop();
    return { lines, rows: physical, cursorLine, dimText, cursorLineRows };
  }

  return {
    out,
    screen,
    bytes: () => bytes,
    dispose: () => terminal.dispose(),
  };
}

/** The screen after `bytes` (a recorded terminal session) are drawn on a `columns`-wide terminal. */
export async function replayScreen(bytes: string, columns: number, rows = 24): Promise<ScreenShot> {
  const terminal = fakeTerminal(columns, rows);
  try {
    terminal.out.write(bytes);
    return await terminal.screen();
  } finally {
    terminal.dispose();
  }
}

/**
 * The screen after each redraw of a recorded terminal session (the bytes cut before each
 * carriage return, where every redraw starts), drawn on one `columns`-wide terminal: what a
 * person saw at each moment, for assertions that must hold all along (no wrapped status line).
 */
export async function replaySteps(bytes: string, columns: number, rows = 24): Promise<ScreenShot[]> {
  const terminal = fakeTerminal(columns, rows);
  try {
    const steps: ScreenShot[] = [];
    for (const piece of bytes.split(/(?=\r)/)) {
      terminal.out.write(piece);
      steps.push(await terminal.screen());
    }
    return steps;
  } finally {
    terminal.dispose();
  }
}
