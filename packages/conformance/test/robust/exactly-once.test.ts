/**
 * Exactly once, through both faces: scripted speech sent faster than real time while the server
 * drops the connection at seeded points (drop-scenarios.ts). With `reconnect`, the final words
 * must be the script's, each exactly once, in order, each within 20 ms of where a drop-free run
 * of the same face puts it; audio the replay bound gave up must be reported, never lost
 * silently. The seed is printed; `EARSHOT_DROP_SEED=<n>` replays a run.
 */
import type { ReconnectOptions } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { seededRandom, seedFromEnv, waitFor } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asyncFace } from "../faces/async-face.ts";
import { type Face, type FaceKind, names, payloads } from "../faces/face.ts";
import { threadedFace } from "../faces/threaded-face.ts";
import { type DropScenario, dropScenarios, type HoldPoint } from "./drop-scenarios.ts";
import { BYTES_PER_SECOND, SERVER_SCRIPT, type SpokenScript, type SpokenWord } from "./spoken-script.ts";

const faces: readonly FaceKind[] = [asyncFace, threadedFace];
const PCM = { encoding: "linear16", sample_rate: 16_000 } as const;
const SEED = seedFromEnv("EARSHOT_DROP_SEED", "exactly-once");
const SCENARIOS = dropScenarios(seededRandom(SEED));
/** 100 ms of audio per send. */
const CHUNK_BYTES = 3_200;
/**
 * The sender stays at most this far ahead of the last final: faster than real time by as much
 * as the machine allows, while the replay (audio no final covers yet) stays far below its bound.
 * More than the longest utterance and its pause (4.5 s), so a final is always on its way.
 */
const LEAD_SECONDS = 6;
const TOLERANCE_SECONDS = 0.02;
const FAST_RECONNECT: ReconnectOptions = { initialDelayMs: 10, maxDelayMs: 20, maxAttemptsPerWindow: 100 };

let dropFree: ServerThread;
beforeAll(async () => {
  dropFree = await startServerThread({ script: SERVER_SCRIPT });
});
afterAll(async () => {
  await dropFree?.close();
  for (const kind of faces) await kind.cleanup();
});

/** Every word of every final result, in delivery order. */
function finalWords(face: Face): SpokenWord[] {
  return payloads(face.events, "Results")
    .filter((result) => result.is_final)
    .flatMap((result) => result.channel.alternatives[0]?.words ?? [])
    .map(({ word, start, end }) => ({ word, start, end }));
}

/** End of the last final result delivered: the audio the server has confirmed. */
function confirmedSeconds(face: Face): number {
  let end = 0;
  for (const result of payloads(face.events, "Results")) {
    if (result.is_final) end = Math.max(end, result.start + result.duration);
  }
  return end;
}

const count = (face: Face, event: "reconnected" | "reconnecting"): number =>
  names(face.events).filter((name) => name === event).length;

/** Sends `audio[from, to)` in chunks, never more than LEAD_SECONDS ahead of the last final. */
async function sendRange(face: Face, audio: Buffer, from: number, to: number): Promise<void> {
  for (let offset = from; offset < to; offset += CHUNK_BYTES) {
    const end = Math.min(offset + CHUNK_BYTES, to);
    if (end / BYTES_PER_SECOND - confirmedSeconds(face) > LEAD_SECONDS) {
      await waitFor(() => end / BYTES_PER_SECOND - confirmedSeconds(face) <= LEAD_SECONDS, "a final", {
        timeoutMs: 20_000,
        intervalMs: 1,
      });
    }
    await face.send(audio.subarray(offset, end));
  }
}

/** Streams the whole script (holding where asked), waits for the drops, finishes. */
async function stream(
  face: Face,
  url: string,
  script: SpokenScript,
  options: { reconnect?: ReconnectOptions; hold?: HoldPoint; drops: number },
): Promise<void> {
  await face.start(PCM, { url, reconnect: { ...FAST_RECONNECT, ...options.reconnect } });
  let sent = 0;
  const { hold } = options;
  if (hold !== undefined) {
    // The finals before the drop point must be in, so the replay starts exactly where they end.
    await sendRange(face, script.audio, 0, hold.byte - CHUNK_BYTES);
    await waitFor(() => countFinals(face) >= hold.finals, "the finals before the drop point", {
      timeoutMs: 20_000,
    });
    await sendRange(face, script.audio, hold.byte - CHUNK_BYTES, hold.byte);
    await waitFor(() => count(face, "reconnected") >= hold.reconnects, "the reconnects at the hold", {
      timeoutMs: 20_000,
    });
    sent = hold.byte;
  }
  await sendRange(face, script.audio, sent, script.audio.length);
  // A drop after finish() would end the stream instead: every planned drop comes first.
  await waitFor(() => count(face, "reconnected") >= options.drops, `${options.drops} reconnects`, {
    timeoutMs: 60_000,
  });
  await face.finish();
}

