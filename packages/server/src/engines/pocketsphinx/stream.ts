/**
 * One engine stream (one channel of one connection): converts its audio to 16 kHz, leases a
 * decoder from the pool, relays the decoder's events and gives the decoder back on close.
 * Audio written before a decoder is free is held and sent, in order, once one is.
 */
import type { EngineEvent, EngineStream, EngineStreamContext } from "../../engine.ts";
import type { DecoderPool } from "./decoder-pool.ts";
import type { DecoderThread } from "./decoder-thread.ts";
import { createResampler, type Resampler } from "./resample.ts";

/** Audio held while every decoder is busy, beyond which the stream fails instead of growing. */
const MAX_HELD_SAMPLES = 60 * 16_000;

export class PocketsphinxStream implements EngineStream {
  readonly #pool: DecoderPool;
  readonly #emit: (event: EngineEvent) => void;
  readonly #resampler: Resampler;
  readonly #lease: Promise<DecoderThread | undefined>;
  #thread: DecoderThread | undefined;
  #held: Int16Array[] = [];
  #heldSamples = 0;
  #error: Error | undefined;
  #handlerError: Error | undefined;
  #closed = false;
  readonly #onClose: () => void;

  constructor(
    pool: DecoderPool,
    context: EngineStreamContext,
    emit: (event: EngineEvent) => void,
    onClose: () => void = () => {},
  ) {
    this.#pool = pool;
    this.#onClose = onClose;
    this.#emit = emit;
    this.#resampler = createResampler(context.sampleRate, 16_000);
    const interim = context.options.interim_results === true;
    this.#lease = pool.acquire().then(
      (thread) => {
        if (this.#closed) {
          pool.release(thread);
          return undefined;
        }
        thread.lease(interim, {
          onEvent: (event) => this.#deliver(event),
          onError: (error) => {
            this.#error ??= error;
          },
        });
        for (const samples of this.#held) thread.write(samples);
        this.#held = [];
        this.#thread = thread;
        return thread;
      },
      (error: unknown) => {
        this.#error ??= error instanceof Error ? error : new Error(String(error));
        this.#held = [];
        return undefined;
      },
    );
  }

  write(samples: Int16Array): void {
    if (this.#closed || this.#error || samples.length === 0) return;
    this.#send(this.#resampler.process(samples));
  }

  async flush(reason: "finalize" | "close"): Promise<void> {
    if (this.#closed) return;
    // The filter holds back a few milliseconds of look-ahead; at the end of the stream, let it go.
    if (reason === "close") this.#send(this.#resampler.flush());
    const thread = await this.#lease;
    if (this.#error) throw this.#error;
    if (!thread || this.#closed) return;
    await thread.flush();
    const failure = this.#error ?? this.#handlerError;
    this.#handlerError = undefined;
    if (failure) throw failure;
  }

  async sync(): Promise<void> {
    if (this.#closed) return;
    const thread = await this.#lease;
    if (!thread || this.#closed || this.#error) return;
    await thread.flush(true);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#held = [];
    this.#onClose();
    const thread = this.#thread;
    this.#thread = undefined;
    if (thread) {
      thread.release();
      this.#pool.release(thread);
    }
  }

  #send(samples: Int16Array): void {
    if (samples.length === 0) return;
    if (this.#thread) {
      this.#thread.write(samples);
      return;
    }
    if (this.#error) return;
    this.#heldSamples += samples.length;
    if (this.#heldSamples > MAX_HELD_SAMPLES) {
      this.#error = new Error(
        "pocketsphinx: every decoder stayed busy for a minute of this stream's audio (raise maxDecoders)",
      );
      this.#held = [];
      return;
    }
    this.#held.push(samples);
  }

  #deliver(event: EngineEvent): void {
    if (this.#closed) return;
    try {
      this.#emit(event);
    } catch (error) {
      // The server's handler failing must not stop recognition; report it on the next flush.
      this.#handlerError ??= error instanceof Error ? error : new Error(String(error));
    }
  }
}
