/**
 * The `Finalize` sent at the end of the audio, for captions (and `--stats`): the words in
 * progress come back as a `from_finalize` final at once instead of after CloseStream's flush.
 * When no reply comes in time, the captions in progress are promoted as they are (core's
 * `FinalizeWatch`). The CLI waits for one or the other BEFORE `finish()`: on the threaded face
 * `finish()` blocks this thread, where the fallback timer would never fire.
 */
import { FinalizeWatch, type ServerMessage } from "@earshot/core";

/** The reply (or the fallback) to one `Finalize`. */
export class FinalizeReply {
  readonly #watch: FinalizeWatch;
  #settle: (() => void) | undefined;

  /**
   * @param init.timeoutMs how long to wait for the reply.
   * @param init.onTimeout what to do when none came (promote the captions in progress).
   * @example
   * const reply = new FinalizeReply({ timeoutMs: 3000, onTimeout: () => output.promotePending() });
   * await face.finalize();
   * await reply.sent(stop.signal);
   */
  constructor(init: { readonly timeoutMs: number; readonly onTimeout: () => void }) {
    this.#watch = new FinalizeWatch({
      timeoutMs: init.timeoutMs,
      onTimeout: () => {
        init.onTimeout();
        this.#settled();
      },
    });
  }

  /** Looks at each server message: the reply ends the wait. */
  observe(message: ServerMessage): void {
    if (this.#watch.observe(message) !== undefined) this.#settled();
  }

  /**
   * The `Finalize` just went out: resolves when its reply came, the fallback ran, `signal`
   * aborted (a stop signal) or {@link FinalizeReply.cancel} was called (the stream failed).
   */
  sent(signal: AbortSignal): Promise<void> {
    this.#watch.sent();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener("abort", done);
        this.#settle = undefined;
        resolve();
      };
      this.#settle = done;
      if (signal.aborted) done();
      else signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Stops waiting (the stream ended or failed). */
  cancel(): void {
    this.#watch.cancel();
    this.#settled();
  }

  #settled(): void {
    this.#settle?.();
  }
}
