/**
 * A Flux stream's one timeline across reconnects (FluxTimeline): a replacement connection's
 * turn indices, audio windows, word times and sequence ids are re-based onto the stream's, its
 * greeting and the answer to the settings it is sent again are left out, and only EndOfTurn
 * acknowledges audio for the replay.
 */
import { describe, expect, it } from "vitest";
import {
  type FluxConfigureSuccessMessage,
  type FluxServerMessage,
  type FluxTurnInfoMessage,
  FluxTurnTracker,
  FORCE_END_TURN_FRAME,
  resolveClientOptions,
  systemClock,
} from "../src/index.ts";
import { FluxTimeline } from "../src/internal.ts";

const client = resolveClientOptions({ url: "ws://127.0.0.1:9" });

function turnInfo(
  sequence: number,
  fields: Partial<FluxTurnInfoMessage> & Pick<FluxTurnInfoMessage, "event">,
) {
  return {
    type: "TurnInfo",
    sequence_id: sequence,
    turn_index: 0,
    audio_window_start: 0,
    audio_window_end: 0.25,
    transcript: "",
    words: [],
    end_of_turn_confidence: 0.1,
    ...fields,
  } as FluxTurnInfoMessage;
}

/** The messages of one connection, as the timeline passes them on. */
function through(timeline: FluxTimeline, messages: FluxServerMessage[]): FluxServerMessage[] {
  return messages.flatMap((message) => {
    const rebased = timeline.rebase(message);
    return rebased === undefined ? [] : [rebased];
  });
}

