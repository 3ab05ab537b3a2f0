import { silence, tone, waitFor } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, scriptedEngine, startServer } from "../src/index.ts";
import { connect, sendAudio, sendText, type TestClient } from "./helpers/ws-client.ts";

const LINEAR16 = "encoding=linear16&sample_rate=16000";
const SESSIONS = 500;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ engine: scriptedEngine({ transcript: "many voices" }) });
});
afterAll(async () => {
  await server.close();
});

describe("many sessions", () => {
  it(`runs ${SESSIONS} concurrent sessions, and broken ones disturb none of the others`, async () => {
    const audio = Buffer.concat([tone(0.8), silence(0.1)]);
    const broken = new Set([7, 123, 250, 499]);
    // Open all first, so every session is live at the same time.
    const clients: TestClient[] = await Promise.all(
      Array.from({ length: SESSIONS }, () => connect(server.url, LINEAR16)),
    );
    expect(server.sessionCount).toBe(SESSIONS);
    const outcomes = await Promise.all(
      clients.map(async (client, index) => {
        if (broken.has(index)) {
          client.ws.send(Buffer.from('{"type":"KeepAlive"}'));
        } else {
          await sendAudio(client.ws, audio, 4_800);
          await sendText(client.ws, '{"type":"CloseStream"}');
        }
        const close = await client.closed;
        return { index, close, messages: client.messages };
      }),
    );
    for (const { index, close, messages } of outcomes) {
      if (broken.has(index)) {
        expect(close.code).toBe(1008);
        continue;
      }
      expect(close).toEqual({ code: 1000, reason: "" });
      const final = messages.find((message) => message.type === "Results" && message.speech_final === true) as
        | { channel: { alternatives: Array<{ transcript: string }> } }
        | undefined;
      expect(final?.channel.alternatives[0]?.transcript).toBe("many voices");
      expect(messages.at(-1)).toMatchObject({ type: "Metadata", duration: 0.9 });
    }
    const requestIds = new Set(outcomes.map(({ messages }) => messages.at(-1)?.request_id).filter(Boolean));
    expect(requestIds.size).toBe(SESSIONS - broken.size);
    // The server forgets a session when its TCP socket has closed, a moment after the client saw the close frame.
    await waitFor(() => server.sessionCount === 0, "every session to be released");
  }, 60_000);
});
