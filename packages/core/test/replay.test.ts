import { describe, expect, it } from "vitest";
import { OptionsError } from "../src/errors.ts";
import type { LiveOptions } from "../src/options.ts";
import { DEFAULT_REPLAY_MAX_BYTES, ReplayBuffer } from "../src/replay.ts";

/** `length` bytes counting up from `from` (mod 256), so every byte's stream offset is visible. */
function bytes(from: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (from + i) & 0xff);
}

function joined(buffer: ReplayBuffer): number[] {
  return buffer.pending().chunks.flatMap((chunk) => [...chunk]);
}

describe("ReplayBuffer", () => {
  it("holds everything sent until a final result acknowledges it, then only the rest", () => {
    const replay = new ReplayBuffer({ bytesPerSecond: 100, frameBytes: 2 });
    replay.record(bytes(0, 60));
    replay.record(bytes(60, 60));
    expect(replay.pending()).toMatchObject({ bytes: 120, offsetSeconds: 0, lostBytes: 0 });

    replay.acknowledge(0.5); // 50 bytes processed: the cut falls inside the first chunk
    const pending = replay.pending();
    expect(pending.bytes).toBe(70);
    expect(pending.offsetSeconds).toBeCloseTo(0.5, 9);
    expect(joined(replay)).toEqual([...bytes(50, 70)]);
    expect(replay.acknowledgedSeconds).toBeCloseTo(0.5, 9);

    replay.acknowledge(1.2);
    expect(replay.pending()).toMatchObject({ bytes: 0, chunks: [] });
    expect(replay.pending().offsetSeconds).toBeCloseTo(1.2, 9);
  });

  it("ignores an acknowledgement behind the last one, and never acknowledges unsent audio", () => {
    const replay = new ReplayBuffer({ bytesPerSecond: 100 });
    replay.record(bytes(0, 100));
    replay.acknowledge(0.6);
    replay.acknowledge(0.3);
    expect(replay.pending().bytes).toBe(40);
    replay.acknowledge(5);
    expect(replay.pending()).toMatchObject({ bytes: 0, offsetSeconds: 1 });
    replay.acknowledge(Number.NaN);
    replay.record(bytes(100, 10));
    expect(joined(replay)).toEqual([...bytes(100, 10)]);
  });

  it("cuts on whole sample frames despite float noise in the timestamps", () => {
    const replay = ReplayBuffer.forOptions({ encoding: "linear16", sample_rate: 16_000 });
    replay.record(new Uint8Array(64_000));
    // 1.2 × 32000 = 38399.99…: must become sample 19200 (byte 38400), never an odd byte.
    replay.acknowledge(0.1 + 1.1);
    expect(replay.pending().bytes).toBe(64_000 - 38_400);
    replay.acknowledge(1.23456);
    expect(replay.pending().bytes % 2).toBe(0);
  });

  it("copies what it records, so a reused send buffer cannot change the replay", () => {
    const replay = new ReplayBuffer({ bytesPerSecond: 10 });
    const chunk = bytes(0, 4);
    replay.record(chunk);
    chunk.fill(9);
    expect(joined(replay)).toEqual([0, 1, 2, 3]);
  });

  it("drops the oldest bytes over the bound and reports the loss until it is acknowledged", () => {
    const replay = new ReplayBuffer({ bytesPerSecond: 10, frameBytes: 2, maxSeconds: 5 });
    expect(replay.maxBytes).toBe(50);
    expect(replay.record(bytes(0, 40))).toBe(0);
    expect(replay.record(bytes(40, 30))).toBe(20);
    expect(replay.droppedBytes).toBe(20);
    expect(replay.bufferedBytes).toBe(50);
    expect(joined(replay)).toEqual([...bytes(20, 50)]);
    expect(replay.pending()).toMatchObject({ offsetSeconds: 2, lostBytes: 20, lostSeconds: 2 });

    // A final result covering the dropped part means the server had it after all: no loss.
    replay.acknowledge(3);
    expect(replay.pending()).toMatchObject({ offsetSeconds: 3, lostBytes: 0, bytes: 40 });
    expect(replay.droppedBytes).toBe(20);
  });

  it("takes the smaller of the two bounds", () => {
    expect(new ReplayBuffer({ bytesPerSecond: 1_000_000 }).maxBytes).toBe(DEFAULT_REPLAY_MAX_BYTES);
    expect(new ReplayBuffer({ bytesPerSecond: 32_000, frameBytes: 2 }).maxBytes).toBe(960_000);
    expect(new ReplayBuffer({ bytesPerSecond: 32_000, maxBytes: 1001, frameBytes: 2 }).maxBytes).toBe(1000);
  });

  it("bounds memory over a long stream with no final results", () => {
    const replay = new ReplayBuffer({ bytesPerSecond: 1000, maxSeconds: 2 });
    for (let i = 0; i < 1000; i++) replay.record(bytes(i, 100));
    expect(replay.bufferedBytes).toBe(2000);
    expect(replay.recordedBytes).toBe(100_000);
    expect(replay.pending().chunks).toHaveLength(20);
    expect(replay.pending().offsetSeconds).toBe(98);
  });

  it("reads the byte rate and frame size from the live options", () => {
    const replay = ReplayBuffer.forOptions(
      { encoding: "linear16", sample_rate: 48_000, channels: 2 },
      { maxSeconds: 1 },
    );
    expect(replay.bytesPerSecond).toBe(192_000);
    expect(replay.maxBytes).toBe(192_000);
  });

  it("refuses audio without a fixed byte rate with an OptionsError", () => {
    const refused: LiveOptions[] = [{}, { encoding: "opus", sample_rate: 48_000 }, { encoding: "linear16" }];
    for (const options of refused) {
      const thrown = (() => {
        try {
          ReplayBuffer.forOptions(options);
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(OptionsError);
      expect((thrown as OptionsError).problems[0]?.option).toBe("reconnect");
    }
  });

  it("refuses bounds and rates that are not positive", () => {
    expect(() => new ReplayBuffer({ bytesPerSecond: 0 })).toThrow(RangeError);
    expect(() => new ReplayBuffer({ bytesPerSecond: 10, maxSeconds: -1 })).toThrow(RangeError);
    expect(() => new ReplayBuffer({ bytesPerSecond: 10, frameBytes: 1.5 })).toThrow(RangeError);
    expect(() => new ReplayBuffer({ bytesPerSecond: 10, frameBytes: 4, maxBytes: 3 })).toThrow(RangeError);
  });
});
