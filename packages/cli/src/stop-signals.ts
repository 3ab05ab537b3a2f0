/**
 * What stops a running `earshot listen`: SIGINT (Ctrl-C), SIGTERM (a process manager), SIGHUP
 * (the terminal went away) and a closed output pipe (`| head`). Each stops reading audio and
 * lets the stream finish — CloseStream behind the audio already sent, the last finals printed —
 * within a bound; a second signal closes at once. A closed pipe skips the wait: nobody reads.
 */
import { constants } from "node:os";

/** Exit status for a closed output pipe: 128 + SIGPIPE, as shells report a command it ended. */
export const brokenPipeExitCode = 128 + constants.signals.SIGPIPE;

/** The signals that finish the stream gracefully. */
export const stopSignals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** What {@link StopSignals} watches and does. */
export interface StopSignalsInit {
  /** Where signals are heard. */
  readonly signals: Pick<NodeJS.Process, "on" | "off">;
  /** The output, whose EPIPE (or any write error) means nobody reads any more. */
  readonly output: NodeJS.WritableStream;
  /** Close now without waiting for the server (a second signal, the grace period over, a closed pipe). */
  readonly abort: () => void;
  /** How long the stream may take to finish after a signal, in ms. @default 8000 */
  readonly graceMs?: number;
}

/** Watches for the end of a run; `signal` aborts when audio should stop being read. */
export class StopSignals {
  readonly #init: StopSignalsInit;
  readonly #stopReading = new AbortController();
  #stoppedBy: NodeJS.Signals | undefined;
  #graceEndsAt: number | undefined;
  #cutShort: "second signal" | "grace over" | undefined;
  #outputClosed = false;
  #graceTimer: NodeJS.Timeout | undefined;
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    if (this.#stoppedBy !== undefined || this.#outputClosed) {
      this.#cutShort ??= "second signal";
      this.#init.abort();
      return;
    }
    this.#stoppedBy = signal;
    this.#stopReading.abort();
    // A stream that cannot finish (a server that never answers) must not hold the process.
    const graceMs = this.graceMs;
    this.#graceEndsAt = performance.now() + graceMs;
    this.#graceTimer = setTimeout(() => {
      this.#cutShort ??= "grace over";
      this.#init.abort();
    }, graceMs);
    this.#graceTimer.unref();
  };
  readonly #onOutputError = (): void => {
    if (this.#outputClosed) return;
    this.#outputClosed = true;
    this.#stopReading.abort();
    this.#init.abort();
  };

  constructor(init: StopSignalsInit) {
    this.#init = init;
    for (const name of stopSignals) init.signals.on(name, this.#onSignal);
    init.output.on("error", this.#onOutputError);
  }

  /** How long the stream may take to finish after a signal, in ms. */
  get graceMs(): number {
    return this.#init.graceMs ?? 8000;
  }

  /**
   * After a signal, the time left to finish the stream (at least 1 ms): the bound to give
   * `finish()`, for a face whose `finish()` blocks this thread, where the grace timer cannot
   * fire. Undefined when no signal stopped the run.
   */
  get finishTimeoutMs(): number | undefined {
    if (this.#graceEndsAt === undefined) return undefined;
    return Math.max(1, Math.ceil(this.#graceEndsAt - performance.now()));
  }

  /** The signal that stopped the run, if one did. */
  get stoppedBy(): NodeJS.Signals | undefined {
    return this.#stoppedBy;
  }

  /**
   * Why the graceful finish was cut short, if it was: a second signal, or the grace period
   * ran out (a server that did not finish in time).
   */
  get cutShort(): "second signal" | "grace over" | undefined {
    return this.#cutShort;
  }

  /** Aborts when reading audio should stop. */
  get signal(): AbortSignal {
    return this.#stopReading.signal;
  }

  /** True once the output can no longer be written (nothing more should be drawn). */
  get outputClosed(): boolean {
    return this.#outputClosed;
  }

  /** The exit status a stop implies, or undefined when nothing stopped the run. */
  get exitCode(): number | undefined {
    if (this.#outputClosed) return brokenPipeExitCode;
    if (this.#stoppedBy !== undefined) return 128 + constants.signals[this.#stoppedBy];
    return undefined;
  }

  /**
   * Stops listening. The output keeps one shared no-op 'error' listener: Node reports a failed
   * write on a later tick, and an 'error' event with no listener would crash the process.
   */
  dispose(): void {
    clearTimeout(this.#graceTimer);
    for (const name of stopSignals) this.#init.signals.off(name, this.#onSignal);
    this.#init.output.off("error", this.#onOutputError);
    if (!this.#init.output.listeners("error").includes(ignoreLateWriteError)) {
      this.#init.output.on("error", ignoreLateWriteError);
    }
  }
}

/** Stays on the output after a run: a write that fails later must not crash the process. */
function ignoreLateWriteError(): void {}
