/**
 * The small block of shared memory one threaded session uses to coordinate its two threads.
 * The application thread blocks on it with `Atomics.wait` (in `start()`, `finish()` and a
 * full `send()`); the engine worker writes it and wakes the waiter with `Atomics.notify`.
 * The ring buffer's positions live here too, so one `SharedArrayBuffer` holds a whole session.
 */

/** Int32 slots of the header. Positions are uint32 byte counters stored as int32 bits. */
export const Slot = {
  /** One of {@link SessionPhase}; written by the engine. */
  Phase: 0,
  /** Ring: bytes ever written (mod 2^32); written by the application thread. */
  Write: 1,
  /** Ring: bytes ever read (mod 2^32); written by the engine. */
  Read: 2,
  /** 1 while the application thread waits for room in the ring, so the engine knows to notify it. */
  WriterWaiting: 3,
  /** 1 once the engine hosting the session failed (crash): nothing more will come. */
  EngineDead: 4,
  /** Events the engine has posted on the session's port. */
  EventsPosted: 5,
  /** Events the application thread has taken off the port. */
  EventsTaken: 6,
} as const;

/** Bytes reserved for the header before the ring's data (a multiple of 8 keeps records aligned). */
export const HEADER_BYTES = 64;

/** Where a session is in its life, as the engine reports it. */
export const SessionPhase = {
  Connecting: 0,
  Open: 1,
  Closed: 2,
} as const;

/** Allocates the shared block of one session: header plus a ring of `ringBytes` (a power of two). */
export function allocateSessionMemory(ringBytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + ringBytes);
}

/** The header of a session's shared block as an `Int32Array`, for `Atomics`. */
export function headerView(memory: SharedArrayBuffer): Int32Array {
  return new Int32Array(memory, 0, HEADER_BYTES / 4);
}

/**
 * Marks a session closed (optionally because its engine died) and wakes every waiter: one
 * blocked on the phase (`start()`/`finish()`) and one blocked on ring space (`send()`).
 */
export function markClosed(header: Int32Array, engineDead: boolean): void {
  if (engineDead) Atomics.store(header, Slot.EngineDead, 1);
  Atomics.store(header, Slot.Phase, SessionPhase.Closed);
  Atomics.notify(header, Slot.Phase);
  Atomics.notify(header, Slot.Read);
  Atomics.notify(header, Slot.EventsPosted);
}

/**
 * Rounds a requested ring size to a power of two between 4 KiB and 64 MiB, so that uint32
 * positions map to offsets with a mask even when they wrap around 2^32.
 */
export function normalizeRingBytes(requested: number): number {
  const clamped = Math.min(Math.max(Math.floor(requested), 4096), 64 * 1024 * 1024);
  return 2 ** Math.ceil(Math.log2(clamped));
}
