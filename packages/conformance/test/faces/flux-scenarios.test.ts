/**
 * Flux (`/v2/listen`) as one list of scenarios run against both faces (AsyncFluxClient and the
 * threaded FluxClient), on the local server's scripted engine: §8.6's state machine rules 1–6
 * checked on every run (core's turn tracker inside each client; a broken rule would arrive as a
 * `protocolWarning` event, and the last scenario shows that it does), Configure answered and
 * refused, ForceEndTurn with and without a turn, the idle close and the pings that prevent it,
 * refusals (400, 401, and options refused before connecting), a fatal server Error, a drop
 * mid-turn with reconnect, and requests across a drop (a Configure or ForceEndTurn left
 * unanswered is sent again; the settings in force carry over), and the diagnostics published on
 * the application's thread. The same audio must give the same events in both faces.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import {
  CLIENT_DIAGNOSTICS_CHANNELS,
  type ClientDiagnostics,
  ConfigureRejectedError,
  ConnectionClosedError,
  type FluxOptions,
  FluxServerError,
  HandshakeError,
  OptionsError,
  StateError,
  TimeoutError,
} from "@earshot/core";
import { type ServerThread, type ServerThreadOptions, startServerThread } from "@earshot/server";
import { chunk, silence, tone, waitFor } from "@earshot/testkit";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { asyncFluxFace } from "./async-flux-face.ts";
import { describeFluxEvent, type FluxFace, type FluxFaceKind, fluxPayloads, fluxShape } from "./flux-face.ts";
import { threadedFluxFace } from "./threaded-flux-face.ts";

const faces: readonly FluxFaceKind[] = [asyncFluxFace, threadedFluxFace];
const SCRIPT = { transcript: "one two three four five six. seven eight nine." };
const FLUX = {
  model: "flux-general-en",
  encoding: "linear16",
  sample_rate: 16_000,
  eager_eot_threshold: 0.5,
} as const satisfies FluxOptions;
const BYTES_PER_SECOND = 32_000;
/** "one two three", a short pause (eager, then resumed), "four five six.", a pause that ends the turn. */
const FIRST_TURN = Buffer.concat([tone(1.2), silence(0.35), tone(1.2), silence(1.25)]);
/** "seven eight nine.", a pause that ends the turn. */
const SECOND_TURN = Buffer.concat([tone(1.2), silence(1.25)]);
const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 50 } as const;
/** What each face's scripted run delivered, to compare face to face. */
const transcriptsByFace = new Map<string, string[]>();

/** The plain server most scenarios share; one with faults or limits is started per scenario. */
let shared: ServerThread | undefined;
let server: ServerThread | undefined;

async function serve(options?: ServerThreadOptions): Promise<string> {
  if (options === undefined) {
    shared ??= await startServerThread({ engine: "scripted", script: SCRIPT });
    return shared.url;
  }
  server = await startServerThread({ engine: "scripted", script: SCRIPT, ...options });
  return server.url;
}

async function sendAll(face: FluxFace, audio: Buffer): Promise<void> {
  for (const piece of chunk(audio, 0.08)) await face.send(piece);
}

/** Every run: the client's turn tracker saw no rule of §8.6 broken and no sequence gap. */
function expectRulesKept(face: FluxFace): void {
  expect(fluxPayloads(face.events, "protocolWarning")).toEqual([]);
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  await shared?.close();
  for (const kind of faces) await kind.cleanup();
});

