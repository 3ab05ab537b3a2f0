// earshot's promise face. `send` is how audio goes in (`"send"`: each send() awaited;
// `"sendFrom"`: the whole array through sendFrom()); `receive` is how messages come out
// (`"on"`: event handlers; `"for-await"`: iterating the client).
import { AsyncFluxClient, AsyncLiveClient, FluxEvents, LiveTranscriptionEvents } from "@earshot/async";
import { API_KEY, FLUX_TURN_EVENTS } from "./common.mjs";

/**
 * @param {import("./common.mjs").OpenArgs} args
 * @param {{ send: "send" | "sendFrom", receive: "on" | "for-await" }} style
 * @returns {Promise<import("./common.mjs").Connection>}
 */
export async function openEarshotAsync(args, style) {
  if (args.endpoint === "flux") return openEarshotAsyncFlux(args);
  const { url, live, onMessage, onClose, keepAliveMs, reconnect, expectMessages = 0 } = args;
  const client = new AsyncLiveClient({
    url,
    apiKey: API_KEY,
    keepAlive: keepAliveMs ?? false,
    reconnect: reconnect ?? false,
    // A flood is read on purpose faster than it is handled: the iterator must not refuse it.
    iteratorBounds: { maxMessages: Math.max(1_000, expectMessages + 100), maxBytes: 2 ** 31 },
  });
  let iterating = Promise.resolve();
  if (style.receive === "for-await") {
    const messages = client[Symbol.asyncIterator]();
    iterating = (async () => {
      try {
        for await (const message of messages) onMessage(message);
      } catch {
        // The close reports the failure.
      }
    })();
  } else {
    client.on(LiveTranscriptionEvents.Transcript, onMessage);
    client.on(LiveTranscriptionEvents.Metadata, onMessage);
  }
  client.on(LiveTranscriptionEvents.Error, () => {});
  client.on(LiveTranscriptionEvents.Close, (report) =>
    onClose({ code: report.code, error: report.error?.code }),
  );
  await client.start(live);
  const ignore = () => {};
  return {
    send(frame) {
      if (client.state === "open" || client.state === "connecting") client.send(frame).catch(ignore);
    },
    async sendAll(frames) {
      if (style.send === "sendFrom") await client.sendFrom(frames);
      else for (const frame of frames) await client.send(frame);
    },
    keepAlive() {
      if (client.isConnected()) client.keepAlive();
    },
    async finish() {
      try {
        await client.finish();
      } catch {
        // Reported through Close.
      }
      await iterating;
    },
  };
}

/**
 * Flux through `AsyncFluxClient`: every TurnInfo through the typed turn events.
 * @param {import("./common.mjs").OpenArgs} args
 * @returns {Promise<import("./common.mjs").Connection>}
 */
export async function openEarshotAsyncFlux({ url, live, onMessage, onClose, expectMessages = 0 }) {
  const client = new AsyncFluxClient({
    url,
    apiKey: API_KEY,
    keepAlive: false,
    iteratorBounds: { maxMessages: Math.max(1_000, expectMessages + 100), maxBytes: 2 ** 31 },
  });
  for (const event of FLUX_TURN_EVENTS) client.on(event, onMessage);
  client.on(FluxEvents.Error, () => {});
  client.on(FluxEvents.Close, (report) => onClose({ code: report.code, error: report.error?.code }));
  await client.start(live);
  const ignore = () => {};
  return {
    send(frame) {
      if (client.state === "open" || client.state === "connecting") client.send(frame).catch(ignore);
    },
    async sendAll(frames) {
      for (const frame of frames) await client.send(frame);
    },
    keepAlive() {},
    async finish() {
      try {
        await client.finish();
      } catch {
        // Reported through Close.
      }
    },
  };
}
