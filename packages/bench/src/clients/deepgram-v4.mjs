// @deepgram/sdk v4 (4.11), pointed at the server the documented way (global.websocket.options.url).
import { createClient, LiveTranscriptionEvents } from "@deepgram/sdk-v4";
import { API_KEY } from "./common.mjs";

/** @param {import("./common.mjs").OpenArgs} args @returns {Promise<import("./common.mjs").Connection>} */
export async function openDeepgramV4({ url, live, onMessage, onClose }) {
  const deepgram = createClient(API_KEY, { global: { websocket: { options: { url } } } });
  const connection = deepgram.listen.live({ model: "nova-3", ...live });
  const closed = new Promise((resolve) => {
    connection.on(LiveTranscriptionEvents.Close, (event) => {
      onClose({ code: event.code });
      resolve();
    });
  });
  connection.on(LiveTranscriptionEvents.Transcript, onMessage);
  connection.on(LiveTranscriptionEvents.Metadata, onMessage);
  await new Promise((resolve, reject) => {
    connection.on(LiveTranscriptionEvents.Open, resolve);
    connection.on(LiveTranscriptionEvents.Error, reject);
  });
  connection.on(LiveTranscriptionEvents.Error, () => {});
  return {
    send(frame) {
      if (connection.isConnected()) connection.send(frame);
    },
    async sendAll(frames) {
      for (const frame of frames) connection.send(frame);
    },
    keepAlive() {
      if (connection.isConnected()) connection.keepAlive();
    },
    async finish() {
      if (connection.isConnected()) connection.requestClose();
      await closed;
    },
  };
}
