/**
 * The CLI's stream on `@earshot/threaded`'s `LiveClient` (`--threaded`): synchronous calls that
 * report failure as `false` plus an `Error` event, turned back into rejections here.
 */
import type { ServerMessage } from "@earshot/core";
import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
import type { FaceFactory } from "./face.ts";

/** `LiveClient`: its socket lives on the engine worker; start/send/finish block (bounded). */
export const createThreadedFace: FaceFactory = (clientOptions, events) => {
  const client = new LiveClient(clientOptions);
  let lastError: unknown;
  const forward = (message: ServerMessage) => events.message(message);
  client.on(LiveTranscriptionEvents.Transcript, forward);
  client.on(LiveTranscriptionEvents.Metadata, forward);
  client.on(LiveTranscriptionEvents.UtteranceEnd, forward);
  client.on(LiveTranscriptionEvents.SpeechStarted, forward);
  client.on(LiveTranscriptionEvents.Unhandled, forward);
  client.on(LiveTranscriptionEvents.Error, (error) => {
    lastError = error;
    events.error(error);
  });
  const failure = (what: string) => lastError ?? new Error(`${what} failed`);
  return {
    start: async (options) => {
      if (!client.start(options)) throw failure("connecting");
    },
    send: async (chunk) => {
      if (!client.send(chunk)) throw failure("sending audio");
    },
    finalize: async () => {
      if (!client.finalize()) throw failure("finalizing");
    },
    finish: async (timeoutMs) => {
      if (!client.finish(timeoutMs === undefined ? {} : { timeout: timeoutMs })) {
        throw failure("finishing the stream");
      }
    },
    abort: () => client.abort(),
  };
};
