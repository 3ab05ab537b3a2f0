/**
 * The single-producer, single-consumer ring that carries a session's outgoing stream from the
 * application thread to the engine worker: length-prefixed binary records in shared memory.
 *
 * Audio and control frames (KeepAlive, Finalize, Configure, then the finish) travel in the same
 * ring, so a control message can never overtake audio queued before it — the order the wire
 * protocol demands. Each record is an 8-byte header (payload length, kind) followed by the
 * payload, padded to 8 bytes; a payload may wrap around the end of the ring, a header never
 * does. Positions are uint32 counters, so `write - read` is the number of bytes in use even
 * after they wrap around 2^32 (the capacity is a power of two).
 */
import { type Doorbell, ring } from "./doorbell.ts";
import { HEADER_BYTES, headerView, SessionPhase, Slot } from "./shared-state.ts";

/**
 * What a record carries: a wire frame already encoded on the caller's thread by core's frame
 * encoder (audio bytes, or a control message's JSON text), or the request to finish.
 */
export const RecordKind = {
  Audio: 1,
  /** A control text frame (KeepAlive, Finalize, Configure), UTF-8. */
  Control: 2,
  /** The request to finish; its payload, when there is one, is `finish({ timeout })` in ms as UTF-8 text. */
  Finish: 5,
  /** Filler up to the end of the ring, written to restart at its start (never returned by `next()`). */
  Skip: 6,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

const RECORD_HEADER_BYTES = 8;

/**
 * Past this offset, a writer that finds the ring empty restarts at its start (a Skip record
 * fills the rest). A `SharedArrayBuffer`'s pages become resident only once written, so a stream
 * whose engine keeps up keeps ~20 KiB of its ring resident instead of all of it (256 KiB by
 * default) once a few seconds of audio have gone round.
 */
const RESTART_AFTER_BYTES = 16 * 1024;

const EMPTY = new Uint8Array(0);

/** Bytes a record with a payload of `length` bytes takes in the ring. */
export function recordBytes(length: number): number {
  return RECORD_HEADER_BYTES + ((length + 7) & ~7);
}

/** Why a wait for ring space ended. */
export type RoomWait = "ok" | "timed-out" | "closed";

interface RingViews {
  readonly header: Int32Array;
  readonly data: Uint8Array;
  readonly words: Int32Array;
  readonly capacity: number;
  readonly mask: number;
}

function views(memory: SharedArrayBuffer): RingViews {
  const capacity = memory.byteLength - HEADER_BYTES;
  return {
    header: headerView(memory),
    data: new Uint8Array(memory, HEADER_BYTES, capacity),
    words: new Int32Array(memory, HEADER_BYTES, capacity / 4),
    capacity,
    mask: capacity - 1,
  };
}

/** The application thread's end: appends records, waits (bounded) for room. */
export class RingWriter {
  readonly #v: RingViews;
  #write: number;
  /**
   * The doorbell of the engine thread reading this ring, which the engine sends with `open`:
   * nothing is written before that (start() returns after it).
   */
  doorbell: Doorbell | undefined;

  constructor(memory: SharedArrayBuffer) {
    this.#v = views(memory);
    this.#write = Atomics.load(this.#v.header, Slot.Write) >>> 0;
  }

  /** The largest payload one record may carry: bigger audio is split into several records. */
  get maxPayloadBytes(): number {
    return this.#v.capacity / 2;
  }

  /** Appends one record if it fits now; `false` (nothing written) if the ring is too full. */
  tryWrite(kind: RecordKind, payload: Uint8Array = EMPTY): boolean {
    const { header, data, words, capacity, mask } = this.#v;
    const length = payload.byteLength;
    const need = recordBytes(length);
    const used = (this.#write - (Atomics.load(header, Slot.Read) >>> 0)) >>> 0;
    if (capacity - used < need) return false;
    let offset = this.#write & mask;
    if (used === 0 && offset >= Math.max(RESTART_AFTER_BYTES, need)) {
      // Everything was read: fill the rest of the ring and write this record at its start.
      const rest = capacity - offset;
      words[offset >> 2] = rest - RECORD_HEADER_BYTES;
      words[(offset >> 2) + 1] = RecordKind.Skip;
      this.#write = (this.#write + rest) >>> 0;
      offset = 0;
    }
    words[offset >> 2] = length;
    words[(offset >> 2) + 1] = kind;
    if (length > 0) {
      const start = (offset + RECORD_HEADER_BYTES) & mask;
      const first = capacity - start;
      if (length <= first) data.set(payload, start);
      else {
        data.set(payload.subarray(0, first), start);
        data.set(payload.subarray(first), 0);
      }
    }
    this.#write = (this.#write + need) >>> 0;
    // The atomic store publishes the plain writes above to the reader (seq-cst ordering).
    Atomics.store(header, Slot.Write, this.#write | 0);
    // Waking costs a syscall-like round trip: the doorbell pays it only when the engine sleeps.
    if (this.doorbell !== undefined) ring(this.doorbell);
    return true;
  }

  /**
   * Blocks the calling thread until `bytes` of payload fit, the session closes, or `deadline`
   * (a `performance.now()` time) passes.
   */
  waitForRoom(payloadBytes: number, deadline: number): RoomWait {
    const { header, capacity } = this.#v;
    const need = recordBytes(payloadBytes);
    for (;;) {
      if (Atomics.load(header, Slot.Phase) === SessionPhase.Closed) return "closed";
      const read = Atomics.load(header, Slot.Read);
      if (capacity - ((this.#write - (read >>> 0)) >>> 0) >= need) return "ok";
      const remaining = deadline - performance.now();
      if (remaining <= 0) return "timed-out";
      // The flag goes up before Read is looked at again (by the wait): either the wait sees
      // the engine's new Read, or the engine sees the flag and notifies.
      Atomics.store(header, Slot.WriterWaiting, 1);
      Atomics.wait(header, Slot.Read, read, remaining);
      Atomics.store(header, Slot.WriterWaiting, 0);
    }
  }
}

/** One record taken out of the ring; `payload` is a private copy the engine may keep. */
export interface RingRecord {
  readonly kind: RecordKind;
  readonly payload: Buffer;
}

/** The engine's end: takes records out in order (the engine's ring pump decides when). */
export class RingReader {
  readonly #v: RingViews;
  #read: number;

  constructor(memory: SharedArrayBuffer) {
    this.#v = views(memory);
    this.#read = Atomics.load(this.#v.header, Slot.Read) >>> 0;
  }

  /** True when a record waits to be taken. */
  hasRecords(): boolean {
    return Atomics.load(this.#v.header, Slot.Write) >>> 0 !== this.#read;
  }

  /** Takes the next record, or `undefined` when the ring is empty. Call {@link commit} after a batch. */
  next(): RingRecord | undefined {
    const { header, data, words, capacity, mask } = this.#v;
    if (Atomics.load(header, Slot.Write) >>> 0 === this.#read) return undefined;
    let offset = this.#read & mask;
    if (words[(offset >> 2) + 1] === RecordKind.Skip) {
      // A Skip record is always followed by the record written at the ring's start.
      this.#read = (this.#read + recordBytes(words[offset >> 2] ?? 0)) >>> 0;
      offset = 0;
    }
    const length = words[offset >> 2] ?? 0;
    const kind = (words[(offset >> 2) + 1] ?? 0) as RecordKind;
    const payload = Buffer.allocUnsafe(length);
    if (length > 0) {
      const start = (offset + RECORD_HEADER_BYTES) & mask;
      const first = capacity - start;
      if (length <= first) payload.set(data.subarray(start, start + length));
      else {
        payload.set(data.subarray(start, capacity));
        payload.set(data.subarray(0, length - first), first);
      }
    }
    this.#read = (this.#read + recordBytes(length)) >>> 0;
    return { kind, payload };
  }

  /** Frees the space of every record taken so far and wakes a writer waiting for room. */
  commit(): void {
    const { header } = this.#v;
    Atomics.store(header, Slot.Read, this.#read | 0);
    // A notify costs even with nobody waiting; the writer waits only when the ring was full.
    if (Atomics.load(header, Slot.WriterWaiting) === 1) Atomics.notify(header, Slot.Read);
  }
}
