import diagnosticsChannel from "node:diagnostics_channel";
import type { CloseReport, EarshotError, ResultsMessage } from "@earshot/core";
import { AbortedError, ConnectionClosedError, HandshakeError, OptionsError } from "@earshot/core";
import { type FaultPlan, type LocalServer, startServer } from "@earshot/server";
import { chunk, ManualClock, silence, waitFor } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  AsyncLiveClient,
  type AsyncLiveClientOptions,
  CLIENT_DIAGNOSTICS_CHANNELS,
  type ClientDiagnostics,
  LiveTranscriptionEvents,
} from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";
import { levelEngine, word } from "./support/level-engine.ts";

trapUnhandledRejections();

const LINEAR16 = { encoding: "linear16", sample_rate: 16_000 } as const;
/** Six words, w1…w6: 0.3 s of tone then 0.3 s of silence each, so word k spans 0.6(k-1) … +0.3 s. */
const WORDS = 6;
const AUDIO = Buffer.concat(Array.from({ length: WORDS }, (_, i) => [word(i + 1, 0.3), silence(0.3)]).flat());
/** 1.8 s: words 1–3 and their silences. */
const FIRST_PART = 57_600;
/** Inside word 4 (1.8–2.1 s = bytes 57 600–67 200). */
const DROP_AT = 62_000;

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose n-th connection (1-based) gets `plan(n)`; `connections()` counts upgrades. */
async function serverWith(plan: (n: number) => FaultPlan | undefined): Promise<() => number> {
  let connections = 0;
  server = await startServer({ engine: levelEngine(), faults: () => plan(++connections) });
  return () => connections;
}

/** A client on the test server that records what it reports. */
function recordingClient(options: AsyncLiveClientOptions = {}) {
  const client = new AsyncLiveClient({ url: server?.url, apiKey: "test-key", ...options });
  const finals: ResultsMessage[] = [];
  const errors: EarshotError[] = [];
  const closes: CloseReport[] = [];
  let opens = 0;
  client.on(LiveTranscriptionEvents.Open, () => opens++);
  client.on(LiveTranscriptionEvents.Transcript, (result) => {
    if (result.is_final && (result.channel.alternatives[0]?.words.length ?? 0) > 0) finals.push(result);
  });
  client.on(LiveTranscriptionEvents.Error, (error) => errors.push(error));
  client.on(LiveTranscriptionEvents.Close, (report) => closes.push(report));
  return { client, finals, errors, closes, opens: () => opens };
}

/** Sends `audio` in 0.1 s chunks; stops quietly at the first refused send (the stream failed). */
async function sendAll(client: AsyncLiveClient, audio: Buffer): Promise<void> {
  for (const part of chunk(audio, 0.1)) {
    try {
      await client.send(part);
    } catch {
      return;
    }
  }
}

const drop = (n: number): FaultPlan | undefined => (n === 1 ? { dropAfterBytes: DROP_AT } : undefined);

