import { ManualClock, readFixture, silence, tone, waitFor } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type EngineFactory, type LocalServer, scriptedEngine, startServer } from "../src/index.ts";
import { connect, type Json, keyShape, sendAudio, sendText } from "./helpers/ws-client.ts";

const LINEAR16 = "encoding=linear16&sample_rate=16000";
const net0001 = JSON.parse(readFixture("messages/CloseFrame.1011-NET-0001.capture.json")) as {
  code: number;
  reason: string;
};

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("control messages", () => {
  it("Finalize flushes the open utterance as from_finalize finals and the stream goes on", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "one two three four" }) });
    const client = await connect(server.url, `${LINEAR16}&punctuate=true`);
    await sendAudio(client.ws, tone(0.8));
    await sendText(client.ws, '{"type":"Finalize"}');
    const [flushed] = await client.waitForType("Results");
    expect(flushed).toMatchObject({
      is_final: true,
      speech_final: false,
      from_finalize: true,
      start: 0,
      duration: 0.8,
    });
    expect(
      (flushed as { channel: { alternatives: Array<{ transcript: string }> } }).channel.alternatives[0]
        ?.transcript,
    ).toBe("One two.");
    await sendAudio(client.ws, Buffer.concat([tone(0.8), silence(0.1)]));
    const results = await client.waitForType("Results", 2);
    expect(results[1]).toMatchObject({
      is_final: true,
      speech_final: true,
      from_finalize: false,
      start: 0.8,
    });
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect((await client.closed).code).toBe(1000);
  });

  it("Finalize with a channel flushes only that channel", async () => {
    server = await startServer();
    const client = await connect(server.url, `${LINEAR16}&channels=2&multichannel=true`);
    await sendAudio(client.ws, Buffer.alloc(16_000 * 2 * 2 * 0.5));
    await sendText(client.ws, '{"type":"Finalize","channel":1}');
    const [flushed] = await client.waitForType("Results");
    expect(flushed).toMatchObject({ channel_index: [1, 2], from_finalize: true });
    await sendText(client.ws, '{"type":"CloseStream"}');
    await client.closed;
    expect(client.ofType("Results").filter((message) => message.from_finalize === true)).toHaveLength(1);
  });

  it("a zero-length binary frame ends the stream like CloseStream", async () => {
    server = await startServer();
    const client = await connect(server.url, LINEAR16);
    await sendAudio(client.ws, tone(0.4));
    client.ws.send(Buffer.alloc(0));
    expect(await client.closed).toEqual({ code: 1000, reason: "" });
    expect(client.messages.at(-1)).toMatchObject({ type: "Metadata", duration: 0.4 });
  });

  it("answers malformed JSON with an Error message and goes on", async () => {
    server = await startServer();
    const client = await connect(server.url, LINEAR16);
    await sendText(client.ws, "{not json");
    const [error] = await client.waitForType("Error");
    expect(Object.keys(error ?? {})).toEqual(["type", "variant", "description"]);
    expect(error).toMatchObject({ type: "Error", variant: "MALFORMED_MESSAGE" });
    await sendText(client.ws, '"a string"');
    await client.waitForType("Error", 2);
    await sendAudio(client.ws, Buffer.concat([tone(0.4), silence(0.1)]));
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect((await client.closed).code).toBe(1000);
    expect(client.ofType("Results").length).toBeGreaterThan(0);
  });

  it("answers an unknown control type with a Warning and goes on", async () => {
    server = await startServer();
    const client = await connect(server.url, LINEAR16);
    await sendText(client.ws, '{"type":"Rewind"}');
    const [warning] = await client.waitForType("Warning");
    expect(warning).toMatchObject({ type: "Warning", variant: "UNKNOWN_MESSAGE_TYPE" });
    expect(warning?.description).toContain("Rewind");
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect((await client.closed).code).toBe(1000);
  });

  it("Configure turns punctuation on mid-stream", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "a b c d" }) });
    const client = await connect(server.url, LINEAR16);
    await sendAudio(client.ws, Buffer.concat([tone(0.8), silence(0.1)]));
    await client.waitForType("Results");
    await sendText(client.ws, '{"type":"Configure","features":{"punctuate":true}}');
    await sendAudio(client.ws, Buffer.concat([tone(0.8), silence(0.1)]));
    await sendText(client.ws, '{"type":"CloseStream"}');
    await client.closed;
    const texts = client
      .ofType("Results")
      .map(
        (message) =>
          (message as { channel: { alternatives: Array<{ transcript: string }> } }).channel.alternatives[0]
            ?.transcript,
      );
    expect(texts.slice(0, 2)).toEqual(["a b", "C d."]);
  });
});

