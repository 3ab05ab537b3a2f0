import {
  type FluxProtocolWarning,
  type FluxServerMessage,
  type FluxTurn,
  FluxTurnTracker,
  parseFluxMessage,
} from "@earshot/core";
import { ManualClock, silence, tone } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type LocalServer, scriptedEngine, startServer } from "../src/index.ts";
import {
  connect,
  type Json,
  refusedUpgrade,
  sendAudio,
  sendText,
  type TestClient,
} from "./helpers/ws-client.ts";

const FLUX = "model=flux-general-en&encoding=linear16&sample_rate=16000";
const flux = { path: "/v2/listen" };

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every message so far through core's parser and turn tracker: §8.6's rules checked on each. */
function track(client: TestClient): { turns: FluxTurn[]; warnings: FluxProtocolWarning[]; events: string[] } {
  const tracker = new FluxTurnTracker();
  const turns: FluxTurn[] = [];
  const warnings: FluxProtocolWarning[] = [];
  const events: string[] = [];
  for (const text of client.texts) {
    const message: FluxServerMessage = parseFluxMessage(text);
    const observation = tracker.observe(message);
    warnings.push(...observation.warnings);
    if (observation.turn) turns.push(observation.turn);
    events.push(message.type === "TurnInfo" ? message.event : message.type);
  }
  return { turns, warnings, events };
}

/** The TurnInfo events, runs of Updates collapsed into one "Update". */
function shape(events: readonly string[]): string[] {
  return events.filter((event, index) => !(event === "Update" && events[index - 1] === "Update"));
}

async function closeStream(client: TestClient): Promise<number> {
  await sendText(client.ws, '{"type":"CloseStream"}');
  return (await client.closed).code;
}

