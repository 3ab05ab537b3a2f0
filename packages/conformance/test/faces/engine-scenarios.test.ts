/**
 * The behaviours issue 8 moved into core, run as one list against both faces: reconnect with
 * replay (a drop mid-word, 1011 NET-0000, attempts exhausted, the idle NET-0001), abort,
 * nothing after Close, finish() under a 15,000-final flush, diagnostics on the application's
 * thread, unknown options. (Engine load failure concerns the threaded face only: last block.)
 */
import diagnosticsChannel from "node:diagnostics_channel";
import {
  AbortedError,
  CLIENT_DIAGNOSTICS_CHANNELS,
  ConnectionClosedError,
  EngineLoadError,
  HandshakeError,
  type LiveOptions,
  OptionsError,
  StateError,
  TimeoutError,
} from "@earshot/core";
import { type ServerThread, type ServerThreadOptions, startServerThread } from "@earshot/server";
import { chunk, silence, tone, waitFor, wav } from "@earshot/testkit";
import { LiveClient, setEngineWorkerUrl } from "@earshot/threaded";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { asyncFace } from "./async-face.ts";
import { type Face, type FaceKind, finalTranscripts, names, payloads } from "./face.ts";
import { threadedFace } from "./threaded-face.ts";

const faces: readonly FaceKind[] = [asyncFace, threadedFace];
const PCM = { encoding: "linear16", sample_rate: 16_000 } as const satisfies LiveOptions;
const BYTES_PER_SECOND = 32_000;
/** "the quick brown" (1.2 s of tone), a pause, "fox jumps" (0.8 s), a pause: 3.2 s. */
const FIRST = Buffer.concat([tone(1.2), silence(0.6)]);
const SECOND = Buffer.concat([tone(0.8), silence(0.6)]);
/** Inside "fox jumps": 0.4 s into its tone. */
const MID_WORD = Math.round((1.8 + 0.4) * BYTES_PER_SECOND);
const NET_0000 =
  "Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000";
/** What the scripted engine, starting its script again on the new connection, hears in "fox jumps". */
const REPLAYED = "the quick";
const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 50 } as const;

let server: ServerThread | undefined;

async function serve(options: ServerThreadOptions): Promise<ServerThread> {
  server = await startServerThread(options);
  return server;
}

async function sendAll(face: Face, audio: Buffer): Promise<void> {
  for (const piece of chunk(audio, 0.02)) await face.send(piece);
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  for (const kind of faces) await kind.cleanup();
});