describe("closing", () => {
  it("closes 1011 with the recorded NET-0001 reason after the inactivity timeout, Metadata first", async () => {
    server = await startServer({ inactivityTimeoutMs: 200 });
    const client = await connect(server.url, LINEAR16);
    const close = await client.closed;
    expect(close).toEqual({ code: net0001.code, reason: net0001.reason });
    expect(client.messages.map((message) => message.type)).toEqual(["Metadata"]);
    const noAudio = JSON.parse(readFixture("messages/Metadata.no-audio.capture.json")) as Json;
    expect(keyShape(client.messages[0])).toEqual(keyShape(noAudio));
    expect(client.messages[0]).toMatchObject({
      duration: 0,
      channels: 1,
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    });
  });

  it("KeepAlive resets the inactivity timer (driven by a manual clock)", async () => {
    const clock = new ManualClock();
    server = await startServer({ clock });
    const client = await connect(server.url, LINEAR16);
    // An unknown type is answered with a Warning: once it arrives, every frame before it has been handled.
    let probes = 0;
    const handled = async () => client.waitForType("Warning", ++probes);
    await sendText(client.ws, '{"type":"Probe"}');
    await handled();
    // Three KeepAlives 6 s apart span 18 s, nearly twice the 10 s default timeout.
    for (let i = 0; i < 3; i++) {
      clock.advance(6_000);
      await sendText(client.ws, '{"type":"KeepAlive"}');
      await sendText(client.ws, '{"type":"Probe"}');
      await handled();
    }
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    expect(client.ofType("Metadata")).toEqual([]);
    clock.advance(9_999);
    await sendText(client.ws, '{"type":"Probe"}');
    await handled();
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    clock.advance(10_000);
    expect(await client.closed).toEqual({ code: net0001.code, reason: net0001.reason });
    expect(client.messages.at(-1)?.type).toBe("Metadata");
    expect(clock.pendingTimers).toBe(0);
  });

  it("frames still being worked through are not client silence: a CloseStream queued behind a slow Finalize ends with 1000, not NET-0001", async () => {
    const clock = new ManualClock();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finalizing = false;
    // The scripted engine, but its Finalize flush waits (as the offline engine does while it
    // catches up with audio it has queued).
    const slowFinalize: EngineFactory = async () => {
      const inner = await scriptedEngine({ transcript: "one two three four" })();
      return {
        name: inner.name,
        close: () => inner.close(),
        createStream(context, emit) {
          const stream = inner.createStream(context, emit);
          return {
            write: (samples) => stream.write(samples),
            flush: async (reason) => {
              if (reason === "finalize") {
                finalizing = true;
                await released;
              }
              return stream.flush(reason);
            },
            close: () => stream.close(),
          };
        },
      };
    };
    server = await startServer({ clock, engine: slowFinalize });
    const client = await connect(server.url, LINEAR16);
    const idleTimers = () => clock.delays.filter((ms) => ms === 10_000).length;
    const before = idleTimers();
    await sendAudio(client.ws, tone(0.8), 25_600); // one frame
    await sendText(client.ws, '{"type":"Finalize"}');
    await sendText(client.ws, '{"type":"CloseStream"}');
    // Each frame received re-arms the idle timer: all three have arrived.
    await waitFor(
      () => idleTimers() >= before + 3 && finalizing,
      "the frames to arrive and Finalize to wait",
    );
    clock.advance(10_000);
    clock.advance(10_000);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    release();
    expect(await client.closed).toEqual({ code: 1000, reason: "" });
    expect(client.messages.at(-1)?.type).toBe("Metadata");
    expect(client.ofType("Results").some((message) => message.from_finalize === true)).toBe(true);
  });

  it("audio resets the inactivity timer too", async () => {
    const clock = new ManualClock();
    server = await startServer({ clock, inactivityTimeoutMs: 1_000 });
    const client = await connect(server.url, `${LINEAR16}&interim_results=true`);
    for (let i = 1; i <= 3; i++) {
      clock.advance(900);
      // One second of audio yields one interim Results: proof the frame was handled.
      await sendAudio(client.ws, silence(1));
      await client.waitForType("Results", i);
    }
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    clock.advance(1_000);
    expect((await client.closed).code).toBe(1011);
  });

  it("closes 1008 DATA-0000 when JSON arrives as a binary frame", async () => {
    server = await startServer();
    const client = await connect(server.url, LINEAR16);
    client.ws.send(Buffer.from('{"type":"CloseStream"}'), { binary: true });
    const close = await client.closed;
    expect(close.code).toBe(1008);
    expect(close.reason).toMatch(/^DATA-0000/);
  });

  it("closes 1008 DATA-0000 for audio that is not WAV when no encoding is given", async () => {
    server = await startServer();
    const client = await connect(server.url, "");
    await sendAudio(client.ws, tone(0.2));
    const close = await client.closed;
    expect(close.code).toBe(1008);
    expect(close.reason).toMatch(/^DATA-0000: .*WAV/);
  });

  it("closes 1008 DATA-0000 for an encoding the server cannot decode", async () => {
    server = await startServer();
    const client = await connect(server.url, "encoding=opus&sample_rate=48000");
    await sendAudio(client.ws, Buffer.alloc(100, 7));
    const close = await client.closed;
    expect(close.code).toBe(1008);
    expect(close.reason).toContain("opus");
  });

  it("closes 1001 when the server shuts down", async () => {
    server = await startServer();
    const client = await connect(server.url, LINEAR16);
    await server.close();
    expect((await client.closed).code).toBe(1001);
  });
});
