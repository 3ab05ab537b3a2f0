/**
 * A pool of decoder threads. Loading a model takes 0.2–0.5 s and ~100 MB, and a decoder's
 * first utterance is its worst, so decoders are started and warmed ahead of time, lent to one
 * stream at a time and reused. Beyond `maxSize` busy decoders, streams wait for one to free up.
 */
import { DecoderThread } from "./decoder-thread.ts";
import type { DecoderWorkerData } from "./worker-protocol.ts";

/** How the pool starts and grows. */
export interface DecoderPoolOptions {
  /** Decoders started (and warmed) up front. */
  readonly size: number;
  /** Decoders that may exist at once. */
  readonly maxSize: number;
  readonly data: DecoderWorkerData;
  /** 16 kHz speech every new decoder decodes once before serving a stream. */
  readonly warmup?: Int16Array | undefined;
}

/** Lends warmed decoders to streams. */
export class DecoderPool {
  readonly #options: DecoderPoolOptions;
  readonly #idle: DecoderThread[] = [];
  readonly #all = new Set<DecoderThread>();
  readonly #waiters: { resolve: (thread: DecoderThread) => void; reject: (error: Error) => void }[] = [];
  #starting = 0;
  #closed = false;

  private constructor(options: DecoderPoolOptions) {
    this.#options = options;
  }

  /**
   * Starts `size` decoders and waits until each has loaded its model (not for warm-up, which
   * runs before each decoder's first stream anyway). Rejects, with every thread stopped, if any
   * decoder fails to start.
   */
  static async start(options: DecoderPoolOptions): Promise<DecoderPool> {
    const pool = new DecoderPool(options);
    const threads = Array.from({ length: options.size }, () => pool.#spawn());
    const outcomes = await Promise.allSettled(threads.map((thread) => thread.ready));
    const failure = outcomes.find((outcome) => outcome.status === "rejected");
    if (failure) {
      await pool.close();
      throw failure.reason;
    }
    for (const thread of threads) {
      if (options.warmup) thread.warm(options.warmup);
      pool.#idle.push(thread);
    }
    return pool;
  }

  /** A decoder for one stream; give it back with {@link release}. */
  async acquire(): Promise<DecoderThread> {
    if (this.#closed) throw new Error("the pocketsphinx engine is closed");
    for (let thread = this.#idle.pop(); thread; thread = this.#idle.pop()) {
      if (thread.alive) return thread;
      this.#all.delete(thread);
    }
    if (this.#all.size + this.#starting < this.#options.maxSize) {
      this.#starting += 1;
      const thread = this.#spawn();
      try {
        await thread.ready;
      } catch (error) {
        this.#all.delete(thread);
        throw error;
      } finally {
        this.#starting -= 1;
      }
      if (this.#closed) {
        await thread.close();
        throw new Error("the pocketsphinx engine is closed");
      }
      if (this.#options.warmup) thread.warm(this.#options.warmup);
      return thread;
    }
    return new Promise<DecoderThread>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Takes a decoder back (after its stream was released). */
  release(thread: DecoderThread): void {
    if (!thread.alive || this.#closed) {
      this.#all.delete(thread);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(thread);
    else this.#idle.push(thread);
  }

  /** Stops every decoder (freeing its native memory) and fails streams still waiting. */
  async close(): Promise<void> {
    this.#closed = true;
    const error = new Error("the pocketsphinx engine is closed");
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    this.#idle.length = 0;
    const threads = [...this.#all];
    this.#all.clear();
    await Promise.all(threads.map((thread) => thread.close()));
  }

  #spawn(): DecoderThread {
    const thread = new DecoderThread(this.#options.data);
    this.#all.add(thread);
    return thread;
  }
}
