/** The shared ring on its own: order, wrap-around at the end of the buffer and of uint32 positions, bounds. */
import { describe, expect, it } from "vitest";
import { createDoorbell, sleepUntilRung } from "../src/doorbell.ts";
import { RecordKind, RingReader, RingWriter, recordBytes } from "../src/ring-buffer.ts";
import {
  allocateSessionMemory,
  headerView,
  markClosed,
  normalizeRingBytes,
  Slot,
} from "../src/shared-state.ts";

function payload(index: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (index * 31 + i) & 0xff);
}

function roundTrip(memory: SharedArrayBuffer, records: number): void {
  const writer = new RingWriter(memory);
  const reader = new RingReader(memory);
  let written = 0;
  let read = 0;
  const mismatches: number[] = [];
  // Lengths that are not multiples of 8 and cross the end of the ring at varying offsets.
  const lengthOf = (index: number) => (index * 97) % 1_500;
  while (read < records) {
    while (written < records && writer.tryWrite(RecordKind.Audio, payload(written, lengthOf(written))))
      written++;
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      const expected = Buffer.from(payload(read, lengthOf(read)));
      if (record.kind !== RecordKind.Audio || !record.payload.equals(expected)) mismatches.push(read);
      read++;
    }
    reader.commit();
  }
  expect(read).toBe(records);
  expect(mismatches).toEqual([]);
}

describe("ring buffer", () => {
  it("carries records in order across many wraps of a small ring", () => {
    roundTrip(allocateSessionMemory(4_096), 2_000);
  });

  it("keeps working when its uint32 positions wrap around 2^32", () => {
    const memory = allocateSessionMemory(4_096);
    const header = headerView(memory);
    // Both ends start just below 2^32 (stored as int32 bits), as after ~4 GiB of audio.
    Atomics.store(header, Slot.Write, 0xffff_f000 | 0);
    Atomics.store(header, Slot.Read, 0xffff_f000 | 0);
    roundTrip(memory, 500);
    expect(Atomics.load(header, Slot.Write) >>> 0).toBeLessThan(0xffff_f000);
  });

  it("restarts at its start when the reader keeps up, so a real-time stream touches only the first pages", () => {
    const memory = allocateSessionMemory(256 * 1024);
    const header = headerView(memory);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    let highest = 0;
    for (let index = 0; index < 2_000; index++) {
      expect(writer.tryWrite(RecordKind.Audio, payload(index, 640))).toBe(true);
      highest = Math.max(highest, (Atomics.load(header, Slot.Write) >>> 0) & (256 * 1024 - 1));
      const record = reader.next();
      expect(record?.payload.equals(Buffer.from(payload(index, 640)))).toBe(true);
      expect(reader.next()).toBeUndefined();
      reader.commit();
    }
    // 2,000 frames of 640 bytes are 1.3 MB, five times the ring: all within its first 17 KiB.
    expect(highest).toBeLessThanOrEqual(16 * 1024 + 648);
  });

  it("keeps control records in order with audio", () => {
    const memory = allocateSessionMemory(4_096);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    writer.tryWrite(RecordKind.Audio, payload(1, 640));
    writer.tryWrite(RecordKind.Control, Buffer.from("{}"));
    writer.tryWrite(RecordKind.Audio, payload(2, 640));
    writer.tryWrite(RecordKind.Finish);
    const kinds = [reader.next(), reader.next(), reader.next(), reader.next(), reader.next()].map(
      (record) => record?.kind,
    );
    expect(kinds).toEqual([
      RecordKind.Audio,
      RecordKind.Control,
      RecordKind.Audio,
      RecordKind.Finish,
      undefined,
    ]);
  });

  it("refuses a record that does not fit, and waitForRoom is bounded and sees a close", () => {
    const memory = allocateSessionMemory(4_096);
    const writer = new RingWriter(memory);
    let accepted = 0;
    while (writer.tryWrite(RecordKind.Audio, payload(accepted, 1_000))) accepted++;
    expect(accepted * recordBytes(1_000)).toBeLessThanOrEqual(4_096);
    expect(writer.waitForRoom(1_000, performance.now() + 20)).toBe("timed-out");
    markClosed(headerView(memory), false);
    expect(writer.waitForRoom(1_000, performance.now() + 10_000)).toBe("closed");
  });

  it("sizes rings to a power of two within bounds", () => {
    expect(normalizeRingBytes(16_384)).toBe(16_384);
    expect(normalizeRingBytes(20_000)).toBe(32_768);
    expect(normalizeRingBytes(1)).toBe(4_096);
    expect(normalizeRingBytes(2 ** 40)).toBe(64 * 1024 * 1024);
  });
});

describe("the engine thread's doorbell", () => {
  it("a burst of writes to many rings wakes a sleeping engine once", async () => {
    const bell = createDoorbell();
    const rings = Array.from({ length: 50 }, () => allocateSessionMemory(4_096));
    const writers = rings.map((memory) => {
      const writer = new RingWriter(memory);
      writer.doorbell = bell;
      return writer;
    });
    const readers = rings.map((memory) => new RingReader(memory));
    const hasWork = () => readers.some((reader) => reader.hasRecords());
    const asleep = sleepUntilRung(bell, hasWork);
    expect(Atomics.load(bell, 0)).toBe(1); // the engine sleeps
    for (const writer of writers) expect(writer.tryWrite(RecordKind.Audio, payload(1, 640))).toBe(true);
    await asleep;
    // One notify for the whole burst: the first writer took the Sleeping flag.
    expect(Atomics.load(bell, 1)).toBe(1);
    expect(Atomics.load(bell, 0)).toBe(0);
    expect(readers.every((reader) => reader.hasRecords())).toBe(true);
  });

  it("does not sleep when a ring already holds records (a write just before the flag went up)", async () => {
    const bell = createDoorbell();
    const memory = allocateSessionMemory(4_096);
    const writer = new RingWriter(memory);
    writer.doorbell = bell;
    const reader = new RingReader(memory);
    // Written while the engine was awake: no ring, the Sleeping flag was down.
    writer.tryWrite(RecordKind.Audio, payload(2, 640));
    expect(Atomics.load(bell, 1)).toBe(0);
    await sleepUntilRung(bell, () => reader.hasRecords());
    expect(reader.next()?.payload.byteLength).toBe(640);
  });
});
