/**
 * Accuracy through the whole stack: twelve English sentences rendered with flite at test time
 * (examples/audio/accuracy-sentences.txt), one stream with pauses between them, sent through
 * each client face → the local server (on its own thread) → the pocketsphinx engine. The word
 * error rate over all sentences must stay within 10 %, and both faces must come back with the
 * same transcript. Audio goes out as fast as the clients take it, in 50 ms chunks.
 */
import { chunkAudio, type LiveOptions, type MetadataMessage, readWavHeader } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { readSentences, renderSpeechWav, silence, type WordErrorRate, wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asyncFace } from "./faces/async-face.ts";
import { type FaceKind, finalTranscripts, payloads, type RecordedEvent } from "./faces/face.ts";
import { threadedFace } from "./faces/threaded-face.ts";

const sentences = readSentences("accuracy-sentences.txt");
const faces: readonly FaceKind[] = [asyncFace, threadedFace];
const OPTIONS = {
  encoding: "linear16",
  sample_rate: 16_000,
  interim_results: true,
} as const satisfies LiveOptions;
/** 50 ms of 16 kHz linear16. */
const CHUNK_BYTES = 1_600;
const BYTES_PER_SECOND = 32_000;
/** Silence before, between and after the sentences: long enough for the recognizer's endpointing. */
const PAUSE_SECONDS = 1;
/**
 * The recognizer runs at a few times real time on one core, and the clients send faster than
 * that: finish() waits for it to catch up with the whole stream.
 */
const FINISH_TIMEOUT_MS = 90_000;

/** What one face brought back from the whole stream. */
interface Outcome {
  readonly events: readonly RecordedEvent[];
  readonly metadata: MetadataMessage | undefined;
  /** The final results' transcripts (non-empty), in order. */
  readonly finals: readonly string[];
  readonly wer: WordErrorRate;
}

/** The 16 kHz mono linear16 samples of a flite rendering of `text`. */
async function speechPcm(text: string): Promise<Buffer> {
  const wav = await renderSpeechWav(text, "kal16");
  const info = readWavHeader(wav);
  if (info?.format !== "linear16" || info.sampleRate !== 16_000 || info.channels !== 1) {
    throw new Error(`flite did not render 16 kHz mono linear16 for "${text}"`);
  }
  return wav.subarray(info.dataOffset, info.dataOffset + (info.dataLength ?? wav.length - info.dataOffset));
}

/** Streams `audio` through one face, unpaced, and finishes. */
async function transcribe(kind: FaceKind, url: string, audio: Buffer): Promise<Outcome> {
  const face = kind.create();
  await face.start(OPTIONS, { url, finishTimeoutMs: FINISH_TIMEOUT_MS });
  for (const piece of chunkAudio(audio, CHUNK_BYTES)) await face.send(piece);
  const metadata = await face.finish();
  const finals = finalTranscripts(face.events);
  const wer = wordErrorRate(sentences.join(" "), finals.join(" "));
  console.log(
    `accuracy, ${kind.name} face: ${sentences.length} flite sentences (kal16, ${(audio.length / BYTES_PER_SECOND).toFixed(1)} s): ` +
      `WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.referenceWords} words: ` +
      `${wer.substitutions} substituted, ${wer.deletions} deleted, ${wer.insertions} inserted)`,
  );
  return { events: face.events, metadata, finals, wer };
}

let server: ServerThread | undefined;
let audioSeconds = 0;
const outcomes = new Map<FaceKind, Outcome>();

// One stream per face, one after the other (the recognizer is CPU-bound): the tests below
// judge them.
beforeAll(async () => {
  const speech = await Promise.all(sentences.map(speechPcm));
  const audio = Buffer.concat([
    ...speech.flatMap((pcm) => [silence(PAUSE_SECONDS), pcm]),
    silence(PAUSE_SECONDS),
  ]);
  audioSeconds = audio.length / BYTES_PER_SECOND;
  server = await startServerThread({ engine: "pocketsphinx" });
  for (const kind of faces) outcomes.set(kind, await transcribe(kind, server.url, audio));
}, 240_000);

afterAll(async () => {
  await server?.close();
  for (const kind of faces) await kind.cleanup();
});

function outcome(kind: FaceKind): Outcome {
  const found = outcomes.get(kind);
  if (found === undefined) throw new Error(`no transcript from the ${kind.name} face`);
  return found;
}

describe("accuracy through the whole stack (flite → client → local server → pocketsphinx)", () => {
  it("reads at least ten sentences, at most a minute of audio", () => {
    expect(sentences.length).toBeGreaterThanOrEqual(10);
    expect(audioSeconds).toBeLessThanOrEqual(60);
  });

  it.each(faces)("the $name face: word error rate at most 10 %", (kind) => {
    expect(outcome(kind).wer.rate).toBeLessThanOrEqual(0.1);
  });

  it.each(faces)(
    "the $name face: the whole stream, one final per sentence, ended by Metadata and Close",
    (kind) => {
      const { events, metadata } = outcome(kind);
      expect(metadata?.duration).toBeCloseTo(audioSeconds, 1);
      expect(events.map((recorded) => recorded.event)).not.toContain("error");
      expect(events.slice(-2).map((recorded) => recorded.event)).toEqual(["Metadata", "close"]);
      const endpointed = payloads(events, "Results").filter(
        (result) => result.is_final && result.speech_final,
      );
      expect(endpointed).toHaveLength(sentences.length);
    },
  );

  it("both faces give identical transcripts, final by final", () => {
    const [first, ...rest] = faces.map((kind) => outcome(kind).finals);
    expect(first?.length).toBeGreaterThan(0);
    for (const other of rest) expect(other).toEqual(first);
  });
});