describe("/v2/listen on the scripted engine", () => {
  it("Connected first, a TurnInfo per 0.25 s of audio, StartOfTurn at the first word, EndOfTurn from silence", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "one two three. four five six." }) });
    const client = await connect(server.url, FLUX, flux);
    // 1.2 s of speech (3 words at 2.5 words/s), 1 s of silence, then the next sentence.
    await sendAudio(client.ws, Buffer.concat([tone(1.2), silence(1), tone(1.2), silence(1)]));
    await client.waitForType("TurnInfo", 17);
    expect(await closeStream(client)).toBe(1005);

    const [connected] = client.messages;
    expect(connected).toEqual({
      type: "Connected",
      request_id: client.headers["dg-request-id"],
      sequence_id: 0,
    });
    expect(client.messages.map((message) => message.sequence_id)).toEqual(
      client.messages.map((_, index) => index),
    );
    const turnInfos = client.ofType("TurnInfo");
    // 4.4 s of audio: 17 whole steps, then CloseStream's Update for the last 0.15 s.
    expect(turnInfos.map((message) => message.audio_window_end)).toEqual(
      Array.from({ length: 17 }, (_, index) => (index + 1) * 0.25).concat([4.4]),
    );
    const { turns, warnings, events } = track(client);
    expect(warnings).toEqual([]);
    expect(shape(events)).toEqual([
      "Connected",
      "Update",
      "StartOfTurn",
      "Update",
      "EndOfTurn",
      "Update",
      "StartOfTurn",
      "Update",
      "EndOfTurn",
      "Update",
    ]);
    expect(
      turns.map(({ turnIndex, transcript, trigger, start, end }) => ({
        turnIndex,
        transcript,
        trigger,
        start,
        end,
      })),
    ).toEqual([
      { turnIndex: 0, transcript: "One two three.", trigger: "model", start: 0, end: 1.75 },
      {
        turnIndex: 1,
        transcript: "Four five six.",
        trigger: "model",
        start: 1.75,
        end: 4,
      },
    ]);
    expect(turns[0]?.words[0]).toEqual({ word: "One", confidence: 0.99, start: 0, end: 0.4 });
    const start = turnInfos.find((message) => message.event === "StartOfTurn") as Json;
    expect(start.transcript).not.toBe("");
  });

  it("eager mode: EagerEndOfTurn at eager_eot_threshold, TurnResumed when speech comes back, EndOfTurn with the eager transcript", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "one two three four five six" }) });
    const client = await connect(server.url, `${FLUX}&eager_eot_threshold=0.5&eot_threshold=0.9`, flux);
    // A 0.45 s pause (eager at c ≥ 0.5, i.e. 0.28 s, but not eot 0.9), then more speech, then a long pause.
    await sendAudio(client.ws, Buffer.concat([tone(0.8), silence(0.45), tone(0.8), silence(1.5)]));
    await client.waitForType("TurnInfo", 14);
    expect(await closeStream(client)).toBe(1005);
    const { turns, warnings, events } = track(client);
    expect(warnings).toEqual([]);
    expect(shape(events)).toEqual([
      "Connected",
      "Update",
      "StartOfTurn",
      "EagerEndOfTurn",
      "TurnResumed",
      "Update",
      "EagerEndOfTurn",
      "Update",
      "EndOfTurn",
      "Update",
    ]);
    const eager = client.ofType("TurnInfo").filter((message) => message.event === "EagerEndOfTurn");
    expect(eager.map((message) => message.transcript)).toEqual(["One two.", "One two three four."]);
    expect(turns.map((turn) => [turn.transcript, turn.trigger])).toEqual([["One two three four.", "model"]]);
  });

  it("eot_threshold 1.0 never ends on confidence; eot_timeout_ms does (trigger timeout)", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "one two" }) });
    const client = await connect(server.url, `${FLUX}&eot_threshold=1&eot_timeout_ms=1000`, flux);
    await sendAudio(client.ws, Buffer.concat([tone(0.8), silence(1.5)]));
    await client.waitForType("TurnInfo", 9);
    await closeStream(client);
    const end = client.ofType("TurnInfo").find((message) => message.event === "EndOfTurn");
    // Speech ends at 0.8 s; 1 s of silence is complete at the 2.0 s step.
    expect(end).toMatchObject({ trigger: "timeout", audio_window_end: 2, transcript: "One two." });
    expect(track(client).warnings).toEqual([]);
  });

  it("ForceEndTurn ends an active turn (manual) and is a Warning without one; both in order with the audio", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "one two three four" }) });
    const client = await connect(server.url, FLUX, flux);
    await sendText(client.ws, '{"type":"ForceEndTurn"}');
    await sendAudio(client.ws, tone(1.2));
    await sendText(client.ws, '{"type":"ForceEndTurn"}');
    await sendText(client.ws, '{"type":"ForceEndTurn"}');
    await client.waitForType("Warning", 2);
    expect(await closeStream(client)).toBe(1005);
    const { turns, warnings, events } = track(client);
    expect(warnings).toEqual([]);
    expect(shape(events)).toEqual([
      "Connected",
      "Warning",
      "Update",
      "StartOfTurn",
      "EndOfTurn",
      "Warning",
      "Update",
    ]);
    expect(client.ofType("Warning")[0]).toMatchObject({ code: "FORCE_END_TURN_NO_ACTIVE_TURN" });
    expect(turns).toMatchObject([
      { turnIndex: 0, trigger: "manual", transcript: "One two three.", end: 1.2 },
    ]);
  });

  it("Configure: thresholds and keyterms change mid-stream (ConfigureSuccess with all values in force); a bad one fails and changes nothing", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "one two three four" }) });
    const client = await connect(server.url, `${FLUX}&keyterm=alpha`, flux);
    await sendText(
      client.ws,
      '{"type":"Configure","thresholds":{"eager_eot_threshold":0.8},"keyterms":["x"]}',
    );
    await sendText(
      client.ws,
      '{"type":"Configure","thresholds":{"eot_threshold":0.5,"eot_timeout_ms":2000},"keyterms":["beta","gamma"]}',
    );
    await client.waitForType("ConfigureSuccess");
    expect(client.ofType("ConfigureFailure")).toEqual([
      expect.objectContaining({
        request_id: client.headers["dg-request-id"],
        code: "INVALID_THRESHOLD",
        sequence_id: 1,
      }),
    ]);
    expect(client.ofType("ConfigureSuccess")[0]).toEqual({
      type: "ConfigureSuccess",
      request_id: client.headers["dg-request-id"],
      sequence_id: 2,
      thresholds: { eot_threshold: 0.5, eot_timeout_ms: 2000 },
      keyterms: ["beta", "gamma"],
    });
    // eot 0.5 ends the turn at the first step with 0.28 s of silence (0.5 s of audio after the speech's 0.2 s step).
    await sendAudio(client.ws, Buffer.concat([tone(0.8), silence(0.5)]));
    await client.waitForType("TurnInfo", 5);
    await closeStream(client);
    expect(client.ofType("TurnInfo").find((message) => message.event === "EndOfTurn")).toMatchObject({
      audio_window_end: 1.25,
      end_of_turn_confidence: expect.any(Number),
    });
  });

  it("CloseStream decodes what arrived, sends its Update, does not end the turn, and closes without a status", async () => {
    server = await startServer({ engine: scriptedEngine({ transcript: "one two three" }) });
    const client = await connect(server.url, FLUX, flux);
    await sendAudio(client.ws, tone(1.1));
    expect(await closeStream(client)).toBe(1005);
    const turnInfos = client.ofType("TurnInfo");
    // The flush completes the word spoken for 0.3 of its 0.4 s.
    expect(turnInfos.at(-1)).toMatchObject({
      event: "Update",
      audio_window_end: 1.1,
      transcript: "One two three",
    });
    expect(turnInfos.some((message) => message.event === "EndOfTurn")).toBe(false);
  });

  it.each([
    ['{"type":"KeepAlive"}'],
    ['{"type":"Finalize"}'],
    ["not json"],
    ['{"type":"ForceEndTurn","now":true}'],
  ])("%s is fatal: Error UNPARSABLE_CLIENT_MESSAGE, then a status-less close", async (text) => {
    server = await startServer();
    const client = await connect(server.url, FLUX, flux);
    await sendText(client.ws, text);
    expect((await client.closed).code).toBe(1005);
    expect(client.messages.at(-1)).toMatchObject({
      type: "Error",
      code: "UNPARSABLE_CLIENT_MESSAGE",
      sequence_id: 1,
    });
    expect(client.messages.at(-1)).not.toHaveProperty("request_id");
  });
});

