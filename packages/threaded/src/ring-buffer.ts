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
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

const RECORD_HEADER_BYTES = 8;

/** `Atomics.waitAsync` (Node ≥ 16; typed only from the ES2024 lib, which this build does not use). */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
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
    const offset = this.#write & mask;
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
    // Waking costs a syscall-like round trip: only pay it when the engine really sleeps. The
    // reader sets ReaderSleeping before re-checking Write, so one of the two always sees the other.
    if (Atomics.load(header, Slot.ReaderSleeping) === 1) Atomics.notify(header, Slot.Write);
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
      Atomics.wait(header, Slot.Read, read, remaining);
    }
  }
}

/** One record taken out of the ring; `payload` is a private copy the engine may keep. */
export interface RingRecord {
  readonly kind: RecordKind;
  readonly payload: Buffer;
}

/** The engine's end: takes records out in order and sleeps (asynchronously) when empty. */
export class RingReader {
  readonly #v: RingViews;
  #read: number;
  /** Set by {@link wake}: the engine's own thread wants the reader out of its wait for good. */
  #woken = false;

  constructor(memory: SharedArrayBuffer) {
    this.#v = views(memory);
    this.#read = Atomics.load(this.#v.header, Slot.Read) >>> 0;
  }

  /** Takes the next record, or `undefined` when the ring is empty. Call {@link commit} after a batch. */
  next(): RingRecord | undefined {
    const { header, data, words, capacity, mask } = this.#v;
    if (Atomics.load(header, Slot.Write) >>> 0 === this.#read) return undefined;
    const offset = this.#read & mask;
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
    Atomics.notify(header, Slot.Read);
  }

  /**
   * Resolves once a record may be available (or {@link wake} was called). Never blocks the
   * engine's event loop: it uses `Atomics.waitAsync`.
   */
  async waitForRecords(): Promise<void> {
    const { header } = this.#v;
    // A producer in full flow writes again within microseconds: look once more after one turn
    // of the event loop before sleeping, so a burst does not pay a cross-thread wake per record.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#woken || Atomics.load(header, Slot.Write) >>> 0 !== this.#read) return;
    Atomics.store(header, Slot.ReaderSleeping, 1);
    const write = Atomics.load(header, Slot.Write);
    if (write >>> 0 === this.#read) {
      const waited = waitAsync(header, Slot.Write, write);
      if (waited.async) await waited.value;
    }
    Atomics.store(header, Slot.ReaderSleeping, 0);
  }

  /** Wakes {@link waitForRecords} now and for good, e.g. because the session closed. */
  wake(): void {
    // The flag covers a wake that lands while the reader is between its two looks (no waiter
    // to notify yet): it would otherwise go to sleep for good.
    this.#woken = true;
    Atomics.notify(this.#v.header, Slot.Write);
  }
}
