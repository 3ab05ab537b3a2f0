/**
 * The whole local server with the real recognizer: a raw WebSocket client streams the bundled
 * recording and reads Deepgram-shaped messages back, as any Deepgram client would.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveDecoderThreads } from "../src/engines/pocketsphinx/decoder-thread.ts";
import { type LocalServer, pocketsphinxEngine, startServer } from "../src/index.ts";
import { audioDir, readRecording, readSentences } from "./helpers/flite.ts";
import { connect, interleave, type Json, sendAudio, sendText } from "./helpers/ws-client.ts";

interface ResultsJson {
  type: "Results";
  channel_index: [number, number];
  start: number;
  duration: number;
  is_final: boolean;
  speech_final: boolean;
  from_finalize: boolean;
  channel: { alternatives: { transcript: string; words: { word: string; start: number; end: number }[] }[] };
  metadata: { model_info: { name: string } };
}

const recording = readRecording();
const recordingWav = readFileSync(join(audioDir, "recording.wav"));
let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ engine: pocketsphinxEngine() });
}, 60_000);

afterAll(async () => {
  await server?.close();
  // The server's close closes the engine, which ends every decoder thread.
  expect(liveDecoderThreads()).toBe(0);
});

const results = (messages: Json[]): ResultsJson[] =>
  messages.filter((message) => message.type === "Results") as unknown as ResultsJson[];
const transcriptOf = (finals: ResultsJson[]): string =>
  finals
    .map((result) => result.channel.alternatives[0]?.transcript ?? "")
    .filter((text) => text.length > 0)
    .join(" ");

describe("local server with the pocketsphinx engine", () => {
  it("transcribes the bundled WAV file: Results, then Metadata, then close 1000", async () => {
    const client = await connect(server.url, "interim_results=true");
    await sendAudio(client.ws, recordingWav, 8_000);
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect(await client.closed).toEqual({ code: 1000, reason: "" });

    const types = client.messages.map((message) => message.type);
    expect(types.at(-1)).toBe("Metadata");
    expect(types.filter((type) => type === "Metadata")).toHaveLength(1);
    expect(new Set(types.slice(0, -1))).toEqual(new Set(["Results"]));

    const all = results(client.messages);
    const finals = all.filter((result) => result.is_final);
    expect(all.some((result) => !result.is_final)).toBe(true);
    const wer = wordErrorRate(recording.reference, transcriptOf(finals));
    console.info(
      `through the server: WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.referenceWords})`,
    );
    expect(wer.rate).toBeLessThanOrEqual(0.1);
    expect(finals.filter((result) => result.speech_final)).toHaveLength(
      readSentences("reference.txt").length,
    );
    expect(all[0]?.metadata.model_info.name).toContain("pocketsphinx");

    // Word times are seconds of the stream and lie inside their result's span.
    const duration = recording.samples.length / recording.sampleRate;
    for (const result of finals) {
      for (const word of result.channel.alternatives[0]?.words ?? []) {
        expect(word.start).toBeGreaterThanOrEqual(result.start - 1e-6);
        expect(word.end).toBeLessThanOrEqual(result.start + result.duration + 1e-6);
        expect(word.end).toBeLessThanOrEqual(duration + 1e-6);
      }
    }
  }, 120_000);

  it("Finalize flushes the utterance in progress as a from_finalize final", async () => {
    const client = await connect(server.url, "encoding=linear16&sample_rate=16000");
    const pcm = Buffer.from(
      recording.samples.buffer,
      recording.samples.byteOffset,
      recording.samples.byteLength,
    );
    // 2.1 s ends in the middle of the first sentence, before any silence could end it.
    await sendAudio(client.ws, pcm.subarray(0, 2.1 * 16_000 * 2));
    await sendText(client.ws, '{"type":"Finalize"}');
    const [flushed] = (await client.waitForType("Results", 1, 60_000)) as unknown as ResultsJson[];
    expect(flushed?.is_final).toBe(true);
    expect(flushed?.from_finalize).toBe(true);
    expect(flushed?.channel.alternatives[0]?.transcript).toMatch(/^good morning/);
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect(await client.closed).toEqual({ code: 1000, reason: "" });
  }, 120_000);

  it("transcribes each channel on its own with multichannel (48 kHz stereo)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "earshot-stereo-"));
    try {
      // Channel 0: the first two sentences resampled by sox; channel 1: silence.
      const file = join(dir, "left.raw");
      await new Promise<void>((resolve, reject) => {
        execFile(
          "sox",
          [
            join(audioDir, "recording.wav"),
            "-r",
            "48000",
            "-b",
            "16",
            "-e",
            "signed-integer",
            "-t",
            "raw",
            file,
          ],
          { timeout: 30_000 },
          (error) => (error ? reject(error) : resolve()),
        );
      });
      const left = (await readFile(file)).subarray(0, 9 * 48_000 * 2);
      const stereo = interleave(left, Buffer.alloc(left.length));
      const client = await connect(
        server.url,
        "encoding=linear16&sample_rate=48000&channels=2&multichannel=true",
      );
      await sendAudio(client.ws, stereo, 19_200);
      await sendText(client.ws, '{"type":"CloseStream"}');
      expect(await client.closed).toEqual({ code: 1000, reason: "" });
      const finals = results(client.messages).filter((result) => result.is_final);
      const channel0 = finals.filter((result) => result.channel_index[0] === 0);
      const channel1 = finals.filter((result) => result.channel_index[0] === 1);
      expect(finals.every((result) => result.channel_index[1] === 2)).toBe(true);
      const firstTwo = readSentences("reference.txt").slice(0, 2).join(" ");
      expect(wordErrorRate(firstTwo, transcriptOf(channel0)).rate).toBeLessThanOrEqual(0.2);
      expect(transcriptOf(channel1)).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
