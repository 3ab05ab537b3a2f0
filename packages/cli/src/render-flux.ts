/**
 * What `earshot listen --flux` shows. On a terminal: each finished turn as a line (with
 * `--timestamps`, its time span), and below it one status line rewritten in place — progress
 * and the turn in progress (dimmed: Flux revises it until the turn ends). Into a pipe: every
 * server message as one line of JSON, as received (`jq 'select(.event == "EndOfTurn")'`).
 */
import type { FluxServerMessage, FluxTurn } from "@earshot/core";
import { formatClock } from "./format-final.ts";
import type { Progress } from "./renderer.ts";
import { layoutStatus } from "./status-layout.ts";
import { LiveLines } from "./terminal/live-lines.ts";

/** A Flux output mode. */
export interface FluxRenderer {
  message(message: FluxServerMessage): void;
  turn(turn: FluxTurn): void;
  progress(progress: Progress): void;
  end(): void;
}

/** How the terminal renderer looks. */
export interface FluxTtyOptions {
  readonly timestamps: boolean;
  readonly columns?: () => number;
  readonly color?: boolean;
  /** Milliseconds, for throttling progress redraws. @default performance.now */
  readonly now?: () => number;
}

/** A turn as its line: the words' span when they carry times, else the turn's audio window. */
export function formatTurn(turn: FluxTurn, timestamps: boolean): string {
  if (!timestamps) return turn.transcript;
  const start = turn.words[0]?.start ?? turn.start;
  const end = turn.words.at(-1)?.end ?? turn.end;
  return `[${formatClock(start)} → ${formatClock(end)}] ${turn.transcript}`;
}

/** Turns for a person watching a terminal. */
export class FluxTtyRenderer implements FluxRenderer {
  readonly #screen: LiveLines;
  readonly #options: FluxTtyOptions;
  #current = "";
  #progress: Progress | undefined;
  #lastProgressDraw = Number.NEGATIVE_INFINITY;

  constructor(out: NodeJS.WritableStream, options: FluxTtyOptions) {
    this.#options = options;
    this.#screen = new LiveLines(out, {
      ...(options.columns === undefined ? {} : { columns: options.columns }),
      color: options.color !== false,
    });
  }

  message(message: FluxServerMessage): void {
    // EndOfTurn is printed from its turn; every other TurnInfo carries the turn so far.
    if (message.type !== "TurnInfo" || message.event === "EndOfTurn") return;
    if (message.transcript === this.#current) return;
    this.#current = message.transcript;
    this.#draw();
  }

  turn(turn: FluxTurn): void {
    this.#current = "";
    const lines = turn.transcript === "" ? [] : [formatTurn(turn, this.#options.timestamps)];
    this.#screen.print(lines, this.#status());
  }

  progress(progress: Progress): void {
    this.#progress = progress;
    const now = (this.#options.now ?? (() => performance.now()))();
    // A redraw per frame would flicker and waste the terminal's time.
    if (now - this.#lastProgressDraw < 100) return;
    this.#lastProgressDraw = now;
    this.#draw();
  }

  end(): void {
    this.#screen.end();
  }

  #draw(): void {
    this.#screen.status(this.#status());
  }

  #status() {
    return layoutStatus(
      { progress: this.#progress, stats: undefined, captions: [{ committed: "", tentative: this.#current }] },
      this.#screen.width,
    );
  }
}

/** NDJSON: every Flux message as one line, exactly as received and parsed. */
export class FluxJsonRenderer implements FluxRenderer {
  readonly #out: NodeJS.WritableStream;

  constructor(out: NodeJS.WritableStream) {
    this.#out = out;
  }

  message(message: FluxServerMessage): void {
    this.#out.write(`${JSON.stringify(message)}\n`);
  }

  turn(): void {
    // The EndOfTurn message is already on its line; a pipe gets only the server's messages.
  }

  progress(): void {}

  end(): void {}
}
