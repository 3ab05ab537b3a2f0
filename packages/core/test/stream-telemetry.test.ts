/**
 * The stream's diagnostics as measured in core (both faces publish these): stream time and
 * audio end → final latency for raw audio whose rate the options give, and for a WAV stream
 * sent without `encoding`/`sample_rate` (the rate then comes from its header, whose bytes are
 * no audio time — the CLI sends files that way).
 */
import { ManualClock, readFixture, silence, tone, wav } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import type { ClientDiagnosticName, ClientDiagnostics, DiagnosticsSink } from "../src/diagnostics.ts";
import { parseFluxMessage } from "../src/flux/messages.ts";
import { parseServerMessage, type ServerMessage } from "../src/messages.ts";
import { AudioTimeline } from "../src/reconnect/audio-timeline.ts";
import { StreamTelemetry } from "../src/reconnect/stream-telemetry.ts";

type Published = {
  [N in ClientDiagnosticName]: { name: N; payload: ClientDiagnostics[N] };
}[ClientDiagnosticName];

function recordingSink(): DiagnosticsSink & { readonly published: Published[] } {
  const published: Published[] = [];
  return {
    published,
    wanted: () => true,
    publish: (name, payload) => published.push({ name, payload } as Published),
  };
}

function of<N extends ClientDiagnosticName>(
  published: readonly Published[],
  name: N,
): ClientDiagnostics[N][] {
  return published
    .filter((entry) => entry.name === name)
    .map((entry) => entry.payload as ClientDiagnostics[N]);
}

/** A final result covering [start, start + duration) of the stream. */
function finalResult(start: number, duration: number): ServerMessage {
  const data = JSON.parse(readFixture("messages/Results.docs-getting-started.json")) as Record<
    string,
    unknown
  >;
  return parseServerMessage(
    JSON.stringify({ ...data, start, duration, is_final: true, from_finalize: false }),
  );
}

/** Sends `bytes` in 100 ms frames (3,200 bytes at 16 kHz linear16), one per 100 ms of clock. */
function sendInFrames(
  telemetry: StreamTelemetry,
  clock: ManualClock,
  bytes: Buffer,
  frameBytes = 3_200,
): void {
  for (let offset = 0; offset < bytes.length; offset += frameBytes) {
    telemetry.audioSent(bytes.subarray(offset, offset + frameBytes));
    clock.advance(100);
  }
}

