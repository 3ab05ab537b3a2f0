/**
 * The bundled recording (7 sentences, 1.5 s apart) through Flux on the real recognizer, in
 * both faces: one EndOfTurn per sentence (7), the words `/v1/listen` gives as finals for the
 * same audio, no rule of §8.6 broken, and the same turns (and the same sequence of turn events)
 * face to face. Audio goes out as fast as the clients take it, in Flux's advised 80 ms frames.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AsyncLiveClient } from "@earshot/async";
import { chunkAudio, type FluxTurn } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { audioDir } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asyncFluxFace } from "./async-flux-face.ts";
import { describeTurn, type FluxFaceKind, fluxPayloads, type RecordedFluxEvent } from "./flux-face.ts";
import { threadedFluxFace } from "./threaded-flux-face.ts";

const faces: readonly FluxFaceKind[] = [asyncFluxFace, threadedFluxFace];
const recording = readFileSync(join(audioDir, "recording.wav"));
/** 80 ms of the recording's 16 kHz linear16 (the WAV header travels in the first frame). */
const FRAME_BYTES = 2_560;
/** The recognizer runs a few times faster than real time on one core; the clients send faster still. */
const FINISH_TIMEOUT_MS = 90_000;
const words = (text: string): string[] => text.toLowerCase().match(/[a-z']+/g) ?? [];

let server: ServerThread | undefined;
let v1Finals: string[] = [];
const outcomes = new Map<string, { turns: FluxTurn[]; turnEvents: string[] }>();

beforeAll(async () => {
  server = await startServerThread({ engine: "pocketsphinx" });
  // The v1 finals of the same audio, through the same server and engine.
  const v1 = new AsyncLiveClient({ url: server.url, finishTimeoutMs: FINISH_TIMEOUT_MS });
  const finals: string[] = [];
  v1.on("Results", (result) => {
    const transcript = result.channel.alternatives[0]?.transcript ?? "";
    if (result.is_final && result.speech_final && transcript !== "") finals.push(transcript);
  });
  await v1.start({});
  for (const piece of chunkAudio(recording, 8_000)) await v1.send(piece);
  await v1.finish();
  v1Finals = finals;
}, 120_000);

afterAll(async () => {
  await server?.close();
  for (const kind of faces) await kind.cleanup();
});

/** StartOfTurn, EagerEndOfTurn, TurnResumed and EndOfTurn with their turn index, in order. */
function turnEvents(events: readonly RecordedFluxEvent[]): string[] {
  return events.flatMap(({ event, payload }) =>
    event === "StartOfTurn" || event === "EagerEndOfTurn" || event === "TurnResumed" || event === "EndOfTurn"
      ? [`${event} #${payload.turn_index}`]
      : [],
  );
}

describe.each(faces)("the bundled recording through Flux, $name face", (kind) => {
  it("7 EndOfTurn, word for word the 7 v1 finals, no rule broken", async () => {
    const face = kind.create();
    await face.start({ model: "flux-general-en" }, { url: server?.url, finishTimeoutMs: FINISH_TIMEOUT_MS });
    for (const piece of chunkAudio(recording, FRAME_BYTES)) await face.send(piece);
    await face.finish();

    expect(fluxPayloads(face.events, "protocolWarning")).toEqual([]);
    expect(fluxPayloads(face.events, "error")).toEqual([]);
    const turns = fluxPayloads(face.events, "turn");
    expect(v1Finals).toHaveLength(7);
    expect(turns).toHaveLength(7);
    expect(turns.every((turn) => turn.trigger === "model")).toBe(true);
    expect(turns.map((turn) => turn.turnIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Word for word, the last sentence included: the server ends a turn on the utterance its
    // recognizer ended itself (v1's), cut the same way whatever the frame sizes (2560 bytes
    // here, 8000 on v1).
    expect(turns.map((turn) => words(turn.transcript))).toEqual(v1Finals.map(words));
    outcomes.set(kind.name, { turns, turnEvents: turnEvents(face.events) });
  }, 120_000);
});

describe("both faces, the bundled recording", () => {
  it("give identical turns and the same sequence of turn events", () => {
    const [first, second] = faces.map((kind) => outcomes.get(kind.name));
    expect(first?.turns).toHaveLength(7);
    expect(second?.turns.map(describeTurn)).toEqual(first?.turns.map(describeTurn));
    expect(second?.turnEvents).toEqual(first?.turnEvents);
  });
});
