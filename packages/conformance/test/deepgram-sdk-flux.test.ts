/**
 * A Flux client nobody here wrote: `@deepgram/sdk` v5's `listen.v2` (installed as
 * `@deepgram/sdk-v5`, beside v4) against the local server's `/v2/listen`. It authenticates,
 * streams, hears turns through its typed messages, gets its Configure answered, and sees the
 * status-less close (1005) that ends a Flux stream after CloseStream.
 */
import { DeepgramClient } from "@deepgram/sdk-v5";
import { FluxTurnTracker, parseFluxMessage } from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";

const KEY = "sdk-v5-test-key-0123456789abcdef";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Heard {
  messages: Array<Record<string, unknown>>;
  errors: string[];
  close: number;
}

describe("@deepgram/sdk v5 listen.v2 against the local server", () => {
  it("connects, streams audio, hears turns, gets Configure answered and closes after CloseStream", async () => {
    server = await startServer({
      apiKeys: [KEY],
      engine: scriptedEngine({ transcript: "one two three. four five six." }),
    });
    const client = new DeepgramClient({ apiKey: KEY, baseUrl: server.url });
    const connection = await client.listen.v2.connect({
      model: "flux-general-en",
      encoding: "linear16",
      sample_rate: 16000,
      eager_eot_threshold: 0.5,
      reconnectAttempts: 0,
    });
    const heard: Heard = { messages: [], errors: [], close: 0 };
    const closed = new Promise<void>((resolve) => {
      connection.on("message", (message) =>
        heard.messages.push(message as unknown as Record<string, unknown>),
      );
      connection.on("error", (error) => heard.errors.push(error.message));
      connection.on("close", (event) => {
        heard.close = event.code;
        resolve();
      });
    });
    connection.connect();
    await connection.waitForOpen();
    connection.sendConfigure({
      type: "Configure",
      thresholds: { eot_threshold: 0.8 },
      keyterms: ["earshot"],
    });
    for (const piece of chunk(Buffer.concat([tone(1.2), silence(1.25), tone(1.2)]), 0.08))
      connection.sendMedia(piece);
    connection.sendForceEndTurn({ type: "ForceEndTurn" });
    connection.sendCloseStream({ type: "CloseStream" });
    await closed;

    expect(heard.errors).toEqual([]);
    expect(heard.close).toBe(1005);
    expect(heard.messages[0]).toMatchObject({ type: "Connected", sequence_id: 0 });
    expect(heard.messages.find((message) => message.type === "ConfigureSuccess")).toMatchObject({
      thresholds: { eager_eot_threshold: 0.5, eot_threshold: 0.8, eot_timeout_ms: 5000 },
      keyterms: ["earshot"],
    });
    // What the SDK handed over is what core's parser and tracker accept, rules and all.
    const tracker = new FluxTurnTracker();
    const turns = [];
    for (const message of heard.messages) {
      const observation = tracker.observe(parseFluxMessage(JSON.stringify(message)));
      expect(observation.warnings).toEqual([]);
      if (observation.turn) turns.push(observation.turn);
    }
    expect(turns.map((turn) => [turn.transcript, turn.trigger])).toEqual([
      ["One two three.", "model"],
      ["Four five six.", "manual"],
    ]);
    const events = heard.messages.flatMap((message) => (message.type === "TurnInfo" ? [message.event] : []));
    expect(events).toContain("EagerEndOfTurn");
    expect(events).toContain("StartOfTurn");
  });

  it("a refused upgrade (bad key) never opens in the SDK, and nothing is left open on the server", async () => {
    server = await startServer({ apiKeys: [KEY] });
    const client = new DeepgramClient({ apiKey: "wrong-key-0123456789", baseUrl: server.url });
    const connection = await client.listen.v2.connect({ model: "flux-general-en", reconnectAttempts: 0 });
    let opened = false;
    connection.on("open", () => {
      opened = true;
    });
    // SDK 5.13 reports the 401 as a close (code 1000 in its ReconnectingWebSocket), not with the status.
    const ended = new Promise<void>((resolve) => connection.on("close", () => resolve()));
    connection.connect();
    await ended;
    connection.close();
    expect(opened).toBe(false);
    expect(server.sessionCount).toBe(0);
  });
});
