import { type EarshotError, isEarshotError, type ServerMessage } from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncLiveClient, type Utterance } from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const OPTIONS = { encoding: "linear16", sample_rate: 16_000, interim_results: true } as const;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ engine: scriptedEngine({ transcript: "one two three four five six" }) });
});
afterAll(async () => {
  await server.close();
});

/** Three utterances of two words each (0.8 s of speech, then a pause that ends it). */
function speech(): Buffer {
  return Buffer.concat([tone(0.8), silence(0.6), tone(0.8), silence(0.6), tone(0.8), silence(0.6)]);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * Sends `audio` in 0.1 s chunks, a timer turn apart: as a live source does. (Chunks sent in one
 * turn leave in one write, which a server that drops after N bytes would take whole.)
 */
async function sendAll(client: AsyncLiveClient, audio: Buffer): Promise<void> {
  for (const part of chunk(audio, 0.1)) {
    await client.send(part);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function text(message: ServerMessage): string {
  return message.type === "Results"
    ? `${message.is_final ? "F" : "I"}:${message.channel.alternatives[0]?.transcript}`
    : message.type;
}

describe("for await over the client", () => {
  it("sees every message in order, two iterators alike, ending after Metadata", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    const viaEvents: ServerMessage[] = [];
    for (const event of ["Results", "Metadata", "UtteranceEnd", "SpeechStarted", "Unhandled"] as const) {
      client.on(event, (message) => viaEvents.push(message));
    }
    await client.start({ ...OPTIONS, utterance_end_ms: 1000, vad_events: true });
    const first = collect(client);
    const second = collect(client);
    await sendAll(client, speech());
    await client.finish();
    const [a, b] = await Promise.all([first, second]);
    expect(a.map(text)).toEqual(viaEvents.map(text));
    expect(b.map(text)).toEqual(viaEvents.map(text));
    expect(a.at(-1)?.type).toBe("Metadata");
    expect(a.filter((m) => m.type === "Results" && !m.is_final).length).toBeGreaterThan(0);
  });

  it("break releases an iterator mid-stream; the stream and finish() go on", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    await client.start(OPTIONS);
    const sending = sendAll(client, speech());
    let firstResult: ServerMessage | undefined;
    for await (const message of client) {
      firstResult = message;
      break;
    }
    const rest = collect(client.finals());
    await sending;
    const metadata = await client.finish();
    expect(firstResult?.type).toBe("Results");
    expect(metadata?.type).toBe("Metadata");
    expect((await rest).length).toBeGreaterThan(0);
  });

  it("views: transcripts() every Results, finals() final ones, utterances() joined at endpoints", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    await client.start(OPTIONS);
    const transcripts = collect(client.transcripts());
    const finals = collect(client.finals());
    const utterances = collect(client.utterances());
    await sendAll(client, speech());
    await client.finish();
    const all = await transcripts;
    expect(all.every((m) => m.type === "Results")).toBe(true);
    expect(all.some((m) => !m.is_final)).toBe(true);
    const finalList = await finals;
    expect(finalList.every((m) => m.is_final)).toBe(true);
    expect(finalList.length).toBe(all.filter((m) => m.is_final).length);
    const joined: Utterance[] = await utterances;
    expect(joined.map((u) => u.transcript)).toEqual(["one two", "three four", "five six"]);
    expect(joined[1]?.words.map((w) => w.word)).toEqual(["three", "four"]);
    expect(joined[0]?.start).toBeLessThan(joined[0]?.end ?? 0);
    expect(joined[2]?.start).toBeGreaterThan(joined[1]?.end ?? Number.POSITIVE_INFINITY);
  });

  it("a lost connection delivers what arrived, then rejects next() with the typed error", async () => {
    const dropping = await startServer({
      engine: scriptedEngine({ transcript: "one two three four five six" }),
      faults: { dropAfterBytes: 2 * 32_000 },
    });
    try {
      const client = new AsyncLiveClient({ url: dropping.url, apiKey: "test-key" });
      const viaEvents: ServerMessage[] = [];
      client.on("Results", (message) => viaEvents.push(message));
      let closeError: EarshotError | undefined;
      client.on("close", (report) => {
        closeError = report.error;
      });
      await client.start(OPTIONS);
      const iterator = client[Symbol.asyncIterator]();
      const finals = client.finals();
      // The socket may take all the audio before the server drops it, or send() may meet the
      // close: either way the producer is not left hanging.
      const sending = sendAll(client, speech()).catch(() => undefined);
      const seen: ServerMessage[] = [];
      const failure = await (async () => {
        for (let i = 0; i < 10_000; i++) {
          const next = await iterator.next();
          if (next.done) return undefined;
          seen.push(next.value);
        }
        return undefined;
      })().catch((error: unknown) => error);
      expect(isEarshotError(failure)).toBe(true);
      expect(failure).toBe(closeError);
      expect(["ERR_CONNECTION_CLOSED", "ERR_CONNECTION_FAILED"]).toContain((failure as EarshotError).code);
      expect((failure as EarshotError).retryable).toBe(true);
      expect(seen.map(text)).toEqual(viaEvents.map(text));
      expect(seen.length).toBeGreaterThan(0);
      await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
      await expect(collect(finals)).rejects.toBe(closeError);
      await sending;
      // Sending on a failed stream is refused with a typed error.
      await expect(client.send(Buffer.alloc(320))).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
      // An iterator attached after the failure sees the failure at once.
      await expect(client[Symbol.asyncIterator]().next()).rejects.toBe(closeError);
      await expect(client.finish()).rejects.toBe(closeError);
    } finally {
      await dropping.close();
    }
  });
});