describe("/v2/listen refusals, keepalive and faults", () => {
  it("400 INVALID_PARAMETER names the bad parameters ({code, description} body); 401 for bad credentials", async () => {
    server = await startServer({ apiKeys: ["k"] });
    const bad = await refusedUpgrade(
      server.url,
      "/v2/listen?model=flux-general-en&eot_threshold=2&language_hint=en",
      { headers: { authorization: "Token k" } },
    );
    expect(bad.status).toBe(400);
    const body = JSON.parse(bad.body) as Json;
    expect(body.code).toBe("INVALID_PARAMETER");
    expect(body.description).toContain("eot_threshold: must be between 0.5 and 1 (got 2)");
    expect(body.description).toContain("language_hint: works with flux-general-multi only");
    expect(bad.headers["dg-error"]).toContain("eot_threshold");
    const unauthorised = await refusedUpgrade(server.url, `/v2/listen?${FLUX}`, {
      headers: { authorization: "Token nope" },
    });
    expect(unauthorised.status).toBe(401);
  });

  it("pings keep an idle socket open; without any frame it closes 1011 NET-0001", async () => {
    const clock = new ManualClock();
    server = await startServer({ clock, inactivityTimeoutMs: 1_000 });
    const client = await connect(server.url, FLUX, flux);
    for (let i = 0; i < 3; i++) {
      clock.advance(900);
      const pong = new Promise((resolve) => client.ws.once("pong", resolve));
      client.ws.ping();
      await pong;
    }
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    clock.advance(1_000);
    const close = await client.closed;
    expect(close.code).toBe(1011);
    expect(close.reason).toContain("net0001");
  });

  it("fault errorAtTurn: a fatal Error at that turn's start, then a status-less close; dropConfigureReplies leaves a sequence gap", async () => {
    server = await startServer({
      engine: scriptedEngine({ transcript: "one two three four" }),
      faults: { flux: { errorAtTurn: 1, dropConfigureReplies: true } },
    });
    const client = await connect(server.url, FLUX, flux);
    await sendText(client.ws, '{"type":"Configure","keyterms":["a"]}');
    await sendAudio(client.ws, Buffer.concat([tone(0.8), silence(1), tone(0.8), silence(1)]));
    expect((await client.closed).code).toBe(1005);
    const { turns, warnings } = track(client);
    expect(turns).toHaveLength(1);
    expect(warnings).toEqual([expect.objectContaining({ code: "SEQUENCE_GAP", expected: 1, received: 2 })]);
    expect(client.messages.at(-1)).toMatchObject({ type: "Error", code: "INTERNAL_SERVER_ERROR" });
  });

  it("fault dropAtRequest: the socket goes (no close frame) when that request arrives, leaving it unanswered", async () => {
    server = await startServer({
      engine: scriptedEngine({ transcript: "one two three" }),
      faults: { flux: { dropAtRequest: "ForceEndTurn" } },
    });
    const client = await connect(server.url, FLUX, flux);
    await sendText(client.ws, '{"type":"Configure","keyterms":["a"]}');
    await sendAudio(client.ws, tone(0.5));
    await client.waitForType("TurnInfo", 2);
    await sendText(client.ws, '{"type":"ForceEndTurn"}');
    expect((await client.closed).code).toBe(1006);
    expect(client.ofType("ConfigureSuccess")).toHaveLength(1);
    expect(client.ofType("Warning")).toEqual([]);
    expect(client.ofType("TurnInfo").filter((info) => info.event === "EndOfTurn")).toEqual([]);
  });
});