describe("FluxTimeline", () => {
  it("leaves the first connection's messages as they are; EndOfTurn alone acknowledges audio", () => {
    const timeline = new FluxTimeline({ model: "flux-general-en" });
    timeline.connection(client, systemClock, { offsetSeconds: 0, replacement: false });
    const update = turnInfo(1, { event: "Update" });
    const end = turnInfo(2, {
      event: "EndOfTurn",
      transcript: "Hi.",
      audio_window_end: 1.5,
      trigger: "model",
    });
    expect(through(timeline, [{ type: "Connected", sequence_id: 0 }, update, end])).toEqual([
      { type: "Connected", sequence_id: 0 },
      update,
      end,
    ]);
    expect(timeline.acknowledges(update)).toBeUndefined();
    expect(timeline.acknowledges(end)).toBe(1.5);
  });

  it("re-bases a replacement connection onto the stream: turns, audio, words, sequence; no second Connected", () => {
    const timeline = new FluxTimeline({ model: "flux-general-en" });
    timeline.connection(client, systemClock, { offsetSeconds: 0, replacement: false });
    const before = through(timeline, [
      { type: "Connected", sequence_id: 0 },
      turnInfo(1, { event: "StartOfTurn", transcript: "Hi", audio_window_end: 0.5 }),
      turnInfo(2, { event: "EndOfTurn", transcript: "Hi.", audio_window_end: 1.5, trigger: "model" }),
      turnInfo(3, {
        event: "StartOfTurn",
        turn_index: 1,
        transcript: "And",
        audio_window_start: 1.5,
        audio_window_end: 2,
      }),
    ]);
    expect(before).toHaveLength(4);
    // The drop cut turn 1; the replay starts where turn 0 ended.
    timeline.connection(client, systemClock, { offsetSeconds: 1.5, replacement: true });
    const after = through(timeline, [
      { type: "Connected", sequence_id: 0 },
      turnInfo(1, { event: "Update", audio_window_end: 0.25 }),
      turnInfo(2, {
        event: "StartOfTurn",
        transcript: "And",
        audio_window_end: 0.5,
        words: [{ word: "And", confidence: 0.9, start: 0.1, end: 0.4 }],
      }),
      turnInfo(3, { event: "EndOfTurn", transcript: "And so.", audio_window_end: 1.25, trigger: "model" }),
      { type: "Warning", sequence_id: 4, code: "X", description: "y" },
    ]);
    expect(after.map((message) => message.type)).toEqual(["TurnInfo", "TurnInfo", "TurnInfo", "Warning"]);
    expect(after.map((message) => (message as { sequence_id?: number }).sequence_id)).toEqual([4, 5, 6, 7]);
    const start = after[1] as FluxTurnInfoMessage;
    expect(start).toMatchObject({ turn_index: 1, audio_window_start: 1.5, audio_window_end: 2 });
    expect(start.words).toEqual([{ word: "And", confidence: 0.9, start: 1.6, end: 1.9 }]);
    expect(timeline.acknowledges(after[2] as FluxServerMessage)).toBe(2.75);
    // The turn tracker sees one stream: the cut turn restarted, no rule broken, no sequence gap
    // (the cadence check is relaxed: these few messages skip the 0.25 s steps between them).
    const tracker = new FluxTurnTracker({ maxTurnInfoGapSeconds: 2 });
    const warnings = [];
    for (const message of before) warnings.push(...tracker.observe(message).warnings);
    expect(tracker.connectionReplaced()).toMatchObject({
      turnIndex: 1,
      transcript: "And",
      trigger: "unfinalised",
    });
    const turns = [];
    for (const message of after) {
      const observation = tracker.observe(message);
      warnings.push(...observation.warnings);
      if (observation.turn) turns.push(observation.turn);
    }
    expect(warnings).toEqual([]);
    expect(turns).toEqual([
      expect.objectContaining({ turnIndex: 1, transcript: "And so.", start: 1.5, end: 2.75 }),
    ]);
  });

  it("sends the settings in force again on a replacement, before the replay, and leaves out the answer", () => {
    const timeline = new FluxTimeline({ model: "flux-general-en" });
    timeline.connection(client, systemClock, { offsetSeconds: 0, replacement: false });
    const success: FluxConfigureSuccessMessage = {
      type: "ConfigureSuccess",
      sequence_id: 1,
      thresholds: { eot_threshold: 0.8, eot_timeout_ms: 5000 },
      keyterms: ["earshot"],
    };
    through(timeline, [{ type: "Connected", sequence_id: 0 }, success]);
    const replacement = timeline.connection(client, systemClock, { offsetSeconds: 0, replacement: true });
    // Queued before open: it goes out first, ahead of the replayed audio the stream queues next.
    expect(replacement.bufferedBytes).toBe(
      Buffer.byteLength(
        '{"type":"Configure","thresholds":{"eot_threshold":0.8,"eot_timeout_ms":5000},"keyterms":["earshot"]}',
      ),
    );
    const after = through(timeline, [
      { type: "Connected", sequence_id: 0 },
      { ...success, sequence_id: 1 },
      turnInfo(2, { event: "Update" }),
    ]);
    expect(after).toEqual([expect.objectContaining({ type: "TurnInfo", sequence_id: 2 })]);
    replacement.abort();
  });

  it("keeps the requests not yet answered, with their places, until their answers come", () => {
    const timeline = new FluxTimeline({ model: "flux-general-en" });
    timeline.connection(client, systemClock, { offsetSeconds: 0, replacement: false });
    const configure = '{"type":"Configure","keyterms":["a"]}';
    timeline.controlSent(configure, 3200);
    timeline.controlSent(FORCE_END_TURN_FRAME, 6400);
    timeline.controlSent(FORCE_END_TURN_FRAME, 9600);
    timeline.controlSent('{"type":"CloseStream"}', 9600);
    expect(timeline.unansweredControls()).toEqual([
      { frame: configure, atByte: 3200 },
      { frame: FORCE_END_TURN_FRAME, atByte: 6400 },
      { frame: FORCE_END_TURN_FRAME, atByte: 9600 },
    ]);
    through(timeline, [
      { type: "Connected", sequence_id: 0 },
      // The model's EndOfTurn answers no ForceEndTurn; a manual one and the Warning do.
      turnInfo(1, { event: "EndOfTurn", transcript: "Hi.", trigger: "model" }),
      turnInfo(2, { event: "EndOfTurn", transcript: "Bye.", trigger: "manual" }),
    ]);
    expect(timeline.unansweredControls()).toEqual([
      { frame: configure, atByte: 3200 },
      { frame: FORCE_END_TURN_FRAME, atByte: 9600 },
    ]);
    through(timeline, [
      { type: "ConfigureFailure", sequence_id: 3 },
      { type: "Warning", sequence_id: 4, code: "FORCE_END_TURN_NO_ACTIVE_TURN", description: "" },
    ]);
    expect(timeline.unansweredControls()).toEqual([]);
  });

  it("the answer to a request sent again on a replacement is passed on (the client waits for it)", () => {
    const timeline = new FluxTimeline({ model: "flux-general-en" });
    timeline.connection(client, systemClock, { offsetSeconds: 0, replacement: false });
    timeline.controlSent('{"type":"Configure","keyterms":["a"]}', 0);
    through(timeline, [{ type: "Connected", sequence_id: 0 }]);
    const replacement = timeline.connection(client, systemClock, { offsetSeconds: 0, replacement: true });
    expect(timeline.unansweredControls()).toHaveLength(1);
    const success: FluxConfigureSuccessMessage = {
      type: "ConfigureSuccess",
      sequence_id: 1,
      thresholds: { eot_threshold: 0.7, eot_timeout_ms: 5000 },
      keyterms: ["a"],
    };
    expect(through(timeline, [{ type: "Connected", sequence_id: 0 }, success])).toEqual([success]);
    expect(timeline.unansweredControls()).toEqual([]);
    replacement.abort();
  });
});
