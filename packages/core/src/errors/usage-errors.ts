/**
 * Errors of how the API is used or consumed: bad options or audio, aborts, bounds exceeded,
 * wrong state, a throwing handler, a dead worker, a slow iterator.
 */
import {
  defineOptional,
  EarshotError,
  type EarshotErrorOptions,
  type OptionProblem,
} from "./earshot-error.ts";

/**
 * Live options that cannot work, found before any connection is made. `problems` lists every
 * one of them, not only the first.
 *
 * @example
 * ```ts
 * try { validateLiveOptions({ encoding: "linear16" }); }
 * catch (error) { if (error instanceof OptionsError) console.log(error.problems); }
 * ```
 */
export class OptionsError extends EarshotError {
  static override readonly errorName: string = "OptionsError";
  /** Every problem found. */
  readonly problems: readonly OptionProblem[];

  constructor(problems: readonly OptionProblem[], init: EarshotErrorOptions = {}) {
    const list = problems.map((problem) => `  - ${problem.option}: ${problem.message}`).join("\n");
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super("ERR_INVALID_OPTIONS", `Invalid options (${count}); fix them before connecting:\n${list}`, init);
    this.problems = Object.freeze(problems.map((problem) => Object.freeze({ ...problem })));
  }
}

/**
 * `send()` was given something that is not audio bytes (an ArrayBuffer, Buffer, TypedArray
 * or DataView).
 */
export class AudioChunkError extends EarshotError {
  static override readonly errorName: string = "AudioChunkError";
  constructor(message: string, init: EarshotErrorOptions = {}) {
    super("ERR_INVALID_AUDIO", message, init);
  }
}

/** The operation was aborted by an `AbortSignal` or `abort()`; `cause` is the abort reason. */
export class AbortedError extends EarshotError {
  static override readonly errorName: string = "AbortedError";
  constructor(message = "The operation was aborted.", init: EarshotErrorOptions = {}) {
    super("ERR_ABORTED", message, init);
  }
}

/**
 * More bytes were queued than a bound allows; nothing was dropped silently.
 *
 * @example
 * ```ts
 * try { session.send(chunk); }
 * catch (error) { if (error instanceof BufferOverflowError) await session.drained(); }
 * ```
 */
export class BufferOverflowError extends EarshotError {
  static override readonly errorName: string = "BufferOverflowError";
  /** The bound that would have been exceeded, in bytes. */
  readonly limitBytes: number;
  constructor(limitBytes: number, message?: string, init: EarshotErrorOptions = {}) {
    super(
      "ERR_BUFFER_OVERFLOW",
      message ??
        `More than ${limitBytes} bytes would be buffered. Wait for drained() before sending more, or raise maxPendingBytes.`,
      init,
    );
    this.limitBytes = limitBytes;
  }
}

/** A method was called in a state that does not allow it (e.g. `send()` after `finish()`). */
export class StateError extends EarshotError {
  static override readonly errorName: string = "StateError";
  constructor(message: string, init: EarshotErrorOptions = {}) {
    super("ERR_INVALID_STATE", message, init);
  }
}

/** A user event handler threw; `cause` is what it threw. The stream went on. */
export class CallbackError extends EarshotError {
  static override readonly errorName: string = "CallbackError";
  /** The event whose handler threw, e.g. `"message"`. */
  readonly event: string;
  constructor(event: string, init: EarshotErrorOptions = {}) {
    super(
      "ERR_CALLBACK_FAILED",
      `A "${event}" handler threw; the stream goes on. See cause for what it threw.`,
      init,
    );
    this.event = event;
  }
}

/** The engine worker thread exited; its sessions are failed with this error. */
export class WorkerExitedError extends EarshotError {
  static override readonly errorName: string = "WorkerExitedError";
  /** The worker's exit code, when known. */
  declare readonly exitCode?: number;
  constructor(exitCode?: number, init: EarshotErrorOptions = {}) {
    const how = exitCode === undefined ? "" : ` with code ${exitCode}`;
    super(
      "ERR_WORKER_EXITED",
      `The engine worker exited${how}; its streams were closed. Start a new client to go on.`,
      {
        ...init,
        retryable: true,
      },
    );
    defineOptional(this, "exitCode", exitCode);
  }
}

/** An async iterator fell too far behind the messages arriving. */
export class SlowConsumerError extends EarshotError {
  static override readonly errorName: string = "SlowConsumerError";
  /** How many messages may wait unread. */
  readonly limit: number;
  constructor(limit: number, message?: string, init: EarshotErrorOptions = {}) {
    super(
      "ERR_SLOW_CONSUMER",
      message ??
        `More than ${limit} messages waited unread. Read faster, or raise the iterator's buffer limit.`,
      init,
    );
    this.limit = limit;
  }
}

/**
 * The threaded client's engine worker could not load (typically an application bundle that
 * left out `engine-worker.js`). `cause` is the worker's own error.
 */
export class EngineLoadError extends EarshotError {
  static override readonly errorName: string = "EngineLoadError";
  constructor(message: string, init: EarshotErrorOptions = {}) {
    super("ERR_ENGINE_LOAD", message, { ...init, retryable: false });
  }
}
