import { createHash } from "node:crypto";
import { readFixture, silence, tone, wav } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type LocalServer, scriptedEngine, startServer } from "../src/index.ts";
import { connect, interleave, type Json, keyShape, sendAudio, sendText } from "./helpers/ws-client.ts";

const fixture = (name: string) => JSON.parse(readFixture(`messages/${name}`)) as Json;
const LINEAR16 = "encoding=linear16&sample_rate=16000";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function transcribe(query: string, audio: Buffer, transcript = "Hello there world") {
  server = await startServer({ engine: scriptedEngine({ transcript }) });
  const client = await connect(server.url, query);
  await sendAudio(client.ws, audio);
  await sendText(client.ws, '{"type":"CloseStream"}');
  const close = await client.closed;
  return { client, close };
}

function transcripts(messages: Json[], isFinal = true): string[] {
  return messages
    .filter((message) => message.type === "Results" && message.is_final === isFinal)
    .map(
      (message) =>
        (message as { channel: { alternatives: Array<{ transcript: string }> } }).channel.alternatives[0]
          ?.transcript ?? "",
    );
}

describe("results", () => {
  it("streams finals, one Metadata, then closes 1000, in the recorded shapes", async () => {
    const audio = Buffer.concat([tone(1.2), silence(0.2)]);
    const { client, close } = await transcribe(`${LINEAR16}&punctuate=true`, audio);
    expect(close).toEqual({ code: 1000, reason: "" });
    const types = client.messages.map((message) => message.type);
    expect(types.at(-1)).toBe("Metadata");
    expect(types.filter((type) => type === "Metadata")).toHaveLength(1);

    const [final] = client.ofType("Results");
    expect(keyShape(final)).toEqual(keyShape(fixture("Results.docs-getting-started.json")));
    expect(final).toMatchObject({
      channel_index: [0, 1],
      start: 0,
      duration: 1.21,
      is_final: true,
      speech_final: true,
      from_finalize: false,
      channel: {
        alternatives: [
          {
            transcript: "Hello there world.",
            confidence: 0.99,
            words: [
              { word: "hello", start: 0, end: 0.4, confidence: 0.99, punctuated_word: "Hello" },
              { word: "there", start: 0.4, end: 0.8, confidence: 0.99, punctuated_word: "there" },
              { word: "world", start: 0.8, end: 1.2, confidence: 0.99, punctuated_word: "world." },
            ],
          },
        ],
      },
      metadata: {
        request_id: client.headers["dg-request-id"],
        model_info: { name: "earshot-scripted", arch: "base" },
      },
    });

    const [metadata] = client.ofType("Metadata");
    // model_info is keyed by model uuid: compare its values' shape, not the uuid itself.
    const byModel = (message: Json | undefined) => ({
      ...message,
      model_info: Object.values(message?.model_info as Json),
    });
    expect(keyShape(byModel(metadata))).toEqual(keyShape(byModel(fixture("Metadata.full.capture.json"))));
    expect(metadata).toMatchObject({
      transaction_key: "deprecated",
      request_id: client.headers["dg-request-id"],
      sha256: createHash("sha256").update(audio).digest("hex"),
      duration: 1.4,
      channels: 1,
      models: [(final as { metadata: { model_uuid: string } }).metadata.model_uuid],
    });
    expect(new Date(metadata?.created as string).toISOString()).toBe(metadata?.created);
  });

  it("leaves punctuated_word out unless punctuate or smart_format is asked for", async () => {
    const { client } = await transcribe(LINEAR16, Buffer.concat([tone(0.8), silence(0.1)]));
    const [final] = client.ofType("Results") as Array<{
      channel: { alternatives: Array<{ transcript: string; words: Json[] }> };
    }>;
    expect(final?.channel.alternatives[0]?.transcript).toBe("hello there");
    expect(Object.keys(final?.channel.alternatives[0]?.words[0] ?? {})).toEqual([
      "word",
      "start",
      "end",
      "confidence",
    ]);
  });

  it("sends interim results about once per second of audio", async () => {
    const { client } = await transcribe(
      `${LINEAR16}&interim_results=true&smart_format=true`,
      tone(2.5),
      "a b c d e f g",
    );
    const interims = client.messages.filter((message) => message.is_final === false);
    expect(keyShape(interims[1])).toEqual(keyShape(fixture("Results.interim-words.capture.json")));
    expect(interims.map((message) => [message.start, message.duration])).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(transcripts(client.messages, false)).toEqual(["A b", "A b c d e"]);
    expect(transcripts(client.messages)).toEqual(["A b c d e f."]);
  });

  it("sends empty interim results during silence", async () => {
    const { client } = await transcribe(`${LINEAR16}&interim_results=true`, silence(1.0));
    const [interim] = client.messages.filter((message) => message.is_final === false);
    expect(keyShape(interim)).toEqual(keyShape(fixture("Results.interim-empty.capture.json")));
    expect(interim).toMatchObject({
      start: 0,
      duration: 1,
      channel: { alternatives: [{ transcript: "", confidence: 0, words: [] }] },
    });
  });

  it("marks endpoints speech_final after `endpointing` ms of silence, never with endpointing=false", async () => {
    const audio = Buffer.concat([tone(0.8), silence(0.2), tone(0.8), silence(0.4)]);
    const withEndpointing = await transcribe(`${LINEAR16}&endpointing=300`, audio, "a b c d");
    const finals = withEndpointing.client.messages.filter((message) => message.is_final === true);
    expect(finals.map((message) => [message.speech_final, message.start, message.duration])).toEqual([
      [true, 0, 2.1],
      [false, 2.1, 0.1],
    ]);
    await server?.close();
    const withoutEndpointing = await transcribe(`${LINEAR16}&endpointing=false`, audio, "a b c d");
    const speechFinals = withoutEndpointing.client.messages.filter(
      (message) => message.speech_final === true,
    );
    expect(speechFinals).toEqual([]);
    expect(transcripts(withoutEndpointing.client.messages).join(" ").trim()).toBe("a b c d");
  });

  it("sends UtteranceEnd after utterance_end_ms of audio without words", async () => {
    const query = `${LINEAR16}&interim_results=true&utterance_end_ms=1000`;
    const { client } = await transcribe(query, Buffer.concat([tone(0.8), silence(1.2)]), "one two");
    const [utteranceEnd] = client.ofType("UtteranceEnd");
    expect(keyShape(utteranceEnd)).toEqual(keyShape(fixture("UtteranceEnd.docs-eos-guide.json")));
    expect(utteranceEnd).toEqual({ type: "UtteranceEnd", channel: [0, 1], last_word_end: 0.8 });
    const order = client.messages.map((message) =>
      message.type === "Results" ? `Results:${message.is_final}` : message.type,
    );
    expect(order.indexOf("UtteranceEnd")).toBeGreaterThan(order.indexOf("Results:true"));
  });

  it("sends no UtteranceEnd while speech goes on, nor for a pause shorter than utterance_end_ms", async () => {
    const query = `${LINEAR16}&interim_results=true&utterance_end_ms=1000`;
    // One frame holding long speech, a 0.5 s pause, more speech, then a long silence.
    const audio = Buffer.concat([tone(3.2), silence(0.5), tone(0.8), silence(1.2)]);
    server = await startServer({ engine: scriptedEngine({ transcript: "a b c d e f g h i j" }) });
    const client = await connect(server.url, query);
    await sendAudio(client.ws, audio, audio.length);
    await sendText(client.ws, '{"type":"CloseStream"}');
    await client.closed;
    expect(client.ofType("UtteranceEnd")).toEqual([
      { type: "UtteranceEnd", channel: [0, 1], last_word_end: 4.5 },
    ]);
  });

  it("sends SpeechStarted with vad_events", async () => {
    const { client } = await transcribe(
      `${LINEAR16}&vad_events=true`,
      Buffer.concat([silence(0.5), tone(0.5), silence(0.1)]),
    );
    const [started] = client.ofType("SpeechStarted");
    expect(keyShape(started)).toEqual(keyShape(fixture("SpeechStarted.docs.json")));
    expect(started).toEqual({ type: "SpeechStarted", channel: [0, 1], timestamp: 0.5 });
    await server?.close();
    const quiet = await transcribe(LINEAR16, Buffer.concat([silence(0.5), tone(0.5), silence(0.1)]));
    expect(quiet.client.ofType("SpeechStarted")).toEqual([]);
  });

  it("transcribes each channel on its own with multichannel", async () => {
    const left = Buffer.concat([tone(0.8), silence(0.2)]);
    const right = Buffer.concat([silence(0.2), tone(0.4), silence(0.4)]);
    const query = "encoding=linear16&sample_rate=16000&channels=2&multichannel=true";
    const { client } = await transcribe(query, interleave(left, right), "left right");
    const finals = client.messages.filter(
      (message) => message.is_final === true && transcripts([message])[0] !== "",
    );
    const byChannel = new Map(
      finals.map((message) => [JSON.stringify(message.channel_index), transcripts([message])[0]]),
    );
    expect(finals).toHaveLength(2);
    expect(byChannel.get("[0,2]")).toBe("left right");
    expect(byChannel.get("[1,2]")).toBe("left");
    expect(client.ofType("Metadata")[0]).toMatchObject({ channels: 2, duration: 1 });
  });

  it("downmixes channels to one stream without multichannel", async () => {
    const { client } = await transcribe(
      "encoding=linear16&sample_rate=16000&channels=2",
      interleave(tone(0.8), tone(0.8)),
      "a b",
    );
    expect(new Set(client.ofType("Results").map((message) => JSON.stringify(message.channel_index)))).toEqual(
      new Set(["[0,1]"]),
    );
    expect(transcripts(client.messages).join(" ").trim()).toBe("a b");
  });

  it("echoes extra in metadata.extra, placed as on the wire", async () => {
    const { client } = await transcribe(
      `${LINEAR16}&extra=example:param`,
      Buffer.concat([tone(0.4), silence(0.1)]),
    );
    const [result] = client.ofType("Results") as Array<{ metadata: Json }>;
    expect(keyShape({ metadata: result?.metadata })).toEqual(
      keyShape(fixture("Results.metadata-with-extra.fragment.json")),
    );
    expect(result?.metadata.extra).toEqual({ example: "param" });
  });

  it("reports the requested model's arch and a stable model uuid", async () => {
    const first = await transcribe(`${LINEAR16}&model=nova-3`, Buffer.concat([tone(0.4), silence(0.1)]));
    const [result] = first.client.ofType("Results") as Array<{
      metadata: { model_uuid: string; model_info: Json };
    }>;
    expect(result?.metadata.model_info).toMatchObject({ name: "earshot-scripted", arch: "nova-3" });
    const second = await connect((server as LocalServer).url, `${LINEAR16}&model=nova-3`);
    await sendAudio(second.ws, Buffer.concat([tone(0.4), silence(0.1)]));
    const [again] = (await second.waitForType("Results")) as Array<{ metadata: { model_uuid: string } }>;
    expect(again?.metadata.model_uuid).toBe(result?.metadata.model_uuid);
    second.ws.close();
    await second.closed;
  });
});

