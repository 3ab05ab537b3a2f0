// earshot's threaded face: synchronous calls, the socket on the engine worker.
import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
import { API_KEY } from "./common.mjs";

/** @param {import("./common.mjs").OpenArgs} args @returns {Promise<import("./common.mjs").Connection>} */
export async function openEarshotThreaded({
  url,
  live,
  onMessage,
  onClose,
  keepAliveMs,
  expectMessages = 0,
}) {
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