describe("reconnect with replay", () => {
  it("survives a dropped connection: every word once, in order, on one continuous timeline", async () => {
    const connections = await serverWith(drop);
    const { client, finals, errors, closes, opens } = recordingClient({ reconnect: { initialDelayMs: 10 } });
    await client.start(LINEAR16);
    await sendAll(client, AUDIO.subarray(0, FIRST_PART));
    // Words 1–3 are final (acknowledged) before the drop: only audio after them is replayed.
    await waitFor(() => finals.length === 3, "the first three finals");
    await sendAll(client, AUDIO.subarray(FIRST_PART));
    await waitFor(() => client.reconnects === 1, "the reconnect");
    const metadata = await client.finish();

    expect(metadata?.type).toBe("Metadata");
    expect(connections()).toBe(2);
    expect(errors).toEqual([]);
    expect(opens()).toBe(1);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.code).toBe(1000);
    const words = finals.flatMap((result) => result.channel.alternatives[0]?.words ?? []);
    expect(words.map((w) => w.word)).toEqual(["w1", "w2", "w3", "w4", "w5", "w6"]);
    words.forEach((w, i) => {
      expect(w.start).toBeCloseTo(0.6 * i, 1);
      expect(w.end).toBeCloseTo(0.6 * i + 0.3, 1);
    });
    // Final spans tile the timeline across the reconnect: each starts where the last ended.
    for (let i = 1; i < finals.length; i++) {
      const before = finals[i - 1] as ResultsMessage;
      expect(finals[i]?.start).toBeCloseTo(before.start + before.duration, 6);
    }
    const info = client.lastReconnect;
    expect(info?.error).toBeInstanceOf(ConnectionClosedError);
    expect(info?.error.closeCode).toBe(1006);
    expect(info?.offsetSeconds).toBeCloseTo(1.5, 2);
    expect(info?.replayedBytes).toBeGreaterThanOrEqual(DROP_AT - 48_000);
    expect(info?.lostSeconds).toBe(0);
    expect(info?.attempt).toBe(1);
  });

  it("reports audio lost over the replay bound, and still keeps the timeline right", async () => {
    const connections = await serverWith((n) => (n === 1 ? { dropAfterBytes: 32_000 } : undefined));
    const published: ClientDiagnostics["reconnected"][] = [];
    const listener = (data: unknown): void => {
      published.push(data as ClientDiagnostics["reconnected"]);
    };
    diagnosticsChannel.subscribe(CLIENT_DIAGNOSTICS_CHANNELS.reconnected, listener);
    try {
      const { client, finals, errors } = recordingClient({
        reconnect: { initialDelayMs: 1, replayMaxSeconds: 0.5 },
      });
      await client.start(LINEAR16);
      // 1 s of silence: no final covers it, so only its last 0.5 s is still held when the drop comes.
      await sendAll(client, silence(1));
      await waitFor(() => client.reconnects === 1, "the reconnect");
      await sendAll(client, Buffer.concat([word(1, 0.3), silence(0.3)]));
      expect((await client.finish())?.type).toBe("Metadata");

      expect(connections()).toBe(2);
      expect(errors).toEqual([]);
      expect(client.lastReconnect).toMatchObject({
        lostSeconds: 0.5,
        offsetSeconds: 0.5,
        replayedBytes: 16_000,
      });
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({ attempt: 1, lostSeconds: 0.5, replayedBytes: 16_000 });
      const words = finals.flatMap((result) => result.channel.alternatives[0]?.words ?? []);
      expect(words.map((w) => w.word)).toEqual(["w1"]);
      expect(words[0]?.start).toBeCloseTo(1, 1);
    } finally {
      diagnosticsChannel.unsubscribe(CLIENT_DIAGNOSTICS_CHANNELS.reconnected, listener);
    }
  });

  it("is off by default: the drop surfaces as Error then Close, as before", async () => {
    const connections = await serverWith(drop);
    const { client, errors, closes } = recordingClient();
    await client.start(LINEAR16);
    await sendAll(client, AUDIO);
    await waitFor(() => closes.length === 1, "the close");
    await expect(client.finish()).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(connections()).toBe(1);
    expect(client.reconnects).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(closes[0]?.error);
    expect(closes[0]?.code).toBe(1006);
  });

  it("never reconnects after a 1008 DATA close: the audio itself is the problem", async () => {
    const connections = await serverWith((n) =>
      n === 1
        ? { closeWith: { code: 1008, reason: "DATA-0000 could not decode", afterBytes: 6_400 } }
        : undefined,
    );
    const { client, errors, closes } = recordingClient({ reconnect: { initialDelayMs: 1 } });
    await client.start(LINEAR16);
    await sendAll(client, AUDIO);
    await waitFor(() => closes.length === 1, "the close");
    expect(closes[0]?.code).toBe(1008);
    expect(errors.map((error) => error.retryable)).toEqual([false]);
    expect(connections()).toBe(1);
    expect(client.state).toBe("closed");
  });

  it("stops at a 401 on the new connection: Error and Close carry the refusal", async () => {
    const connections = await serverWith((n) =>
      n === 1 ? { dropAfterBytes: 6_400 } : { refuseWith: { status: 401 } },
    );
    const { client, errors, closes } = recordingClient({ reconnect: { initialDelayMs: 1, attempts: 5 } });
    await client.start(LINEAR16);
    await sendAll(client, AUDIO);
    await waitFor(() => closes.length === 1, "the close");
    expect(connections()).toBe(2);
    expect(closes[0]?.error).toBeInstanceOf(HandshakeError);
    expect(closes[0]?.error).toHaveProperty("status", 401);
    expect(errors).toEqual([closes[0]?.error]);
    expect(client.reconnects).toBe(0);
  });

  it("gives up after the attempts: Error and Close carry the last attempt's error", async () => {
    const connections = await serverWith((n) =>
      n === 1 ? { dropAfterBytes: 6_400 } : { refuseWith: { status: 503 } },
    );
    const { client, errors, closes, opens } = recordingClient({
      reconnect: { initialDelayMs: 1, attempts: 2 },
    });
    await client.start(LINEAR16);
    await sendAll(client, AUDIO);
    await waitFor(() => closes.length === 1, "the close");
    expect(connections()).toBe(3);
    expect(closes[0]?.error).toBeInstanceOf(HandshakeError);
    expect(closes[0]?.error).toHaveProperty("status", 503);
    expect(errors).toEqual([closes[0]?.error]);
    expect(opens()).toBe(1);
    await expect(client.finish()).rejects.toBe(closes[0]?.error);
  });

  it("waits a full-jitter share of 250, 500, 1000 ms between attempts (on the injected clock)", async () => {
    const clock = new ManualClock();
    const connections = await serverWith((n) =>
      n === 1 ? { dropAfterBytes: 6_400 } : { refuseWith: { status: 503 } },
    );
    const { client, closes } = recordingClient({ reconnect: { clock, random: () => 0.5 } });
    await client.start(LINEAR16);
    await sendAll(client, AUDIO.subarray(0, 9_600));
    for (const [attempt, wait] of [125, 250, 500].entries()) {
      await waitFor(() => clock.pendingTimers === 1, `backoff ${attempt + 1}`);
      expect(client.state).toBe("connecting");
      clock.advance(wait - 1);
      expect(clock.pendingTimers).toBe(1);
      expect(connections()).toBe(attempt + 1);
      clock.advance(1);
      await waitFor(() => connections() === attempt + 2, `attempt ${attempt + 1}`);
    }
    await waitFor(() => closes.length === 1, "the close");
    expect(clock.delays).toEqual([125, 250, 500]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("abort() during a backoff wait closes the stream at once, without another connection", async () => {
    const clock = new ManualClock();
    const connections = await serverWith(drop);
    const { client, errors, closes } = recordingClient({ reconnect: { clock } });
    await client.start(LINEAR16);
    await sendAll(client, AUDIO);
    await waitFor(() => clock.pendingTimers === 1, "the backoff");
    client.abort("user gave up");
    expect(closes).toHaveLength(1);
    expect(closes[0]?.error).toBeInstanceOf(AbortedError);
    expect(errors).toEqual([closes[0]?.error]);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10_000);
    expect(connections()).toBe(1);
  });

  it("refuses audio it cannot replay (no encoding) before connecting", async () => {
    const connections = await serverWith(() => undefined);
    const { client } = recordingClient({ reconnect: true });
    await expect(client.start({ model: "nova-3" })).rejects.toBeInstanceOf(OptionsError);
    await expect(client.start({ ...LINEAR16, multichannel: true, channels: 2 })).rejects.toBeInstanceOf(
      OptionsError,
    );
    expect(connections()).toBe(0);
  });
});
