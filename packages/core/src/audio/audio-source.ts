/**
 * Reading audio from whatever the caller holds: a Node `Readable`, a Web `ReadableStream`, or
 * any (async) iterable of byte chunks — one abortable async iterator over them.
 */

import { abortable as abortableWait, isAbortError } from "abort-controller-x";
import { AbortedError, isEarshotError } from "../errors.ts";
import type { AudioChunk } from "../frames.ts";

/** A Web `ReadableStream` as far as reading bytes goes (Node's and the DOM's both fit). */
export interface ReadableStreamLike<T = AudioChunk> {
  getReader(): {
    read(): Promise<{ done: true; value?: T | undefined } | { done: false; value: T }>;
    cancel(reason?: unknown): Promise<void>;
    releaseLock(): void;
  };
}

/**
 * Audio for `sendFrom()`: a Node `Readable` (e.g. `fs.createReadStream`, `process.stdin`), a
 * Web `ReadableStream` (e.g. `fetch(url).body`), an async generator, or any (async) iterable of
 * `Buffer` / `Uint8Array` / `ArrayBuffer` / TypedArray chunks.
 */
export type AudioSource = AsyncIterable<AudioChunk> | Iterable<AudioChunk> | ReadableStreamLike;

function readerIterator(stream: ReadableStreamLike): AsyncIterator<AudioChunk> {
  const reader = stream.getReader();
  return {
    async next() {
      const result = await reader.read();
      if (result.done) {
        reader.releaseLock();
        return { value: undefined, done: true };
      }
      return { value: result.value, done: false };
    },
    async return() {
      await reader.cancel();
      reader.releaseLock();
      return { value: undefined, done: true };
    },
  };
}

function describeSource(source: unknown): string {
  if (source === null) return "null";
  if (typeof source === "string") return "a string (text, not audio bytes)";
  if (typeof source !== "object" && typeof source !== "function") return `${typeof source} ${String(source)}`;
  const name = (Object.getPrototypeOf(source) as { constructor?: { name?: unknown } } | null)?.constructor
    ?.name;
  return typeof name === "string" && name !== "" && name !== "Object"
    ? `a ${name}`
    : "an object that is not iterable";
}

/**
 * Checks that `source` can be read as audio, without starting to read it.
 *
 * @throws TypeError naming what was given when it is no Node `Readable`, Web `ReadableStream`
 *   or (async) iterable — a string, though iterable, is text and is refused too.
 */
export function assertAudioSource(source: unknown): asserts source is AudioSource {
  const readable =
    typeof source === "object" &&
    source !== null &&
    (typeof (source as AsyncIterable<AudioChunk>)[Symbol.asyncIterator] === "function" ||
      typeof (source as ReadableStreamLike).getReader === "function" ||
      typeof (source as Iterable<AudioChunk>)[Symbol.iterator] === "function");
  if (!readable) {
    throw new TypeError(
      `sendFrom() needs a Node Readable, a Web ReadableStream or an (async) iterable of audio chunks; received ${describeSource(source)}`,
    );
  }
}

/** One iterator over any {@link AudioSource}. @throws TypeError as {@link assertAudioSource} does. */
export function iterateAudio(source: AudioSource): AsyncIterator<AudioChunk> | Iterator<AudioChunk> {
  assertAudioSource(source);
  // Node streams and, since Node 18, Web streams are async iterables themselves: prefer that,
  // since their own iterator knows how to clean up (destroy / cancel) on early exit.
  if (typeof (source as AsyncIterable<AudioChunk>)[Symbol.asyncIterator] === "function") {
    return (source as AsyncIterable<AudioChunk>)[Symbol.asyncIterator]();
  }
  if (typeof (source as ReadableStreamLike).getReader === "function")
    return readerIterator(source as ReadableStreamLike);
  return (source as Iterable<AudioChunk>)[Symbol.iterator]();
}

/**
 * Lets go of a source that was not read to its end (abort, error): a Node stream is destroyed
 * at once; anything else is told through its iterator's `return()` (a Web stream is cancelled).
 * Not awaited: an iterator suspended in a pending read would only answer after that read.
 */
export function releaseSource(
  source: AudioSource,
  iterator: AsyncIterator<AudioChunk> | Iterator<AudioChunk>,
): void {
  const destroy = (source as { destroy?: unknown }).destroy;
  if (typeof destroy === "function") {
    destroy.call(source);
    return;
  }
  try {
    const closing = iterator.return?.();
    if (closing instanceof Promise) closing.catch(() => {});
  } catch {
    // A source that fails to close has nothing more to give; the original outcome stands.
  }
}

/**
 * Resolves with `promise`, or rejects with an `AbortedError` as soon as `signal` aborts —
 * whichever comes first. The losing promise's rejection is handled, never left unhandled.
 */
export async function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (signal === undefined) return promise;
  try {
    return await abortableWait(signal, promise);
  } catch (error) {
    // abort-controller-x rejects with its own AbortError; callers match on earshot's codes.
    if (isAbortError(error) && !isEarshotError(error)) throw abortedError(signal, what);
    throw error;
  }
}

/** The `AbortedError` for `signal`, with its reason as `cause`. */
export function abortedError(signal: AbortSignal, what: string): AbortedError {
  return new AbortedError(`${what} was aborted.`, { cause: signal.reason });
}