describe("audio formats", () => {
  it("gives the same results for frames split at odd byte offsets", async () => {
    const audio = Buffer.concat([tone(0.8), silence(0.1), tone(0.4), silence(0.1)]);
    const aligned = await transcribe(LINEAR16, audio, "a b c");
    await server?.close();
    server = await startServer({ engine: scriptedEngine({ transcript: "a b c" }) });
    const client = await connect(server.url, LINEAR16);
    await sendAudio(client.ws, audio, 1_001);
    await sendText(client.ws, '{"type":"CloseStream"}');
    await client.closed;
    const strip = (messages: Json[]) =>
      messages.filter((m) => m.type === "Results").map((m) => JSON.stringify(m.channel));
    expect(strip(client.messages)).toEqual(strip(aligned.client.messages));
  });

  it("decodes mulaw and alaw", async () => {
    // 0x80/0x00 are the loudest μ-law codes, 0xff is zero; 0xaa/0x2a and 0xd5 likewise for A-law.
    const loud = (a: number, b: number, seconds: number) =>
      Buffer.from(Array.from({ length: 8_000 * seconds }, (_, i) => (i % 2 ? a : b)));
    const quiet = (code: number, seconds: number) => Buffer.alloc(8_000 * seconds, code);
    const mulaw = await transcribe(
      "encoding=mulaw&sample_rate=8000",
      Buffer.concat([loud(0x80, 0x00, 0.8), quiet(0xff, 0.1)]),
      "mu law",
    );
    expect(transcripts(mulaw.client.messages)[0]).toBe("mu law");
    expect(mulaw.client.ofType("Metadata")[0]).toMatchObject({ duration: 0.9 });
    await server?.close();
    const alaw = await transcribe(
      "encoding=alaw&sample_rate=8000",
      Buffer.concat([loud(0xaa, 0x2a, 0.8), quiet(0xd5, 0.1)]),
      "a law",
    );
    expect(transcripts(alaw.client.messages)[0]).toBe("a law");
  });

  it("reads a WAV container when no encoding is given", async () => {
    const pcm = Buffer.concat([tone(0.8, { sampleRate: 8_000 }), silence(0.1, { sampleRate: 8_000 })]);
    const { client, close } = await transcribe("", wav(pcm, { sampleRate: 8_000 }), "from wav");
    expect(close.code).toBe(1000);
    expect(transcripts(client.messages)[0]).toBe("from wav");
    expect(client.ofType("Metadata")[0]).toMatchObject({ duration: 0.9, channels: 1 });
  });
});
