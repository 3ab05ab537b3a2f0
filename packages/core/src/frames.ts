/**
 * The one frame encoder: everything a client puts on the wire goes through here, so the rules
 * of docs/protocol.md §3 (audio as binary frames, never a zero-length one; control messages as JSON
 * text frames) live in a single place.
 */
import { AudioChunkError } from "./errors.ts";

/** Audio bytes as the caller holds them: a `Buffer`, any `TypedArray`, a `DataView` or an `ArrayBuffer`. */
export type AudioChunk = ArrayBuffer | ArrayBufferView;

/** The KeepAlive control frame, byte-exact. */
export const KEEP_ALIVE_FRAME = '{"type":"KeepAlive"}';

/** The CloseStream control frame, byte-exact. */
export const CLOSE_STREAM_FRAME = '{"type":"CloseStream"}';

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof name === "string" && name.length > 0 ? name : "object";
  }
  return typeof value;
}

/**
 * Turns an audio chunk into the bytes of one binary frame, without copying: the result is a
 * `Uint8Array` view over the caller's memory.
 *
 * Zero-length chunks give `undefined`: a zero-length binary frame is the legacy end-of-stream
 * signal and would close the stream, so it must never be sent.
 *
 * @throws AudioChunkError (`ERR_INVALID_AUDIO`) when `chunk` is not bytes (a string, a number,
 *   a plain array, …); the message names the type received.
 * @example
 * ```ts
 * const frame = toAudioFrame(new Int16Array(samples));
 * if (frame) socket.send(frame, { binary: true });
 * ```
 */
export function toAudioFrame(chunk: AudioChunk): Uint8Array | undefined {
  let view: Uint8Array;
  if (chunk instanceof Uint8Array) {
    view = chunk;
  } else if (ArrayBuffer.isView(chunk)) {
    view = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  } else if (
    chunk instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== "undefined" && (chunk as unknown) instanceof SharedArrayBuffer)
  ) {
    view = new Uint8Array(chunk);
  } else {
    throw new AudioChunkError(
      `audio must be a Buffer, ArrayBuffer, TypedArray or DataView; received ${describe(chunk)}`,
    );
  }
  return view.byteLength === 0 ? undefined : view;
}

/**
 * The Finalize control frame: the server flushes buffered audio as final results carrying
 * `from_finalize: true`. `channel` limits the flush to one channel.
 *
 * @example
 * ```ts
 * finalizeFrame();  // '{"type":"Finalize"}'
 * finalizeFrame(1); // '{"type":"Finalize","channel":1}'
 * ```
 */
export function finalizeFrame(channel?: number): string {
  if (channel === undefined) return '{"type":"Finalize"}';
  if (!Number.isInteger(channel) || channel < 0) {
    throw new RangeError(`Finalize channel must be a non-negative integer; received ${String(channel)}`);
  }
  return `{"type":"Finalize","channel":${channel}}`;
}

/**
 * The Configure control frame: toggles features mid-stream.
 *
 * @example
 * ```ts
 * configureFrame({ numerals: true }); // '{"type":"Configure","features":{"numerals":true}}'
 * ```
 */
export function configureFrame(features: Record<string, unknown>): string {
  if (features === null || typeof features !== "object" || Array.isArray(features)) {
    throw new TypeError(`Configure features must be an object; received ${describe(features)}`);
  }
  return JSON.stringify({ type: "Configure", features });
}
