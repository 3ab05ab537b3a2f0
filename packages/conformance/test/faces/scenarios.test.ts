/**
 * One list of scenarios, run against both client faces through their adapters: the async
 * `AsyncLiveClient` and the threaded `LiveClient`, each against the local server (scripted
 * engine) on its own thread. Then both faces on the same input must deliver the same events.
 */
import { ConnectionClosedError, HandshakeError, type LiveOptions } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { chunk, silence, tone, waitFor } from "@earshot/testkit";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { asyncFace } from "./async-face.ts";
import { describeEvent, type Face, type FaceKind, finalTranscripts, names, payloads } from "./face.ts";
import { threadedFace } from "./threaded-face.ts";

const faces: readonly FaceKind[] = [asyncFace, threadedFace];

const PCM = { encoding: "linear16", sample_rate: 16_000 } as const satisfies LiveOptions;

/** Two utterances of "speech" (tone; the scripted engine hears 2.5 words a second), each closed by silence. */
function speech(): Buffer[] {
  return chunk(Buffer.concat([tone(1.2), silence(0.6), tone(0.8), silence(0.6)]), 0.02);
}

/** Speech with no closing silence: only a flush (Finalize, CloseStream) can make it final. */
function openSpeech(): Buffer[] {
  return chunk(tone(1.2), 0.02);
}

async function sendAll(face: Face, chunks: readonly Buffer[]): Promise<void> {
  for (const piece of chunks) await face.send(piece);
}

/** A message type no client knows (a newer server's): it must surface as `Unhandled`. */
const UNKNOWN_MESSAGE = JSON.stringify({ type: "FutureFeature", detail: "from a newer server" });

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  for (const kind of faces) await kind.cleanup();
});

