/**
 * Flux on the real recognizer: the bundled recording (7 sentences, 1.5 s apart) through
 * `/v2/listen` gives one EndOfTurn per sentence, with the same words pocketsphinx gives
 * `/v1/listen` as finals, and every message keeps §8.6's rules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FluxTurnTracker, parseFluxMessage } from "@earshot/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, pocketsphinxEngine, startServer } from "../src/index.ts";
import { audioDir } from "./helpers/flite.ts";
import { connect, sendAudio, sendText, type TestClient } from "./helpers/ws-client.ts";

const recordingWav = readFileSync(join(audioDir, "recording.wav"));
let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ engine: pocketsphinxEngine() });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const words = (text: string): string[] => text.toLowerCase().match(/[a-z']+/g) ?? [];

/** The v1 speech_final transcripts of the recording. */
async function v1Finals(): Promise<string[]> {
  const v1 = await connect(server.url, "");
  await sendAudio(v1.ws, recordingWav, 8_000);
  await sendText(v1.ws, '{"type":"CloseStream"}');
  await v1.closed;
  return v1
    .ofType("Results")
    .filter((result) => result.is_final === true && result.speech_final === true)
    .map(
      (result) =>
        (result as { channel: { alternatives: { transcript: string }[] } }).channel.alternatives[0]
          ?.transcript ?? "",
    )
    .filter((text) => text !== "");
}

/** The recording through /v2/listen in Flux's advised 80 ms frames, then CloseStream. */
async function fluxStream(): Promise<TestClient> {
  const v2 = await connect(server.url, "model=flux-general-en", { path: "/v2/listen" });
  await sendAudio(v2.ws, recordingWav, 2_560);
  await sendText(v2.ws, '{"type":"CloseStream"}');
  return v2;
}

describe("/v2/listen with the pocketsphinx engine", () => {
  it("the bundled recording: one EndOfTurn per sentence, the words of the v1 finals, no rule broken", async () => {
    // Both endpoints at once, on two decoders: the same audio, the same engine.
    const [finals, v2] = await Promise.all([v1Finals(), fluxStream()]);
    expect((await v2.closed).code).toBe(1005);
    const tracker = new FluxTurnTracker();
    const turns = [];
    for (const text of v2.texts) {
      const observation = tracker.observe(parseFluxMessage(text));
      expect(observation.warnings).toEqual([]);
      if (observation.turn) turns.push(observation.turn);
    }
    expect(finals).toHaveLength(7);
    expect(turns).toHaveLength(7);
    expect(turns.every((turn) => turn.trigger === "model")).toBe(true);
    // Word for word, the last sentence included: a turn ends on the utterance the recognizer
    // ended itself, which is v1's, and the recognizer cuts the same audio the same way whatever
    // frame sizes it arrives in (80 ms here, 250 ms on v1).
    expect(turns.map((turn) => words(turn.transcript))).toEqual(finals.map(words));
  }, 180_000);
});