describe.each(faces)("the $name face", (kind) => {
  it("reconnect: a drop mid-word loses no word; Reconnecting, Reconnected; one timeline, Open and Close once", async () => {
    const url = (await serve({ faultsPerSession: [{ dropAfterBytes: MID_WORD }] })).url;
    const face = kind.create();
    await face.start(PCM, { url, reconnect: FAST_RECONNECT });
    await sendAll(face, FIRST);
    await waitFor(() => finalTranscripts(face.events).length === 1, "the first final");
    await sendAll(face, SECOND);
    await waitFor(() => names(face.events).includes("reconnected"), "the reconnect");
    const metadata = await face.finish();

    expect(metadata?.type).toBe("Metadata");
    // Every word of the second utterance arrives once. (The scripted engine starts its script
    // again on each connection, so the new connection calls those two words "the quick".)
    expect(finalTranscripts(face.events)).toEqual(["the quick brown", REPLAYED]);
    const sequence = names(face.events);
    expect(sequence.filter((name) => name === "open")).toHaveLength(1);
    expect(sequence.filter((name) => name === "close")).toHaveLength(1);
    expect(sequence).not.toContain("error");
    expect(sequence.indexOf("reconnecting")).toBeLessThan(sequence.indexOf("reconnected"));
    const [reconnecting] = payloads(face.events, "reconnecting");
    expect(reconnecting?.error).toBeInstanceOf(ConnectionClosedError);
    expect(reconnecting?.error.closeCode).toBe(1006);
    const [reconnected] = payloads(face.events, "reconnected");
    expect(reconnected?.offsetSeconds).toBeGreaterThan(1);
    expect(reconnected?.replayedBytes).toBeGreaterThan(0);
    // One timeline: "fox jumps" starts after "the quick brown" ended, as spoken (at 1.8 s).
    const finals = payloads(face.events, "Results").filter(
      (r) => r.is_final && r.channel.alternatives[0]?.transcript,
    );
    expect(finals[1]?.channel.alternatives[0]?.words[0]?.start).toBeGreaterThanOrEqual(1.8 - 0.05);
    expect(payloads(face.events, "close")[0]).toMatchObject({ code: 1000 });
  });

  it("reconnect: the server's 1011 NET-0000 is retried", async () => {
    const url = (
      await serve({
        faultsPerSession: [{ closeWith: { code: 1011, reason: NET_0000, afterBytes: MID_WORD } }],
      })
    ).url;
    const face = kind.create();
    await face.start(PCM, { url, reconnect: FAST_RECONNECT });
    await sendAll(face, FIRST);
    await waitFor(() => finalTranscripts(face.events).length === 1, "the first final");
    await sendAll(face, SECOND);
    // A close that arrives after finish() is not retried: wait for the reconnect first.
    await waitFor(() => names(face.events).includes("reconnected"), "the reconnect");
    await face.finish();
    expect(payloads(face.events, "reconnecting")[0]?.error).toMatchObject({ dgCode: "NET-0000" });
    expect(names(face.events)).toContain("reconnected");
    expect(finalTranscripts(face.events)).toEqual(["the quick brown", REPLAYED]);
    expect(names(face.events).slice(-2)).toEqual(["Metadata", "close"]);
  });

  it("reconnect: attempts exhausted end the stream with the last attempt's error, Error then Close once", async () => {
    const refused = { refuseWith: { status: 503 } };
    const url = (await serve({ faultsPerSession: [{ dropAfterBytes: 6_400 }, refused, refused, refused] }))
      .url;
    const face = kind.create();
    await face.start(PCM, { url, reconnect: { ...FAST_RECONNECT, attempts: 2 } });
    await sendAll(face, FIRST).catch(() => undefined);
    await waitFor(() => names(face.events).includes("close"), "the close");

    const sequence = names(face.events);
    expect(sequence.filter((name) => name === "reconnecting")).toHaveLength(2);
    expect(sequence).not.toContain("reconnected");
    expect(sequence.slice(-2)).toEqual(["error", "close"]);
    expect(sequence.filter((name) => name === "error")).toHaveLength(1);
    expect(payloads(face.events, "error")[0]).toBeInstanceOf(HandshakeError);
    expect(payloads(face.events, "error")[0]).toMatchObject({ status: 503 });
  });

  it("reconnect: an idle stream's NET-0001 with nothing to replay is not reconnected (Error, Close)", async () => {
    const url = (await serve({ inactivityTimeoutMs: 400 })).url;
    const face = kind.create();
    await face.start(PCM, { url, reconnect: FAST_RECONNECT });
    await waitFor(() => names(face.events).includes("close"), "the idle close", { timeoutMs: 10_000 });
    // Long enough for a reconnect's backoff (at most 50 ms) and its connection to show.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(names(face.events)).toEqual(["open", "Metadata", "error", "close"]);
    expect(payloads(face.events, "error")[0]).toMatchObject({ dgCode: "NET-0001" });
    expect(await server?.sessionCount()).toBe(0);
  });

  it("abort(): closes at once, Error (AbortedError with the reason) and Close once; later calls refused silently", async () => {
    const url = (await serve({})).url;
    const face = kind.create();
    await face.start(PCM, { url });
    await sendAll(face, FIRST.subarray(0, 6_400));
    face.abort("user gave up");
    await waitFor(() => names(face.events).includes("close"), "the close");
    const [error] = payloads(face.events, "error");
    expect(error).toBeInstanceOf(AbortedError);
    expect(error?.cause).toBe("user gave up");
    face.abort("again");
    const count = face.events.length;
    expect(face.finalize()).toBe(false);
    await expect(face.send(Buffer.alloc(640))).rejects.toBeInstanceOf(StateError);
    expect(face.events.length).toBe(count);
    expect(names(face.events).slice(-2)).toEqual(["error", "close"]);
  });

  it("nothing after Close: after a 1008 close a sending loop gets refusals whose cause is that close, and one Error", async () => {
    const closeWith = { code: 1008, reason: "DATA-0000 cannot decode", afterBytes: 3_200 };
    const url = (await serve({ faults: { closeWith } })).url;
    const face = kind.create();
    await face.start(PCM, { url });
    const refusals: unknown[] = [];
    for (const piece of chunk(Buffer.concat([FIRST, SECOND]), 0.02)) {
      await face.send(piece).catch((error: unknown) => refusals.push(error));
      if (names(face.events).includes("close"))
        await face.send(piece).catch((error: unknown) => refusals.push(error));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await waitFor(() => names(face.events).includes("close"), "the close");
    await face.send(Buffer.alloc(640)).catch((error: unknown) => refusals.push(error));

    const sequence = names(face.events);
    expect(sequence.filter((name) => name === "error")).toHaveLength(1);
    expect(sequence.at(-1)).toBe("close");
    const closeError = face.closeReport?.error;
    expect(closeError).toMatchObject({ closeCode: 1008, dgCode: "DATA-0000" });
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(StateError);
      expect((refusal as StateError).cause).toBe(closeError);
    }
  });

  it("finish() under a 15,000-final flush after CloseStream delivers all of it, then Metadata and Close", async () => {
    const url = (await serve({ faults: { finalsOnClose: 15_000 } })).url;
    const face = kind.create();
    await face.start(PCM, { url });
    await sendAll(face, FIRST);
    const metadata = await face.finish();
    expect(metadata?.type).toBe("Metadata");
    const flushed = payloads(face.events, "Results").filter(
      (r) => r.channel.alternatives[0]?.transcript === "flood",
    );
    expect(flushed).toHaveLength(15_000);
    expect(names(face.events).slice(-2)).toEqual(["Metadata", "close"]);
    expect(names(face.events)).not.toContain("error");
  }, 60_000);

  it("publishes the same diagnostics on this thread: connect, open, audio, result, final latency, close", async () => {
    const url = (await serve({})).url;
    const seen = new Map<string, unknown[]>();
    const listeners = Object.entries(CLIENT_DIAGNOSTICS_CHANNELS).map(([key, name]) => {
      const listener = (data: unknown): void => {
        seen.set(key, [...(seen.get(key) ?? []), data]);
      };
      diagnosticsChannel.subscribe(name, listener);
      return () => diagnosticsChannel.unsubscribe(name, listener);
    });
    try {
      const face = kind.create();
      await face.start(PCM, { url });
      await sendAll(face, Buffer.concat([FIRST, SECOND]));
      await face.finish();
    } finally {
      for (const unsubscribe of listeners) unsubscribe();
    }
    for (const key of ["connect", "open", "audio", "result", "finalLatency", "close"]) {
      expect(seen.get(key)?.length ?? 0, key).toBeGreaterThan(0);
    }
    const audio = seen.get("audio") as { totalBytes: number; streamSeconds: number }[];
    expect(audio.at(-1)).toMatchObject({ totalBytes: 102_400, streamSeconds: 3.2 });
    const latency = seen.get("finalLatency") as { audioEndSeconds: number; latencyMs: number }[];
    expect(latency.every((entry) => entry.latencyMs >= 0)).toBe(true);
    // Flux's final (an EndOfTurn) has a channel of its own; /v1/listen publishes none there.
    expect(seen.get("endOfTurnLatency")).toBeUndefined();
    expect(seen.get("close")).toEqual([
      expect.objectContaining({ code: 1000, bytesSent: 102_400, reconnects: 0 }),
    ]);
  });

  it("finish({ timeout }) bounds the wait for a server that never closes: TimeoutError, Error then Close", async () => {
    const url = (await serve({ faults: { ignoreCloseStream: true } })).url;
    const face = kind.create();
    await face.start(PCM, { url });
    await sendAll(face, FIRST);
    const failure = await face.finish({ timeout: 300 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TimeoutError);
    expect((failure as TimeoutError).code).toBe("ERR_FINISH_TIMEOUT");
    expect((failure as TimeoutError).timeoutMs).toBe(300);
    expect(face.closeReport?.error).toBe(failure);
    expect(names(face.events).slice(-2)).toEqual(["error", "close"]);
  });

  it("a WAV sent without encoding/sample_rate: stream time from its header, final latency published", async () => {
    const url = (await serve({})).url;
    const file = wav(Buffer.concat([FIRST, SECOND]));
    const audio: { totalBytes: number; streamSeconds: number | undefined }[] = [];
    const latencies: { audioEndSeconds: number; latencyMs: number }[] = [];
    const onAudio = (data: unknown): void => {
      audio.push(data as (typeof audio)[number]);
    };
    const onLatency = (data: unknown): void => {
      latencies.push(data as (typeof latencies)[number]);
    };
    diagnosticsChannel.subscribe(CLIENT_DIAGNOSTICS_CHANNELS.audio, onAudio);
    diagnosticsChannel.subscribe(CLIENT_DIAGNOSTICS_CHANNELS.finalLatency, onLatency);
    try {
      const face = kind.create();
      await face.start({}, { url });
      await sendAll(face, file);
      await face.finish();
    } finally {
      diagnosticsChannel.unsubscribe(CLIENT_DIAGNOSTICS_CHANNELS.audio, onAudio);
      diagnosticsChannel.unsubscribe(CLIENT_DIAGNOSTICS_CHANNELS.finalLatency, onLatency);
    }
    // The 44 header bytes are no audio time: 102,400 bytes of samples are 3.2 s.
    expect(audio.at(-1)).toMatchObject({ totalBytes: file.length, streamSeconds: 3.2 });
    expect(latencies.length).toBeGreaterThanOrEqual(2);
    expect(latencies.every((entry) => entry.latencyMs >= 0)).toBe(true);
  });

  it("sendFrom() settles as soon as the stream ends, rejecting with a StateError whose cause closed it", async () => {
    const url = (await serve({})).url;
    const face = kind.create();
    await face.start(PCM, { url });
    // A source that sends a little, then waits for audio that never comes.
    let stalled: (() => void) | undefined;
    const source = (async function* () {
      yield FIRST.subarray(0, 3_200);
      await new Promise<void>((resolve) => {
        stalled = resolve;
      });
    })();
    const sending = face.sendFrom(source).then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitFor(() => stalled !== undefined, "the source to stall");
    face.abort("stop");
    const failure = await sending;
    expect(failure).toBeInstanceOf(StateError);
    expect((failure as StateError).cause).toBeInstanceOf(AbortedError);
    expect((failure as StateError).cause).toBe(face.closeReport?.error);
    stalled?.();
  });

  it("control frames come from core's encoder on the caller's thread: the same errors in both faces", async () => {
    const url = (await serve({})).url;
    const face = kind.create();
    await face.start(PCM, { url });
    expect(() => face.finalize(-1)).toThrow(RangeError);
    expect(() => face.finalize(1.5)).toThrow(/non-negative integer/);
    // Nothing was sent or reported: the stream goes on and ends cleanly.
    expect(face.finalize(0)).toBe(true);
    await face.finish();
    expect(names(face.events)).not.toContain("error");
    expect(payloads(face.events, "close")[0]).toMatchObject({ code: 1000 });
  });

  it("refuses unknown client options naming the nearest, and enum values outside the protocol", async () => {
    const face = kind.create();
    expect(() => face.create({ keepalive: true } as never)).toThrow(OptionsError);
    expect(() => face.create({ keepalive: true } as never)).toThrow(/keepalive.*did you mean keepAlive/);
    face.create({ url: "ws://127.0.0.1:9" });
    await expect(face.start({ encoding: "mp3" as never, sample_rate: 16_000 })).rejects.toThrow(/encoding/);
    await expect(face.start({ ...PCM, redact: ["bogus" as never] })).rejects.toBeInstanceOf(OptionsError);
    expect(face.events).toEqual([]);
  });
});

describe("the threaded face's engine", () => {
  it("an engine that cannot load fails start() at once with its own error and a hint", async () => {
    await threadedFace.cleanup();
    setEngineWorkerUrl("/nonexistent/earshot/engine-worker.js");
    try {
      const client = new LiveClient({ url: "ws://127.0.0.1:9" });
      const errors: unknown[] = [];
      client.on("error", (error) => errors.push(error));
      expect(client.start(PCM)).toBe(false);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(EngineLoadError);
      const message = (errors[0] as Error).message;
      expect(message).toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
      expect(message).toContain("setEngineWorkerUrl");
      expect(message).not.toContain("ERR_CONNECT_TIMEOUT");
    } finally {
      setEngineWorkerUrl(undefined);
      await threadedFace.cleanup();
    }
  });
});
