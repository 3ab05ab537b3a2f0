import { describe, expect, it } from "vitest";
import { AudioChunkError } from "../src/errors.ts";
import {
  CLOSE_STREAM_FRAME,
  configureFrame,
  finalizeFrame,
  KEEP_ALIVE_FRAME,
  toAudioFrame,
} from "../src/frames.ts";

describe("toAudioFrame", () => {
  it("returns a Buffer's bytes as a view over the same memory", () => {
    const buffer = Buffer.from([1, 2, 3, 4]);
    const frame = toAudioFrame(buffer);
    expect(frame).toBeInstanceOf(Uint8Array);
    expect([...(frame ?? [])]).toEqual([1, 2, 3, 4]);
    buffer[0] = 9;
    expect(frame?.[0]).toBe(9);
  });

  it("views an ArrayBuffer without copying", () => {
    const arrayBuffer = new ArrayBuffer(8);
    const frame = toAudioFrame(arrayBuffer);
    expect(frame?.buffer).toBe(arrayBuffer);
    expect(frame?.byteLength).toBe(8);
  });

  it("views an Int16Array slice (with offset) without copying", () => {
    const samples = new Int16Array([100, -200, 300, -400]);
    const slice = samples.subarray(1, 3);
    const frame = toAudioFrame(slice);
    expect(frame?.buffer).toBe(samples.buffer);
    expect(frame?.byteOffset).toBe(2);
    expect(frame?.byteLength).toBe(4);
    samples[1] = 0x0102;
    expect(frame?.[0]).toBe(0x02);
    expect(frame?.[1]).toBe(0x01);
  });

  it.each([
    ["Float32Array", new Float32Array([0.5, -0.5])],
    ["Int32Array", new Int32Array([1, 2])],
    ["Uint16Array", new Uint16Array([1, 2, 3])],
    ["BigInt64Array", new BigInt64Array([1n])],
    ["Uint8ClampedArray", new Uint8ClampedArray([1, 2])],
    ["DataView", new DataView(new ArrayBuffer(16), 4, 6)],
  ])("views a %s without copying", (_name, view) => {
    const frame = toAudioFrame(view);
    expect(frame?.buffer).toBe(view.buffer);
    expect(frame?.byteOffset).toBe(view.byteOffset);
    expect(frame?.byteLength).toBe(view.byteLength);
  });

  it.each([
    ["an empty Buffer", Buffer.alloc(0)],
    ["an empty ArrayBuffer", new ArrayBuffer(0)],
    ["an empty Int16Array view", new Int16Array(4).subarray(2, 2)],
    ["an empty DataView", new DataView(new ArrayBuffer(4), 4)],
  ])("drops %s (a zero-length frame would end the stream)", (_name, chunk) => {
    expect(toAudioFrame(chunk)).toBeUndefined();
  });

  it.each([
    ["string", "hello"],
    ["number", 42],
    ["null", null],
    ["undefined", undefined],
    ["Array", [1, 2, 3]],
    ["Object", { byteLength: 4 }],
  ])("rejects a %s with AudioChunkError naming the type", (typeName, value) => {
    let caught: unknown;
    try {
      toAudioFrame(value as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AudioChunkError);
    expect((caught as AudioChunkError).code).toBe("ERR_INVALID_AUDIO");
    expect((caught as AudioChunkError).message).toContain(`received ${typeName}`);
  });
});

describe("control frames", () => {
  it("are byte-exact", () => {
    expect(KEEP_ALIVE_FRAME).toBe('{"type":"KeepAlive"}');
    expect(CLOSE_STREAM_FRAME).toBe('{"type":"CloseStream"}');
    expect(finalizeFrame()).toBe('{"type":"Finalize"}');
    expect(finalizeFrame(0)).toBe('{"type":"Finalize","channel":0}');
    expect(finalizeFrame(3)).toBe('{"type":"Finalize","channel":3}');
    expect(configureFrame({ numerals: true })).toBe('{"type":"Configure","features":{"numerals":true}}');
  });

  it("refuses a channel that is not a non-negative integer", () => {
    expect(() => finalizeFrame(-1)).toThrow(RangeError);
    expect(() => finalizeFrame(1.5)).toThrow(RangeError);
  });

  it("refuses Configure features that are not an object", () => {
    expect(() => configureFrame(null as never)).toThrow(TypeError);
    expect(() => configureFrame([] as never)).toThrow(TypeError);
  });
});