function countFinals(face: Face): number {
  return payloads(face.events, "Results").filter(
    (result) => result.is_final && (result.channel.alternatives[0]?.words.length ?? 0) > 0,
  ).length;
}

function expectCleanEnd(face: Face): void {
  const sequence = names(face.events);
  expect(sequence[0]).toBe("open");
  expect(sequence.filter((name) => name === "open")).toHaveLength(1);
  expect(sequence.filter((name) => name === "close")).toHaveLength(1);
  expect(sequence.slice(-2)).toEqual(["Metadata", "close"]);
  expect(sequence).not.toContain("error");
  expect(payloads(face.events, "close")[0]).toMatchObject({ code: 1000 });
}

/** `actual` has the words of `expected`, in order, each within the tolerance of its times. */
function expectSameWords(actual: readonly SpokenWord[], expected: readonly SpokenWord[]): void {
  expect(actual.map((word) => word.word)).toEqual(expected.map((word) => word.word));
  const worst = Math.max(
    0,
    ...actual.map((word, index) => {
      const twin = expected[index] as SpokenWord;
      return Math.max(Math.abs(word.start - twin.start), Math.abs(word.end - twin.end));
    }),
  );
  expect(worst).toBeLessThanOrEqual(TOLERANCE_SECONDS);
}

describe(`exactly once through reconnects (seed ${SEED})`, () => {
  describe.each(faces)("the $name face", (kind) => {
    it.each(SCENARIOS)("$name", { timeout: 180_000 }, async (scenario: DropScenario) => {
      const { script } = scenario;
      const baseline = kind.create();
      await stream(baseline, dropFree.url, script, { drops: 0 });
      expectCleanEnd(baseline);
      // The drop-free run says exactly the script (the engine's words are the audio's).
      expectSameWords(finalWords(baseline), script.words);

      const server = await startServerThread({
        script: SERVER_SCRIPT,
        faultsPerSession: scenario.faultsPerSession,
      });
      const face = kind.create();
      try {
        await stream(face, server.url, script, {
          drops: scenario.drops,
          ...(scenario.reconnect === undefined ? {} : { reconnect: scenario.reconnect }),
          ...(scenario.hold === undefined ? {} : { hold: scenario.hold }),
        });
      } finally {
        await server.close();
      }

      expectCleanEnd(face);
      expect(count(face, "reconnecting")).toBe(scenario.drops);
      expect(count(face, "reconnected")).toBe(scenario.drops);
      const reconnected = payloads(face.events, "reconnected");
      const reconnecting = payloads(face.events, "reconnecting");
      if (scenario.net0000Drops !== undefined) {
        const net0000 = reconnecting.filter((info) => info.error.dgCode === "NET-0000").length;
        expect(net0000).toBe(scenario.net0000Drops);
        for (const info of reconnecting) {
          if (info.error.dgCode !== "NET-0000") expect(info.error.closeCode).toBe(1006);
        }
      }
      scenario.reconnected?.(reconnected);

      const expected = finalWords(baseline);
      const { loss } = scenario;
      if (loss === undefined) {
        expect(reconnected.map((info) => info.lostSeconds)).toEqual(reconnected.map(() => 0));
        expectSameWords(finalWords(face), expected);
      } else {
        // Never silent: the reconnect says how much audio the new connection cannot hear.
        const lost = reconnected.map((info) => info.lostSeconds);
        expect(lost).toHaveLength(1);
        expect(lost[0]).toBeCloseTo(loss.seconds, 6);
        const [from, to] = loss.words;
        expectSameWords(finalWords(face), [...expected.slice(0, from), ...expected.slice(to)]);
      }
    });
  });
});