describe.each(faces)("Flux through the $name face", (kind) => {
  it("turns: StartOfTurn, Updates, EagerEndOfTurn, TurnResumed, EndOfTurn, one turn per EndOfTurn; Open and Close once", async () => {
    const url = await serve();
    const face = kind.create();
    await face.start(FLUX, { url });
    await sendAll(face, Buffer.concat([FIRST_TURN, SECOND_TURN]));
    await face.finish();

    expectRulesKept(face);
    expect(fluxShape(face.events)).toEqual([
      "open",
      "Connected",
      "Update",
      "StartOfTurn",
      "Update",
      "EagerEndOfTurn",
      "TurnResumed",
      "Update",
      "EagerEndOfTurn",
      "EndOfTurn",
      "turn",
      "Update",
      "StartOfTurn",
      "Update",
      "EagerEndOfTurn",
      "EndOfTurn",
      "turn",
      "Update",
      "close",
    ]);
    const turns = fluxPayloads(face.events, "turn");
    expect(turns.map((turn) => [turn.turnIndex, turn.transcript, turn.trigger])).toEqual([
      [0, "One two three four five six.", "model"],
      [1, "Seven eight nine.", "model"],
    ]);
    expect(turns[1]?.start).toBeGreaterThanOrEqual(turns[0]?.end ?? Number.NaN);
    expect(face.closeReport).toMatchObject({ code: 1005, wasClean: true });
    expect(face.currentTurn).toMatchObject({ turnIndex: 2, state: "idle" });
    transcriptsByFace.set(kind.name, face.events.map(describeFluxEvent));
  });

  it("configure(): answered with ConfigureSuccess (the values in force), refused with ConfigureRejectedError; the stream goes on", async () => {
    const url = await serve();
    const face = kind.create();
    await face.start(FLUX, { url });
    const applied = await face.configure({ thresholds: { eot_threshold: 0.8 }, keyterms: ["earshot"] });
    expect(applied).toMatchObject({
      type: "ConfigureSuccess",
      thresholds: { eager_eot_threshold: 0.5, eot_threshold: 0.8, eot_timeout_ms: 5000 },
      keyterms: ["earshot"],
    });
    // flux-general-en takes no language hints: the client cannot know, the server refuses.
    const refused = await face.configure({ language_hints: ["es"] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigureRejectedError);
    expect(refused).toMatchObject({ code: "ERR_CONFIGURE_REJECTED", dgCode: "INVALID_CONFIGURE" });
    // Checked against the values in force before anything is sent: eager 0.85 ≤ eot 0.8 fails.
    await expect(face.configure({ thresholds: { eager_eot_threshold: 0.85 } })).rejects.toBeInstanceOf(
      OptionsError,
    );
    await sendAll(face, FIRST_TURN);
    await face.finish();
    expectRulesKept(face);
    expect(fluxShape(face.events).slice(0, 4)).toEqual([
      "open",
      "Connected",
      "ConfigureSuccess",
      "ConfigureFailure",
    ]);
    expect(fluxPayloads(face.events, "turn").map((turn) => turn.transcript)).toEqual([
      "One two three four five six.",
    ]);
  });

  it("configure() that the server never answers times out (ERR_REPLY_TIMEOUT); the stream goes on", async () => {
    const url = await serve({ faults: { flux: { dropConfigureReplies: true } } });
    const face = kind.create();
    await face.start(FLUX, { url, replyTimeoutMs: 300 });
    const failure = await face.configure({ keyterms: ["earshot"] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TimeoutError);
    expect(failure).toMatchObject({ code: "ERR_REPLY_TIMEOUT" });
    await sendAll(face, SECOND_TURN);
    await face.finish();
    // The server's numbering skipped the unanswered Configure's sequence_id: the tracker says so.
    expect(fluxPayloads(face.events, "protocolWarning").map((warning) => warning.code)).toEqual([
      "SEQUENCE_GAP",
    ]);
    expect(fluxPayloads(face.events, "turn")).toHaveLength(1);
  });

  it("forceEndTurn(): ends the open turn (trigger manual, no eager event made up); without a turn, undefined and the Warning", async () => {
    const url = await serve();
    const face = kind.create();
    // flux-general-multi: rule 6 (languages and languages_hinted on every TurnInfo) is checked too.
    await face.start({ ...FLUX, model: "flux-general-multi" }, { url });
    expect(await face.forceEndTurn()).toBeUndefined();
    await sendAll(face, tone(1.2));
    const forced = await face.forceEndTurn();
    // The transcript decoded so far, as a sentence (the turn is over).
    expect(forced).toMatchObject({ turnIndex: 0, transcript: "One two three.", trigger: "manual" });
    expect(await face.forceEndTurn()).toBeUndefined();
    expect(face.currentTurn).toMatchObject({ turnIndex: 1, state: "idle" });
    await sendAll(face, Buffer.concat([tone(1.2), silence(1.25)]));
    await face.finish();
    expectRulesKept(face);
    expect(fluxPayloads(face.events, "Warning").map((warning) => warning.code)).toEqual([
      "FORCE_END_TURN_NO_ACTIVE_TURN",
      "FORCE_END_TURN_NO_ACTIVE_TURN",
    ]);
    const ends = fluxPayloads(face.events, "EndOfTurn");
    expect(ends.map((end) => [end.turn_index, end.trigger])).toEqual([
      [0, "manual"],
      [1, "model"],
    ]);
    expect(ends.every((end) => Array.isArray(end.languages) && Array.isArray(end.languages_hinted))).toBe(
      true,
    );
  });

  it("finish() with a turn open: CloseStream ends no turn (1005, clean), the open turn is handed over unfinalised", async () => {
    const url = await serve();
    const face = kind.create();
    await face.start(FLUX, { url });
    await sendAll(face, tone(1.2));
    await face.finish();
    expectRulesKept(face);
    expect(fluxPayloads(face.events, "EndOfTurn")).toEqual([]);
    expect(fluxPayloads(face.events, "turn")).toEqual([
      expect.objectContaining({ turnIndex: 0, transcript: "One two three", trigger: "unfinalised" }),
    ]);
    expect(fluxShape(face.events).slice(-2)).toEqual(["turn", "close"]);
    // Nothing after Close: requests are refused with the close as their cause.
    await expect(face.forceEndTurn()).rejects.toBeInstanceOf(StateError);
  });

  it("an idle stream: without pings the server closes it (1011 NET-0001, Error then Close); pings keep it open", async () => {
    const url = await serve({ inactivityTimeoutMs: 600 });
    const idle = kind.create();
    await idle.start(FLUX, { url });
    await waitFor(() => idle.closeReport !== undefined, "the idle close", { timeoutMs: 10_000 });
    expect(fluxShape(idle.events)).toEqual(["open", "Connected", "error", "close"]);
    const [error] = fluxPayloads(idle.events, "error");
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ closeCode: 1011, dgCode: "NET-0001" });

    const pinging = kind.create();
    // keepAlive on a Flux client is the idle time before a WebSocket ping (never a JSON KeepAlive).
    await pinging.start(FLUX, { url, keepAlive: 100 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(pinging.closeReport).toBeUndefined();
    await sendAll(pinging, SECOND_TURN);
    await pinging.finish();
    expectRulesKept(pinging);
    expect(fluxPayloads(pinging.events, "turn")).toHaveLength(1);
    expect(fluxPayloads(pinging.events, "error")).toEqual([]);
  });

  it("refusals: 401 and the server's 400 reject start() with HandshakeError; bad options never connect", async () => {
    const url = await serve({ apiKeys: ["right-key-0123456789"] });
    const unauthorised = kind.create();
    const refused = await unauthorised
      .start(FLUX, { url, apiKey: "wrong-key-0123456789" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HandshakeError);
    expect(refused).toMatchObject({ status: 401, retryable: false });
    expect(fluxShape(unauthorised.events)).toEqual(["error", "close"]);
    await server?.close();

    const badRequest = await serve({
      faults: {
        refuseWith: { status: 400, errCode: "INVALID_PARAMETER", errMsg: "language_hint is not supported" },
      },
    });
    const face = kind.create();
    const error = await face.start(FLUX, { url: badRequest }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeError);
    // Flux's refusal body is {code, description}: read as errCode/errMsg.
    expect(error).toMatchObject({
      status: 400,
      errCode: "INVALID_PARAMETER",
      errMsg: "language_hint is not supported",
    });

    const checked = kind.create();
    await expect(checked.start({ ...FLUX, eot_threshold: 0.4 }, { url: badRequest })).rejects.toBeInstanceOf(
      OptionsError,
    );
    await expect(checked.start({ ...FLUX, language_hint: ["en"] }, { url: badRequest })).rejects.toThrow(
      /language_hint/,
    );
    expect(checked.events).toEqual([]);
  });

  it("a fatal server Error mid-turn: FluxServerError with the server's code, then Close; the open turn handed over", async () => {
    const url = await serve({ faults: { flux: { errorAtTurn: 1 } } });
    const face = kind.create();
    await face.start(FLUX, { url });
    await sendAll(face, Buffer.concat([FIRST_TURN, SECOND_TURN])).catch(() => undefined);
    await waitFor(() => face.closeReport !== undefined, "the close");
    expectRulesKept(face);
    const [error] = fluxPayloads(face.events, "error");
    expect(error).toBeInstanceOf(FluxServerError);
    expect(error).toMatchObject({
      code: "ERR_SERVER_ERROR",
      dgCode: "INTERNAL_SERVER_ERROR",
      retryable: true,
    });
    expect(face.closeReport).toMatchObject({ code: 1005 });
    expect(fluxPayloads(face.events, "Unhandled").map((message) => message.type)).toEqual(["Error"]);
    expect(fluxShape(face.events).slice(-2)).toEqual(["error", "close"]);
  });

  it("reconnect: a drop mid-turn; the cut turn is transcribed again and ends once; one timeline of turns, audio and sequence", async () => {
    // Drop inside the second turn ("seven eight nine." spoken from 4.0 to 5.2 s), once its
    // StartOfTurn has arrived (the scripted engine reports those words at the end of the speech:
    // StartOfTurn at the 5.25 s step, EagerEndOfTurn at 5.5 s), so a turn is open when the
    // connection goes at 5.35 s.
    const dropAt = FIRST_TURN.length + Math.round(BYTES_PER_SECOND * 1.35);
    const url = await serve({ faultsPerSession: [{ dropAfterBytes: dropAt }] });
    const face = kind.create();
    await face.start(FLUX, { url, reconnect: FAST_RECONNECT });
    await face.configure({ keyterms: ["earshot"] });
    await sendAll(face, FIRST_TURN);
    await waitFor(() => fluxPayloads(face.events, "turn").length === 1, "the first turn");
    const beforeDrop = Math.round(BYTES_PER_SECOND * 1.3);
    await sendAll(face, SECOND_TURN.subarray(0, beforeDrop));
    await waitFor(() => fluxPayloads(face.events, "StartOfTurn").length === 2, "the second turn's start");
    await sendAll(face, SECOND_TURN.subarray(beforeDrop));
    await waitFor(() => fluxPayloads(face.events, "reconnected").length === 1, "the reconnect");
    await waitFor(() => fluxPayloads(face.events, "turn").length === 2, "the second turn");
    await face.finish();

    expectRulesKept(face);
    const [reconnected] = fluxPayloads(face.events, "reconnected");
    expect(reconnected?.restartedTurn).toMatchObject({ turnIndex: 1, trigger: "unfinalised" });
    expect(reconnected?.offsetSeconds).toBeCloseTo(fluxPayloads(face.events, "turn")[0]?.end ?? 0, 1);
    const turns = fluxPayloads(face.events, "turn");
    // The scripted engine starts its script again on a new connection: "one two three" is
    // what it calls the replayed speech. Each turn ends once, indices on the stream's count.
    expect(turns.map((turn) => [turn.turnIndex, turn.transcript, turn.trigger])).toEqual([
      [0, "One two three four five six.", "model"],
      [1, "One two three.", "model"],
    ]);
    expect(turns[1]?.start).toBeCloseTo(turns[0]?.end ?? 0, 5);
    expect(turns[1]?.words[0]?.start).toBeGreaterThanOrEqual(FIRST_TURN.length / BYTES_PER_SECOND - 0.01);
    // Two StartOfTurns for turn 1 (before and after the drop), one EndOfTurn per turn.
    const starts = fluxPayloads(face.events, "StartOfTurn").map((info) => info.turn_index);
    expect(starts).toEqual([0, 1, 1]);
    expect(fluxPayloads(face.events, "EndOfTurn").map((info) => info.turn_index)).toEqual([0, 1]);
    // The Configure in force was sent again, its answer left out: the user saw one.
    expect(fluxPayloads(face.events, "ConfigureSuccess")).toHaveLength(1);
    expect(fluxPayloads(face.events, "Connected")).toHaveLength(1);
    const names = face.events.map((recorded) => recorded.event);
    expect(names.filter((name) => name === "open")).toHaveLength(1);
    expect(names.filter((name) => name === "close")).toHaveLength(1);
    expect(names).not.toContain("error");
  });

  it("reconnect: a Configure the drop left unanswered is sent again on the new connection and resolves with its answer", async () => {
    const url = await serve({ faultsPerSession: [{ flux: { dropAtRequest: "Configure" } }] });
    const face = kind.create();
    await face.start(FLUX, { url, reconnect: FAST_RECONNECT });
    await sendAll(face, SECOND_TURN.subarray(0, BYTES_PER_SECOND));
    // The first connection drops as this Configure reaches it, unread.
    const applied = await face.configure({ thresholds: { eot_threshold: 0.8 }, keyterms: ["earshot"] });
    expect(applied).toMatchObject({
      type: "ConfigureSuccess",
      thresholds: { eager_eot_threshold: 0.5, eot_threshold: 0.8, eot_timeout_ms: 5000 },
      keyterms: ["earshot"],
    });
    await sendAll(face, SECOND_TURN.subarray(BYTES_PER_SECOND));
    await face.finish();
    expectRulesKept(face);
    expect(fluxPayloads(face.events, "reconnected")).toHaveLength(1);
    expect(fluxPayloads(face.events, "ConfigureSuccess")).toEqual([applied]);
    expect(fluxPayloads(face.events, "turn").map((turn) => [turn.transcript, turn.trigger])).toEqual([
      ["One two three.", "model"],
    ]);
    expect(fluxPayloads(face.events, "error")).toEqual([]);
  });

  it("reconnect: the settings a Configure put in force are in force on the new connection", async () => {
    const url = await serve({ faultsPerSession: [{ dropAfterBytes: BYTES_PER_SECOND }] });
    const face = kind.create();
    await face.start(FLUX, { url, reconnect: FAST_RECONNECT });
    await face.configure({ thresholds: { eot_threshold: 0.8, eot_timeout_ms: 3000 }, keyterms: ["earshot"] });
    await sendAll(face, SECOND_TURN);
    await waitFor(() => fluxPayloads(face.events, "reconnected").length === 1, "the reconnect");
    // The server lists every value in force: the new connection's query has only the original
    // ones (eot 0.7 by default, timeout 5000), so these come from the settings sent again.
    const after = await face.configure({ keyterms: ["after"] });
    expect(after).toMatchObject({
      thresholds: { eager_eot_threshold: 0.5, eot_threshold: 0.8, eot_timeout_ms: 3000 },
      keyterms: ["after"],
    });
    await face.finish();
    expectRulesKept(face);
    expect(fluxPayloads(face.events, "ConfigureSuccess")).toHaveLength(2);
    expect(fluxPayloads(face.events, "error")).toEqual([]);
  });

  it("reconnect: a ForceEndTurn the drop left unanswered is sent again at its place in the replayed audio and ends the turn it was sent to end", async () => {
    const url = await serve({ faultsPerSession: [{ flux: { dropAtRequest: "ForceEndTurn" } }] });
    const face = kind.create();
    await face.start(FLUX, { url, reconnect: FAST_RECONNECT });
    await sendAll(face, Buffer.concat([tone(1.2), silence(0.15)]));
    await waitFor(() => fluxPayloads(face.events, "StartOfTurn").length === 1, "the turn's start");
    // The async face goes on sending while it waits (a live source would); the threaded one
    // blocks until the answer. Either way the audio after the request follows it on the new
    // connection, so the request ends the turn before the pause that would end it anyway
    // (sent after the whole replay, it would come after that EndOfTurn and get the Warning).
    const ending = face.forceEndTurn();
    await sendAll(face, silence(1.25));
    const ended = await ending;
    expect(ended).toMatchObject({ turnIndex: 0, transcript: "One two three.", trigger: "manual" });
    await face.finish();
    expectRulesKept(face);
    expect(fluxPayloads(face.events, "reconnected")).toHaveLength(1);
    expect(fluxPayloads(face.events, "turn").map((turn) => [turn.turnIndex, turn.trigger])).toEqual([
      [0, "manual"],
    ]);
    expect(fluxPayloads(face.events, "Warning")).toEqual([]);
    expect(fluxPayloads(face.events, "error")).toEqual([]);
  });

  it("publishes the stream's diagnostics on this thread: connect, open, audio, result, end-of-turn latency, close", async () => {
    const url = await serve();
    const seen = new Map<string, unknown[]>();
    const listeners = Object.entries(CLIENT_DIAGNOSTICS_CHANNELS).map(([key, name]) => {
      const listener = (data: unknown): void => {
        seen.set(key, [...(seen.get(key) ?? []), data]);
      };
      diagnosticsChannel.subscribe(name, listener);
      return () => diagnosticsChannel.unsubscribe(name, listener);
    });
    const face = kind.create();
    try {
      await face.start(FLUX, { url });
      await sendAll(face, Buffer.concat([FIRST_TURN, SECOND_TURN]));
      await face.finish();
    } finally {
      for (const unsubscribe of listeners) unsubscribe();
    }
    for (const key of ["connect", "open", "audio", "result", "endOfTurnLatency", "close"]) {
      expect(seen.get(key)?.length ?? 0, key).toBeGreaterThan(0);
    }
    // One per EndOfTurn, at the turn's end; Flux has no v1 finals.
    const turns = fluxPayloads(face.events, "turn");
    const latencies = seen.get("endOfTurnLatency") as ClientDiagnostics["endOfTurnLatency"][];
    expect(latencies.map((entry) => [entry.turnIndex, entry.trigger, entry.audioEndSeconds])).toEqual(
      turns.map((turn) => [turn.turnIndex, "model", turn.end]),
    );
    expect(latencies.every((entry) => entry.latencyMs >= 0 && typeof entry.streamId === "string")).toBe(true);
    expect(seen.get("finalLatency")).toBeUndefined();
    expect(seen.get("close")).toEqual([expect.objectContaining({ code: 1005, reconnects: 0 })]);
  });

  it("the turn tracker's checks are live: a server breaking §8.6 gets protocolWarnings, not a crash", async () => {
    const broken =
      '{"type":"TurnInfo","sequence_id":1,"event":"EagerEndOfTurn","turn_index":0,"audio_window_start":0,"audio_window_end":0,"transcript":"","words":[],"end_of_turn_confidence":0.5}';
    const url = await serve({ faults: { sendAfterOpen: [broken] } });
    const face = kind.create();
    await face.start(FLUX, { url });
    await sendAll(face, FIRST_TURN);
    await face.finish();
    const warnings = fluxPayloads(face.events, "protocolWarning");
    expect(
      warnings.map((warning) => (warning.code === "RULE_VIOLATION" ? warning.rule : warning.code)),
    ).toEqual(expect.arrayContaining(["order", 2, "SEQUENCE_GAP"]));
    expect(face.closeReport).toMatchObject({ code: 1005, wasClean: true });
  });
});

describe("both faces", () => {
  it("deliver the same events for the same audio, line for line", () => {
    const [first, second] = faces.map((kind) => transcriptsByFace.get(kind.name));
    expect(first?.length).toBeGreaterThan(20);
    expect(second).toEqual(first);
  });
});
