import { Readable } from "node:stream";
import { ReadableStream } from "node:stream/web";
import { type AudioChunk, type Clock, OptionsError } from "@earshot/core";
import { sendFrom } from "@earshot/core/internal";
import { type LocalServer, startServer } from "@earshot/server";
import { chunk, silence, tone, wav } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncLiveClient } from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const LINEAR16 = { encoding: "linear16", sample_rate: 16_000 } as const;
const BYTES_PER_SECOND = 32_000;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

function audio(seconds: number): Buffer {
  return Buffer.concat([tone(seconds / 2), silence(seconds / 2)]);
}

/** Sends `source` through a fresh client and returns the seconds of audio the server received. */
async function roundTrip(
  source: Parameters<AsyncLiveClient["sendFrom"]>[0],
  options = {},
): Promise<number | undefined> {
  const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
  await client.start(LINEAR16);
  await client.sendFrom(source, options);
  return (await client.finish())?.duration;
}

/**
 * A clock whose timers fire on the next turn of the event loop with time advanced by their
 * delay: pacing is checked against this virtual time, without waiting for real time.
 */
function virtualClock(): Clock & { readonly elapsed: number } {
  let now = 0;
  return {
    get elapsed() {
      return now;
    },
    now: () => now,
    setTimeout(fn, ms) {
      return setImmediate(() => {
        now += ms;
        fn();
      });
    },
    clearTimeout(handle) {
      clearImmediate(handle as NodeJS.Immediate);
    },
  };
}

describe("sendFrom sources", () => {
  it("takes a Node Readable", async () => {
    expect(await roundTrip(Readable.from(chunk(audio(1.2), 0.1)))).toBeCloseTo(1.2, 2);
  });

  it("takes a Web ReadableStream", async () => {
    const parts = chunk(audio(1.2), 0.1);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new Uint8Array(next));
      },
    });
    expect(await roundTrip(stream)).toBeCloseTo(1.2, 2);
  });

  it("takes a ReadableStream-like object that is not async-iterable (getReader only)", async () => {
    const parts: AudioChunk[] = chunk(audio(0.6), 0.1);
    const stream = new ReadableStream<AudioChunk>({
      pull(controller) {
        const next = parts.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    expect(await roundTrip({ getReader: () => stream.getReader() })).toBeCloseTo(0.6, 2);
  });

  it("takes an async generator of ArrayBuffers and typed arrays", async () => {
    async function* generate(): AsyncGenerator<AudioChunk> {
      for (const [i, part] of chunk(audio(1), 0.1).entries()) {
        const copy = new Uint8Array(part).buffer as ArrayBuffer;
        yield i % 2 === 0 ? copy : new Int16Array(copy);
      }
    }
    expect(await roundTrip(generate())).toBeCloseTo(1, 2);
  });

  it("rejects a source that is not audio", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    await client.start(LINEAR16);
    await expect(client.sendFrom(42 as never)).rejects.toBeInstanceOf(TypeError);
    await expect(client.sendFrom(["text" as never])).rejects.toMatchObject({ code: "ERR_INVALID_AUDIO" });
    await client.finish();
  });
});

describe("realtime pacing", () => {
  it("never runs ahead of the audio's duration (virtual clock), from the live options' format", async () => {
    const clock = virtualClock();
    const sentAt: { at: number; bytesBefore: number }[] = [];
    let bytes = 0;
    const parts = chunk(audio(3), 0.05);
    await sendFrom(
      parts,
      { pace: "realtime", clock },
      {
        liveOptions: LINEAR16,
        send: async (part) => {
          sentAt.push({ at: clock.elapsed, bytesBefore: bytes });
          bytes += (part as Uint8Array).byteLength;
        },
      },
    );
    expect(bytes).toBe(3 * BYTES_PER_SECOND);
    // Each chunk leaves no earlier than the audio before it takes to play, less the 250 ms burst.
    for (const { at, bytesBefore } of sentAt) {
      expect(at).toBeGreaterThanOrEqual((bytesBefore / BYTES_PER_SECOND) * 1000 - 250 - 1e-6);
    }
    const last = sentAt.at(-1);
    expect(last?.at).toBeGreaterThanOrEqual(3000 - 50 - 250 - 1e-6);
  });

  it("reads the rate from a WAV header, even one split across chunks", async () => {
    const clock = virtualClock();
    const file = wav(tone(2), { sampleRate: 8_000 });
    const parts = [file.subarray(0, 10), file.subarray(10, 30), ...chunk(file.subarray(30), 0.05)];
    let sent = 0;
    await sendFrom(
      parts,
      { pace: "realtime", clock },
      {
        liveOptions: {},
        send: async (part) => {
          sent += (part as Uint8Array).byteLength;
        },
      },
    );
    expect(sent).toBe(file.length);
    // 8 kHz linear16 mono = 16,000 bytes/s: 2 s of audio, less the burst allowance.
    expect(clock.elapsed).toBeGreaterThanOrEqual(2000 - 250 - 100);
  });

  it("refuses a pace it does not know", async () => {
    await expect(
      sendFrom(
        [Buffer.alloc(64, 1)],
        { pace: "fast" as never },
        { liveOptions: LINEAR16, send: async () => {} },
      ),
    ).rejects.toBeInstanceOf(OptionsError);
  });

  it("refuses realtime pacing when the rate cannot be known", async () => {
    await expect(
      sendFrom([Buffer.alloc(64, 1)], { pace: "realtime" }, { liveOptions: {}, send: async () => {} }),
    ).rejects.toBeInstanceOf(OptionsError);
  });

  it("end to end: audio-seconds sent never exceed elapsed time (plus the burst)", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    await client.start(LINEAR16);
    const started = performance.now();
    await client.sendFrom(chunk(audio(1.2), 0.1), { pace: "realtime" });
    const elapsedSeconds = (performance.now() - started) / 1000;
    const metadata = await client.finish();
    expect(metadata?.duration).toBeCloseTo(1.2, 2);
    // The last 0.1 s chunk goes out once 1.1 s have played, less the 0.25 s burst.
    expect(elapsedSeconds).toBeGreaterThanOrEqual(1.1 - 0.25 - 0.05);
  });
});
