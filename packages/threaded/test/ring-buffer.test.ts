/** The shared ring on its own: order, wrap-around at the end of the buffer and of uint32 positions, bounds. */
import { describe, expect, it } from "vitest";
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
