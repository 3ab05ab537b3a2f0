/**
 * Fuzzing what a server sends (seeded; the seed is printed and `EARSHOT_FUZZ_SEED=<n>`
 * replays it): 10,000 malformed text frames (invalid JSON, wrong field types, huge numbers,
 * deep nesting, unknown types, binary frames) interleaved with 2,000 valid Results. Nothing
 * escapes: each bad one arrives as `Unhandled`, the valid ones arrive as Results, in order,
 * and the session stays open. (Invalid UTF-8 ends the stream by protocol: the fault suite.)
 */
import { seededRandom, waitFor } from "@earshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "../src/messages.ts";
import { RESULTS, testSession } from "./session-helpers.ts";
import { startTestServer, type TestServer } from "./session-ws-server.ts";

const SEED = Number(process.env.EARSHOT_FUZZ_SEED ?? Date.now() % 2 ** 31);
const MALFORMED = 10_000;
const VALID_EVERY = 5;

function malformed(random: () => number): { data: string | Buffer; binary: boolean } {
  const results = JSON.parse(RESULTS) as Record<string, unknown>;
  switch (Math.floor(random() * 8)) {
    case 0:
      return { data: RESULTS.slice(0, Math.floor(random() * RESULTS.length)), binary: false };
    case 1:
      return { data: JSON.stringify({ ...results, channel: "not an object", start: "0" }), binary: false };
    case 2:
      return {
        data: JSON.stringify({ ...results, start: 1e308, duration: -1e308 }).replace("1e+308", "1e999"),
        binary: false,
      };
    case 3:
      return { data: `${'{"a":'.repeat(3_000)}1${"}".repeat(3_000)}`, binary: false };
    case 4:
      return { data: JSON.stringify({ type: `Future${Math.floor(random() * 1e6)}` }), binary: false };
    case 5:
      return { data: JSON.stringify([1, 2, 3]), binary: false };
    case 6:
      return { data: Buffer.from(String(random())), binary: true };
    default:
      return { data: JSON.stringify({ type: "Results", channel: { alternatives: 5 } }), binary: false };
  }
}

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

describe(`fuzzing server frames (seed ${SEED})`, () => {
  it(`${MALFORMED} malformed frames interleaved with valid Results: each bad one Unhandled, the valid ones in order`, async () => {
    console.log(`server-frame fuzz seed: ${SEED} (replay: EARSHOT_FUZZ_SEED=${SEED})`);
    const random = seededRandom(SEED);
    let valid = 0;
    server.onConnection = (connection) => {
      for (let n = 0; n < MALFORMED; n++) {
        if (n % VALID_EVERY === 0) {
          const results = JSON.parse(RESULTS) as Record<string, unknown>;
          connection.socket.send(JSON.stringify({ ...results, start: valid++ }));
        }
        const frame = malformed(random);
        connection.socket.send(frame.data, { binary: frame.binary });
      }
    };
    const s = testSession(server.url);
    const received: ServerMessage[] = [];
    s.on("message", (message) => received.push(message));
    await s.connect();
    const total = MALFORMED + MALFORMED / VALID_EVERY;
    await waitFor(() => received.length === total, `${total} messages`, { timeoutMs: 30_000 });
    const starts = received.filter((m) => m.type === "Results").map((m) => (m as { start: number }).start);
    expect(starts).toEqual(Array.from({ length: MALFORMED / VALID_EVERY }, (_, n) => n));
    expect(received.filter((m) => m.type === "Unhandled")).toHaveLength(MALFORMED);
    expect(s.state).toBe("open");
    s.abort();
  });
});
