/**
 * One interface over both client faces, so a single list of scenarios runs against the async
 * `AsyncLiveClient` and the threaded `LiveClient`. An adapter records every event its client
 * delivers, in delivery order, and gives the methods one promise-shaped form: `start()` rejects
 * with the typed error when the stream did not open, `finish()` resolves with the `Metadata`
 * (rejects with the close error when the stream did not end cleanly).
 */
import type { LiveTranscriptionEvent, LiveTranscriptionEventMap } from "@earshot/async";
import type { AudioSource, ClientOptions, CloseReport, LiveOptions, MetadataMessage } from "@earshot/core";

/** One delivered event and its payload. */
export type RecordedEvent = {
  [E in LiveTranscriptionEvent]: { readonly event: E; readonly payload: LiveTranscriptionEventMap[E] };
}[LiveTranscriptionEvent];

/** One stream through one face. */
export interface Face {
  /** Every event delivered so far, in delivery order. */
  readonly events: readonly RecordedEvent[];
  /** How the stream ended, once `Close` was delivered. */
  readonly closeReport: CloseReport | undefined;
  /** Makes the client (throws what its constructor throws, e.g. OptionsError for an unknown option). */
  create(client: ClientOptions): void;
  /** Opens the stream (creating the client first if `create` was not called); rejects with the typed error (after `Error` and `Close`) when it cannot. */
  start(options: LiveOptions, client?: ClientOptions): Promise<void>;
  /**
   * Queues one chunk of audio; rejects when the client refused it. Once the stream has closed
   * that is a `StateError` whose `cause` closed the stream (the threaded client returns false
   * and emits nothing; its adapter turns that into the same error).
   */
  send(bytes: Uint8Array): Promise<void>;
  /** Sends a whole source through the face's own `sendFrom`. */
  sendFrom(source: AudioSource): Promise<void>;
  /** Asks the server to flush what it has (`from_finalize` results); false once closed. */
  finalize(channel?: number): boolean;
  /** Closes now (`Error` with AbortedError, then `Close`). */
  abort(reason?: unknown): void;
  /**
   * CloseStream behind the audio; resolves with the Metadata once everything was delivered.
   * `timeout`: how long to wait for the server's close (the client's finishTimeoutMs if unset).
   */
  finish(options?: { timeout?: number }): Promise<MetadataMessage | undefined>;
  /** Whether the stream is open. */
  isConnected(): boolean;
}

/** A face by name: how to make a stream of it, and what to release after a test file. */
export interface FaceKind {
  readonly name: "async" | "threaded";
  create(): Face;
  /** Releases what the face keeps between streams (the threaded engine pool). */
  cleanup(): Promise<void>;
}

/** The payloads of every `event` recorded. */
export function payloads<E extends LiveTranscriptionEvent>(
  events: readonly RecordedEvent[],
  event: E,
): LiveTranscriptionEventMap[E][] {
  return events
    .filter((recorded) => recorded.event === event)
    .map((recorded) => recorded.payload as LiveTranscriptionEventMap[E]);
}

/** The event names recorded, in order. */
export function names(events: readonly RecordedEvent[]): LiveTranscriptionEvent[] {
  return events.map((recorded) => recorded.event);
}

/** The final results' transcripts (non-empty), in delivery order. */
export function finalTranscripts(events: readonly RecordedEvent[]): string[] {
  return payloads(events, "Results")
    .filter((result) => result.is_final)
    .map((result) => result.channel.alternatives[0]?.transcript ?? "")
    .filter((text) => text !== "");
}

/**
 * One event as a line of text without what differs between two runs of the same stream
 * (request ids, creation times, hashes): what two faces must agree on, event by event.
 */
export function describeEvent(recorded: RecordedEvent): string {
  switch (recorded.event) {
    case "Results": {
      const r = recorded.payload;
      const flags = [
        r.is_final && "final",
        r.speech_final && "speech_final",
        r.from_finalize && "from_finalize",
      ];
      const words = (r.channel.alternatives[0]?.words ?? []).map((w) => `${w.word}@${w.start}-${w.end}`);
      return `Results ${flags.filter(Boolean).join(",") || "interim"} ${r.start}+${r.duration} [${words.join(" ")}]`;
    }
    case "Metadata":
      return `Metadata duration=${recorded.payload.duration} channels=${recorded.payload.channels}`;
    case "UtteranceEnd":
      return `UtteranceEnd ${recorded.payload.last_word_end}`;
    case "SpeechStarted":
      return `SpeechStarted ${recorded.payload.timestamp}`;
    case "Unhandled":
      return `Unhandled ${recorded.payload.type} ${"raw" in recorded.payload ? recorded.payload.raw : ""}`;
    case "error":
      return `error ${recorded.payload.code} ${recorded.payload.dgCode ?? ""}`;
    case "close":
      return `close ${recorded.payload.code} ${recorded.payload.wasClean} ${recorded.payload.dgCode ?? ""}`;
    case "open":
      return "open";
    case "reconnecting":
      return `reconnecting attempt=${recorded.payload.attempt} ${recorded.payload.error.code}`;
    case "reconnected":
      return `reconnected attempt=${recorded.payload.attempt} offset=${recorded.payload.offsetSeconds.toFixed(2)}`;
  }
}
