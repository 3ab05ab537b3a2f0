/**
 * The bounded fan-out behind `for await`: every iterator attached to a client gets its own
 * buffer, fed with each message from the moment it attaches. A consumer that falls behind never
 * grows memory without bound, and never slows the socket or the other consumers down.
 *
 * Slow-consumer policy, per iterator: when its buffer reaches `maxMessages` or `maxBytes`, the
 * interim `Results` it holds are dropped (a later final result covers the same audio). If that
 * does not bring the buffer under three quarters of both bounds, the consumer is too slow even
 * for final results: the iterator fails with `SlowConsumerError` (its buffer is released at
 * once) and the other iterators and the stream go on.
 */
import { type EarshotError, type ServerMessage, SlowConsumerError } from "@earshot/core";

/** Default bound on the messages one iterator may hold unread. */
export const DEFAULT_ITERATOR_MAX_MESSAGES = 1_000;
/** Default bound on the message text (JSON, in UTF-16 code units ≈ bytes) one iterator may hold unread: 16 MiB. */
export const DEFAULT_ITERATOR_MAX_BYTES = 16 * 1024 * 1024;
/** After shedding interim results, a buffer still fuller than this share of a bound fails its iterator. */
const SHED_TARGET = 0.75;

/** The bounds of each iterator's buffer. */
export interface IteratorBounds {
  /** Messages one iterator may hold unread. @default 1000 */
  readonly maxMessages?: number;
  /** Message text (UTF-16 code units of the JSON, about bytes) one iterator may hold unread. @default 16 MiB */
  readonly maxBytes?: number;
}

interface Entry<T> {
  readonly message: T;
  readonly bytes: number;
}

interface Waiter<T> {
  readonly resolve: (result: IteratorResult<T, undefined>) => void;
  readonly reject: (error: unknown) => void;
}

type Terminal = { readonly error?: EarshotError | undefined };

/** What the hub needs of a subscription, whatever message type it narrows to. */
interface Subscriber<B> {
  accepts(message: B): boolean;
  push(message: B, bytes: number): void;
  end(error: EarshotError | undefined): void;
}

/**
 * What a slow consumer may lose first, and what to tell it: revisable messages a later one
 * covers (interim `Results` on `/v1/listen`, `Update`s on Flux).
 */
export interface SheddingPolicy<B> {
  /** True for a message a later one makes redundant. */
  readonly droppable: (message: B) => boolean;
  /** The end of the SlowConsumerError's message: what else the consumer can do. */
  readonly advice: string;
}

function isInterimResult(message: unknown): boolean {
  const candidate = message as { type?: unknown; is_final?: unknown };
  return candidate.type === "Results" && candidate.is_final === false;
}

/** `/v1/listen`'s policy: interim results go first. */
const LISTEN_SHEDDING: SheddingPolicy<unknown> = {
  droppable: isInterimResult,
  advice: "or iterate finals() instead",
};

/**
 * One consumer's view of the stream: an `AsyncIterableIterator` over the messages it accepts,
 * with a bounded buffer. `return()` (what `break` calls) detaches it and frees its buffer.
 */