describe.each(faces)("the $name face", (kind) => {
  it("full flow: Open, interims and finals in stream order, then Metadata, then Close once and last", async () => {
    server = await startServerThread();
    const face = kind.create();
    await face.start({ ...PCM, interim_results: true }, { url: server.url });
    expect(names(face.events)).toEqual(["open"]);
    expect(face.isConnected()).toBe(true);

    await sendAll(face, speech());
    const metadata = await face.finish();

    expect(metadata).toMatchObject({ type: "Metadata", channels: 1 });
    expect(metadata?.duration).toBeCloseTo(3.2, 2);
    const sequence = names(face.events);
    expect(sequence[0]).toBe("open");
    expect(sequence.slice(-2)).toEqual(["Metadata", "close"]);
    expect(sequence.filter((name) => name === "close")).toHaveLength(1);
    expect(sequence).not.toContain("error");
    expect(payloads(face.events, "close")[0]).toMatchObject({ code: 1000, wasClean: true });
    expect(face.isConnected()).toBe(false);

    const results = payloads(face.events, "Results");
    expect(results.some((result) => !result.is_final)).toBe(true);
    // In stream order: every result starts where the finals before it left off, or later.
    let finalUntil = 0;
    for (const result of results) {
      expect(result.start).toBeGreaterThanOrEqual(finalUntil - 1e-6);
      if (result.is_final) finalUntil = result.start + result.duration;
    }
    expect(finalTranscripts(face.events)).toEqual(["the quick brown", "fox jumps"]);
    // Both utterances ended at a pause (speech_final); the close flush has nothing left to say.
    const spoken = results.filter((result) => result.is_final && result.channel.alternatives[0]?.transcript);
    expect(spoken.map((result) => result.speech_final)).toEqual([true, true]);
  });

  it("a refused handshake: typed HandshakeError (401), then Error and Close, nothing else", async () => {
    server = await startServerThread({ apiKeys: ["right-key"] });
    const face = kind.create();
    const failure = await face.start(PCM, { url: server.url, apiKey: "wrong-key" }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(HandshakeError);
    expect(failure).toMatchObject({ code: "ERR_HANDSHAKE_REFUSED", status: 401, retryable: false });
    expect((failure as Error).message).not.toContain("wrong-key");
    expect(names(face.events)).toEqual(["error", "close"]);
    expect(payloads(face.events, "error")[0]).toBeInstanceOf(HandshakeError);
    expect(payloads(face.events, "close")[0]).toMatchObject({ wasClean: false });
    expect(face.isConnected()).toBe(false);
  });

  it("finish() with the server's last final 1.5 s late still delivers it, before Metadata and Close", async () => {
    server = await startServerThread({ faults: { finalDelayMs: 1_500 } });
    const face = kind.create();
    await face.start(PCM, { url: server.url });
    await sendAll(face, openSpeech());
    const metadata = await face.finish();

    expect(metadata?.duration).toBeCloseTo(1.2, 2);
    expect(finalTranscripts(face.events)).toEqual(["the quick brown"]);
    expect(names(face.events)).toEqual(["open", "Results", "Metadata", "close"]);
    expect(payloads(face.events, "close")[0]).toMatchObject({ code: 1000, wasClean: true });
  });

  it("Finalize: the pending speech comes back final with from_finalize, and the stream goes on", async () => {
    server = await startServerThread();
    const face = kind.create();
    await face.start(PCM, { url: server.url });
    await sendAll(face, openSpeech());
    face.finalize();
    await waitFor(
      () => payloads(face.events, "Results").some((result) => result.from_finalize),
      "the from_finalize result",
    );
    const [flushed] = payloads(face.events, "Results");
    expect(flushed).toMatchObject({ is_final: true, from_finalize: true });
    expect(flushed?.channel.alternatives[0]?.transcript).toBe("the quick brown");
    expect(face.isConnected()).toBe(true);

    await sendAll(face, chunk(Buffer.concat([tone(0.8), silence(0.6)]), 0.02));
    await face.finish();
    expect(finalTranscripts(face.events)).toEqual(["the quick brown", "fox jumps"]);
    const spoken = payloads(face.events, "Results").filter(
      (result) => result.channel.alternatives[0]?.transcript,
    );
    expect(spoken.map((result) => result.from_finalize)).toEqual([true, false]);
    expect(names(face.events).slice(-2)).toEqual(["Metadata", "close"]);
  });

  it("an idle stream without keepalive: the server's NET-0001 arrives as Error, then Close", async () => {
    server = await startServerThread({ inactivityTimeoutMs: 500 });
    const face = kind.create();
    await face.start(PCM, { url: server.url });
    await waitFor(() => names(face.events).includes("close"), "the server's idle close", {
      timeoutMs: 10_000,
    });

    const sequence = names(face.events);
    expect(sequence[0]).toBe("open");
    expect(sequence.slice(-2)).toEqual(["error", "close"]);
    expect(sequence.filter((name) => name === "error" || name === "close")).toHaveLength(2);
    expect(sequence).not.toContain("Results");
    const [error] = payloads(face.events, "error");
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ dgCode: "NET-0001", closeCode: 1011 });
    // A close frame was exchanged (wasClean), but the close report carries the same error.
    expect(payloads(face.events, "close")[0]).toMatchObject({ code: 1011, dgCode: "NET-0001", error });
    expect(face.isConnected()).toBe(false);
    await expect(face.finish()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("an idle stream with keepalive outlives the server's idle timeout, then finishes cleanly", async () => {
    server = await startServerThread({ inactivityTimeoutMs: 1_000 });
    const face = kind.create();
    await face.start(PCM, { url: server.url, keepAlive: 200 });
    // Idle for two and a half of the server's timeouts: only KeepAlive keeps it open.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    expect(face.isConnected()).toBe(true);
    expect(names(face.events)).toEqual(["open"]);
    await face.finish();
    expect(names(face.events)).toEqual(["open", "Metadata", "close"]);
    expect(payloads(face.events, "close")[0]).toMatchObject({ code: 1000, wasClean: true });
  });

  it("a message type it does not know arrives as Unhandled, with its raw text; the stream goes on", async () => {
    server = await startServerThread({ faults: { sendAfterOpen: [UNKNOWN_MESSAGE] } });
    const face = kind.create();
    await face.start(PCM, { url: server.url });
    await waitFor(() => names(face.events).includes("Unhandled"), "the Unhandled event");

    expect(payloads(face.events, "Unhandled")).toEqual([
      expect.objectContaining({ type: "Unhandled", raw: UNKNOWN_MESSAGE }),
    ]);
    expect(face.isConnected()).toBe(true);
    await sendAll(face, speech());
    await face.finish();
    expect(names(face.events)).not.toContain("error");
    expect(finalTranscripts(face.events)).toEqual(["the quick brown", "fox jumps"]);
  });
});

describe("both faces", () => {
  it("deliver identical event sequences for the same scripted input", async () => {
    server = await startServerThread({ faults: { sendAfterOpen: [UNKNOWN_MESSAGE] } });
    const options = { ...PCM, interim_results: true, utterance_end_ms: 1_000, vad_events: true };
    const sequences: string[][] = [];
    for (const kind of faces) {
      const face = kind.create();
      await face.start(options, { url: server.url });
      // The second utterance's 1.8 s of closing silence passes utterance_end_ms: UtteranceEnd.
      await sendAll(face, [...speech(), ...chunk(silence(1.2), 0.02)]);
      face.finalize();
      await sendAll(face, openSpeech());
      await face.finish();
      sequences.push(face.events.map(describeEvent));
    }

    const [asyncSequence, threadedSequence] = sequences;
    expect(asyncSequence).toContain("open");
    for (const name of ["Results interim", "SpeechStarted", "UtteranceEnd", "Unhandled", "Metadata"]) {
      expect(asyncSequence?.some((line) => line.startsWith(name))).toBe(true);
    }
    expect(threadedSequence).toEqual(asyncSequence);
  });
});
