/** The CLI's stream on `@earshot/async`'s `AsyncLiveClient` (the default face). */
import { AsyncLiveClient, LiveTranscriptionEvents } from "@earshot/async";
import type { ServerMessage } from "@earshot/core";
import type { FaceFactory } from "./face.ts";

/** `AsyncLiveClient`: every call is already a promise, so this is a thin mapping. */
export const createAsyncFace: FaceFactory = (clientOptions, events) => {
  const client = new AsyncLiveClient(clientOptions);
  const forward = (message: ServerMessage) => events.message(message);
  client.on(LiveTranscriptionEvents.Transcript, forward);
  client.on(LiveTranscriptionEvents.Metadata, forward);
  client.on(LiveTranscriptionEvents.UtteranceEnd, forward);
  client.on(LiveTranscriptionEvents.SpeechStarted, forward);
  client.on(LiveTranscriptionEvents.Unhandled, forward);
  client.on(LiveTranscriptionEvents.Error, (error) => events.error(error));
  return {
    start: (options) => client.start(options),
    send: (chunk) => client.send(chunk),
    finalize: async () => {
      client.finalize();
    },
    finish: async (timeoutMs) => {
      await client.finish(timeoutMs === undefined ? {} : { timeout: timeoutMs });
    },
    abort: () => client.abort(),
  };
};
