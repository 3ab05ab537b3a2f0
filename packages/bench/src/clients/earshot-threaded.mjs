// earshot's threaded face: synchronous calls, the socket on the engine worker.
import { FluxClient, FluxEvents, LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
import { API_KEY, FLUX_TURN_EVENTS } from "./common.mjs";

/** @param {import("./common.mjs").OpenArgs} args @returns {Promise<import("./common.mjs").Connection>} */
export async function openEarshotThreaded(args) {
  if (args.endpoint === "flux") return openEarshotThreadedFlux(args);
  const { url, live, onMessage, onClose, keepAliveMs, expectMessages = 0 } = args;
  const client = new LiveClient({
    url,
    apiKey: API_KEY,
    keepAlive: keepAliveMs ?? false,
    // A flood is read on purpose faster than it is handled: the engine must hold it all.
    maxBufferedEvents: Math.max(10_000, expectMessages * 2),
  });
  client.on(LiveTranscriptionEvents.Transcript, onMessage);
  client.on(LiveTranscriptionEvents.Metadata, onMessage);
  client.on(LiveTranscriptionEvents.Error, () => {});
  client.on(LiveTranscriptionEvents.Close, (report) =>
    onClose({ code: report.code, error: report.error?.code }),
  );
  if (!client.start(live)) throw new Error("LiveClient did not open");
  return {
    send(frame) {
      if (client.isConnected()) client.send(frame);
    },
    async sendAll(frames) {
      for (const frame of frames) client.send(frame);
    },
    keepAlive() {
      if (client.isConnected()) client.keepAlive();
    },
    async finish() {
      client.finish();
    },
  };
}

/**
 * Flux through `FluxClient`: every TurnInfo through the typed turn events.
 * @param {import("./common.mjs").OpenArgs} args
 * @returns {Promise<import("./common.mjs").Connection>}
 */
function openEarshotThreadedFlux({ url, live, onMessage, onClose, expectMessages = 0 }) {
  const client = new FluxClient({
    url,
    apiKey: API_KEY,
    keepAlive: false,
    maxBufferedEvents: Math.max(10_000, expectMessages * 2),
  });
  for (const event of FLUX_TURN_EVENTS) client.on(event, onMessage);
  client.on(FluxEvents.Error, () => {});
  client.on(FluxEvents.Close, (report) => onClose({ code: report.code, error: report.error?.code }));
  if (!client.start(live)) throw new Error("FluxClient did not open");
  return {
    send(frame) {
      if (client.isConnected()) client.send(frame);
    },
    async sendAll(frames) {
      for (const frame of frames) client.send(frame);
    },
    keepAlive() {},
    async finish() {
      client.finish();
    },
  };
}
