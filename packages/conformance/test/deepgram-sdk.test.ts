/**
 * A client nobody here wrote: Deepgram's own JavaScript SDK (v4) against the local server. If
 * the server speaks the protocol as the real API does, the SDK cannot tell the difference:
 * it authenticates, streams, gets Results/SpeechStarted/UtteranceEnd/Metadata through its
 * typed events, and sees the normal 1000 close after CloseStream.
 */
import { createClient, type LiveClient, LiveTranscriptionEvents } from "@deepgram/sdk";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";

const KEY = "sdk-test-key-0123456789abcdef";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Heard {
  events: string[];
  transcripts: Array<{ transcript: string; isFinal: boolean; speechFinal: boolean }>;
  metadata: Array<Record<string, unknown>>;
  utteranceEnds: Array<Record<string, unknown>>;
  speechStarted: Array<Record<string, unknown>>;
  unhandled: unknown[];
  errors: unknown[];
  close: { code: number; reason: string } | undefined;
}

/** Runs one SDK live session; resolves once the SDK reports Close. */
function stream(live: LiveClient, audio: Buffer): Promise<Heard> {
  const heard: Heard = {
    events: [],
    transcripts: [],
    metadata: [],
    utteranceEnds: [],
    speechStarted: [],
    unhandled: [],
    errors: [],
    close: undefined,
  };
  return new Promise((resolve) => {
    live.on(LiveTranscriptionEvents.Open, () => {
      heard.events.push("Open");
      for (const piece of chunk(audio, 0.1))
        live.send(piece.buffer.slice(piece.byteOffset, piece.byteOffset + piece.length));
      live.requestClose();
    });
    live.on(
      LiveTranscriptionEvents.Transcript,
      (data: {
        is_final: boolean;
        speech_final: boolean;
        channel: { alternatives: Array<{ transcript: string }> };
      }) => {
        heard.events.push("Transcript");
        heard.transcripts.push({
          transcript: data.channel.alternatives[0]?.transcript ?? "",
          isFinal: data.is_final,
          speechFinal: data.speech_final,
        });
      },
    );
    live.on(LiveTranscriptionEvents.Metadata, (data: Record<string, unknown>) => {
      heard.events.push("Metadata");
      heard.metadata.push(data);
    });
    live.on(LiveTranscriptionEvents.UtteranceEnd, (data: Record<string, unknown>) => {
      heard.events.push("UtteranceEnd");
      heard.utteranceEnds.push(data);
    });
    live.on(LiveTranscriptionEvents.SpeechStarted, (data: Record<string, unknown>) => {
      heard.events.push("SpeechStarted");
      heard.speechStarted.push(data);
    });
    live.on(LiveTranscriptionEvents.Unhandled, (data: unknown) => heard.unhandled.push(data));
    live.on(LiveTranscriptionEvents.Error, (error: unknown) => heard.errors.push(error));
    live.on(LiveTranscriptionEvents.Close, (event: { code: number; reason: string | Buffer }) => {
      heard.events.push("Close");
      heard.close = { code: event.code, reason: String(event.reason ?? "") };
      resolve(heard);
    });
  });
}

describe("@deepgram/sdk v4 against the local server", () => {
  it("authenticates, streams audio and receives Results, SpeechStarted, UtteranceEnd, Metadata and the 1000 close", async () => {
    server = await startServer({
      apiKeys: [KEY],
      engine: scriptedEngine({ transcript: "Hello from the official SDK." }),
    });
    // The SDK's documented way to point its live client at another host: global.websocket.options.url.
    const deepgram = createClient(KEY, { global: { websocket: { options: { url: server.url } } } });
    const live = deepgram.listen.live({
      model: "nova-3",
      encoding: "linear16",
      sample_rate: 16_000,
      punctuate: true,
      interim_results: true,
      utterance_end_ms: 1000,
      vad_events: true,
    });
    const audio = Buffer.concat([silence(0.3), tone(2.0), silence(1.5)]);
    const heard = await stream(live, audio);

    expect(heard.errors).toEqual([]);
    expect(heard.unhandled).toEqual([]);
    expect(heard.close).toEqual({ code: 1000, reason: "" });
    expect(heard.events[0]).toBe("Open");
    expect(heard.events.slice(-2)).toEqual(["Metadata", "Close"]);
    expect(heard.speechStarted).toEqual([{ type: "SpeechStarted", channel: [0, 1], timestamp: 0.3 }]);
    const finals = heard.transcripts.filter((t) => t.isFinal && t.transcript !== "");
    expect(finals).toEqual([
      { transcript: "Hello from the official SDK.", isFinal: true, speechFinal: true },
    ]);
    expect(heard.transcripts.some((t) => !t.isFinal)).toBe(true);
    expect(heard.utteranceEnds).toEqual([{ type: "UtteranceEnd", channel: [0, 1], last_word_end: 2.3 }]);
    expect(heard.metadata).toHaveLength(1);
    expect(heard.metadata[0]).toMatchObject({
      type: "Metadata",
      transaction_key: "deprecated",
      duration: 3.8,
      channels: 1,
    });
  });

  it("gets the real API's 401 when the key is wrong", async () => {
    server = await startServer({ apiKeys: [KEY] });
    const deepgram = createClient("not-the-key", { global: { websocket: { options: { url: server.url } } } });
    const live = deepgram.listen.live({ encoding: "linear16", sample_rate: 16_000 });
    const outcome = await new Promise<{ opened: boolean; error: unknown }>((resolve) => {
      let opened = false;
      live.on(LiveTranscriptionEvents.Open, () => {
        opened = true;
      });
      live.on(LiveTranscriptionEvents.Error, (error: unknown) => resolve({ opened, error }));
    });
    expect(outcome.opened).toBe(false);
    // The SDK reads status, request id and headers off the refused upgrade, as from the real API.
    expect(outcome.error).toMatchObject({
      statusCode: 401,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      responseHeaders: expect.objectContaining({ "dg-error": "Invalid credentials." }),
    });
    live.disconnect();
  });
});