export class MessageSubscription<T extends B, B = ServerMessage>
  implements AsyncIterableIterator<T, undefined>, Subscriber<B>
{
  readonly #hub: MessageHub<B>;
  readonly #accept: (message: B) => boolean;
  readonly #shedding: SheddingPolicy<B>;
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  #queue: Entry<T>[] = [];
  #head = 0;
  #bytes = 0;
  #waiters: Waiter<T>[] = [];
  /** Set when the stream ended (error = how) or the iterator failed; delivered after the queue. */
  #terminal: Terminal | undefined;
  #done = false;
  #droppedInterim = 0;

  /** @internal Created by {@link MessageHub.subscribe}. */
  constructor(
    hub: MessageHub<B>,
    accept: (message: B) => boolean,
    bounds: Required<IteratorBounds>,
    shedding: SheddingPolicy<B>,
  ) {
    this.#hub = hub;
    this.#accept = accept;
    this.#shedding = shedding;
    this.#maxMessages = bounds.maxMessages;
    this.#maxBytes = bounds.maxBytes;
  }

  /** Messages waiting unread in this iterator's buffer. */
  get buffered(): number {
    return this.#queue.length - this.#head;
  }

  /** Interim results dropped so far because this consumer fell behind. */
  get droppedInterimResults(): number {
    return this.#droppedInterim;
  }

  /** @internal */
  accepts(message: B): boolean {
    return this.#accept(message);
  }

  /** @internal Hands a message (one it {@link accepts}, so a `T`) to this consumer, or buffers it (bounded). */
  push(accepted: B, bytes: number): void {
    const message = accepted as T;
    if (this.#done || this.#terminal !== undefined) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve({ value: message, done: false });
      return;
    }
    this.#queue.push({ message, bytes });
    this.#bytes += bytes;
    if (this.buffered >= this.#maxMessages || this.#bytes >= this.#maxBytes) this.#shed();
  }

  /** @internal The stream is over: deliver what is buffered, then end (or reject once with `error`). */
  end(error: EarshotError | undefined): void {
    if (this.#done || this.#terminal !== undefined) return;
    this.#terminal = { error };
    this.#settleWaiters();
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#head < this.#queue.length) return Promise.resolve({ value: this.#take(), done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    if (this.#terminal !== undefined) return this.#finish();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Detaches from the stream and frees the buffer; the stream itself goes on. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.#release();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #take(): T {
    const entry = this.#queue[this.#head] as Entry<T>;
    this.#queue[this.#head] = undefined as unknown as Entry<T>;
    this.#head++;
    this.#bytes -= entry.bytes;
    // Compact now and then so a long-lived buffer does not keep a growing array of holes.
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return entry.message;
  }

  #shed(): void {
    const kept: Entry<T>[] = [];
    let bytes = 0;
    for (let i = this.#head; i < this.#queue.length; i++) {
      const entry = this.#queue[i] as Entry<T>;
      if (this.#shedding.droppable(entry.message)) {
        this.#droppedInterim++;
      } else {
        kept.push(entry);
        bytes += entry.bytes;
      }
    }
    this.#queue = kept;
    this.#head = 0;
    this.#bytes = bytes;
    // Demanding a quarter of headroom makes each shed pay for many pushes, and tells a consumer
    // that is merely bursty from one that cannot keep up with final results at all.
    if (kept.length > this.#maxMessages * SHED_TARGET || bytes > this.#maxBytes * SHED_TARGET) {
      const error = new SlowConsumerError(
        this.#maxMessages,
        `An async iterator fell behind: more than ${this.#maxMessages} messages or ${this.#maxBytes} bytes waited unread, even after dropping ${this.#droppedInterim} interim results. Its buffer was released; read faster, raise the iterator bounds, ${this.#shedding.advice}.`,
      );
      this.#queue = [];
      this.#bytes = 0;
      this.#terminal = { error };
      this.#hub.unsubscribe(this);
    }
  }

  #finish(): Promise<IteratorResult<T, undefined>> {
    const error = this.#terminal?.error;
    this.#release();
    return error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(error);
  }

  #settleWaiters(): void {
    // Waiters exist only while the queue is empty, so the terminal state is next for them.
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#done) {
        waiter.resolve({ value: undefined, done: true });
        continue;
      }
      this.#finish().then(waiter.resolve, waiter.reject);
    }
  }

  #release(): void {
    this.#done = true;
    this.#queue = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#hub.unsubscribe(this);
  }
}

/**
 * Fans each message out to every attached {@link MessageSubscription}. Iterators that attach
 * after the stream ended see its end at once (done, or the error it ended with).
 */
export class MessageHub<B = ServerMessage> {
  readonly #subscriptions = new Set<Subscriber<B>>();
  readonly #bounds: Required<IteratorBounds>;
  readonly #shedding: SheddingPolicy<B>;
  #terminal: Terminal | undefined;

  /** @param shedding what a slow iterator loses first. @default interim `Results` */
  constructor(bounds: IteratorBounds = {}, shedding: SheddingPolicy<B> = LISTEN_SHEDDING) {
    this.#shedding = shedding;
    const maxMessages = bounds.maxMessages ?? DEFAULT_ITERATOR_MAX_MESSAGES;
    const maxBytes = bounds.maxBytes ?? DEFAULT_ITERATOR_MAX_BYTES;
    if (!Number.isInteger(maxMessages) || maxMessages < 1) {
      throw new RangeError(
        `iterator maxMessages must be a positive integer; received ${String(maxMessages)}`,
      );
    }
    if (!Number.isFinite(maxBytes) || maxBytes < 1) {
      throw new RangeError(`iterator maxBytes must be a positive number; received ${String(maxBytes)}`);
    }
    this.#bounds = { maxMessages, maxBytes };
  }

  /** Iterators currently attached. */
  get size(): number {
    return this.#subscriptions.size;
  }

  /** Attaches a new iterator that receives the messages `accept` lets through, from now on. */
  subscribe<T extends B>(accept: (message: B) => message is T): MessageSubscription<T, B>;
  subscribe(accept?: (message: B) => boolean): MessageSubscription<B, B>;
  subscribe(accept: (message: B) => boolean = () => true): MessageSubscription<B, B> {
    const subscription = new MessageSubscription<B, B>(this, accept, this.#bounds, this.#shedding);
    if (this.#terminal !== undefined) subscription.end(this.#terminal.error);
    else this.#subscriptions.add(subscription);
    return subscription;
  }

  /** @internal */
  unsubscribe(subscription: Subscriber<B>): void {
    this.#subscriptions.delete(subscription);
  }

  /** Delivers `message` (`bytes` = its text length) to every iterator that accepts it. */
  publish(message: B, bytes: number): void {
    if (this.#terminal !== undefined) return;
    // A snapshot: an iterator that fails while receiving removes itself from the set.
    for (const subscription of [...this.#subscriptions]) {
      if (subscription.accepts(message)) subscription.push(message, bytes);
    }
  }

  /** Ends the stream for every iterator: normally, or with `error` after what is buffered. */
  end(error?: EarshotError): void {
    if (this.#terminal !== undefined) return;
    this.#terminal = { error };
    for (const subscription of [...this.#subscriptions]) subscription.end(error);
    this.#subscriptions.clear();
  }
}