describe("StreamTelemetry", () => {
  it("raw audio: stream time from the options' rate; latency from sending the audio a final ends at", () => {
    const sink = recordingSink();
    const clock = new ManualClock(1_000);
    const telemetry = new StreamTelemetry({
      sink,
      clock,
      streamId: "s",
      options: { encoding: "linear16", sample_rate: 16_000 },
    });
    sendInFrames(telemetry, clock, Buffer.concat([tone(1), silence(1)]));
    // The frame ending at 1.0 s was sent at 1_000 + 900 ms; the clock is now at 3_000.
    telemetry.received(finalResult(0, 1), clock.now());

    expect(of(sink.published, "audio").at(-1)).toMatchObject({ totalBytes: 64_000, streamSeconds: 2 });
    expect(of(sink.published, "finalLatency")).toEqual([
      expect.objectContaining({ audioEndSeconds: 1, latencyMs: 1_100 }),
    ]);
  });

  it("Flux: an EndOfTurn is the final; latency from sending the audio its window ends at", () => {
    const sink = recordingSink();
    const clock = new ManualClock(1_000);
    const telemetry = new StreamTelemetry({
      sink,
      clock,
      streamId: "s",
      options: { encoding: "linear16", sample_rate: 16_000 },
    });
    sendInFrames(telemetry, clock, Buffer.concat([tone(1), silence(1)]));
    const turnInfo = (event: string, end: number) =>
      parseFluxMessage(
        JSON.stringify({
          type: "TurnInfo",
          sequence_id: 1,
          event,
          turn_index: 2,
          audio_window_start: 0,
          audio_window_end: end,
          transcript: "Hi.",
          words: [],
          end_of_turn_confidence: 0.8,
          ...(event === "EndOfTurn" ? { trigger: "model" } : {}),
        }),
      );
    // Updates and the eager end are no final; the frame ending at 1.5 s was sent at 1_000 + 1_400.
    telemetry.received(turnInfo("Update", 1.25), clock.now());
    telemetry.received(turnInfo("EagerEndOfTurn", 1.5), clock.now());
    telemetry.received(turnInfo("EndOfTurn", 1.5), clock.now());
    expect(of(sink.published, "endOfTurnLatency")).toEqual([
      expect.objectContaining({ turnIndex: 2, trigger: "model", audioEndSeconds: 1.5, latencyMs: 600 }),
    ]);
    expect(of(sink.published, "finalLatency")).toEqual([]);
  });

  it("a WAV without encoding/sample_rate: rate from its header, the header is no audio time", () => {
    const sink = recordingSink();
    const clock = new ManualClock(0);
    const telemetry = new StreamTelemetry({ sink, clock, streamId: "s", options: {} });
    const narrowband = { sampleRate: 8_000 };
    const file = wav(Buffer.concat([tone(1, narrowband), silence(1, narrowband)]), narrowband);
    // The header arrives split over the first frames (a 10-byte frame, then the rest).
    telemetry.audioSent(file.subarray(0, 10));
    sendInFrames(telemetry, clock, file.subarray(10), 1_600);
    telemetry.received(finalResult(0, 1), clock.now());

    const audio = of(sink.published, "audio");
    expect(audio[0]?.streamSeconds).toBeUndefined();
    expect(audio.at(-1)).toMatchObject({ totalBytes: file.length, streamSeconds: 2 });
    const [latency] = of(sink.published, "finalLatency");
    expect(latency?.audioEndSeconds).toBe(1);
    // 1.0 s of audio ends 16,000 bytes after the 44-byte header: inside the 11th 1,600-byte
    // frame after the first 10 bytes (sent at 1_000 ms); 21 frames leave the clock at 2_100 ms.
    expect(latency?.latencyMs).toBe(1_100);
  });

  it("audio of unknown rate (no options, no WAV header): no stream time, no latency, the rest still published", () => {
    const sink = recordingSink();
    const clock = new ManualClock(0);
    const telemetry = new StreamTelemetry({ sink, clock, streamId: "s", options: {} });
    telemetry.audioSent(new TextEncoder().encode("OggS\u0000\u0002 not a wav at all"));
    sendInFrames(telemetry, clock, tone(0.5));
    telemetry.received(finalResult(0, 0.5), clock.now());

    expect(of(sink.published, "audio").every((payload) => payload.streamSeconds === undefined)).toBe(true);
    expect(of(sink.published, "result")).toHaveLength(1);
    expect(of(sink.published, "finalLatency")).toEqual([]);
  });
});

describe("AudioTimeline", () => {
  it("gives up on a WAV it cannot decode (24-bit PCM) and on a header that never completes", () => {
    const header = wav(silence(0.1));
    header.writeUInt16LE(3, 32); // block align of 24-bit mono
    header.writeUInt16LE(24, 34);
    const unsupported = new AudioTimeline({});
    unsupported.observe(header);
    expect(unsupported.measurable).toBe(false);

    // A RIFF/WAVE start whose chunks go on and on before any `fmt `/`data`.
    const endless = new AudioTimeline({});
    const start = Buffer.from("RIFF\u0000\u0000\u0000\u0000WAVEjunk\u0000\u0000\u0001\u0000", "latin1");
    endless.observe(start);
    expect(endless.measurable).toBe(true);
    endless.observe(Buffer.alloc(64 * 1024));
    expect(endless.measurable).toBe(false);
    expect(endless.secondsAt(100_000)).toBeUndefined();
  });

  it("does not keep a reference to a frame the caller may reuse", () => {
    const file = wav(silence(0.1));
    const timeline = new AudioTimeline({});
    const first = Buffer.from(file.subarray(0, 20));
    timeline.observe(first);
    first.fill(0); // reused by the caller for the next frame
    timeline.observe(file.subarray(20));
    expect(timeline.secondsAt(44 + 3_200)).toBeCloseTo(0.1);
  });
});
