// @deepgram/sdk v5 (latest 5.x), its documented listen.v1 socket (listen.v2 for Flux), reconnect off.
import { DeepgramClient } from "@deepgram/sdk-v5";
import { API_KEY } from "./common.mjs";

/** @param {import("./common.mjs").OpenArgs} args @returns {Promise<import("./common.mjs").Connection>} */
export async function openDeepgramV5({ url, live, onMessage, onClose, endpoint = "listen" }) {
  const http = url.replace(/^ws/, "http");
  const deepgram = new DeepgramClient({
    apiKey: API_KEY,
    environment: { base: http, production: url, agent: url, agentRest: http },
    reconnect: false,
  });
  const connection =
    endpoint === "flux"
      ? await deepgram.listen.v2.connect({ ...live, reconnectAttempts: 0 })
      : await deepgram.listen.v1.connect({ model: "nova-3", ...live, reconnectAttempts: 0 });
  const closed = new Promise((resolve) => {
    connection.on("close", (event) => {
      onClose({ code: event.code });
      resolve();
    });
  });
  connection.on("message", onMessage);
  connection.on("error", () => {});
  connection.connect();
  await connection.waitForOpen();
  const open = () => connection.readyState === 1;
  return {
    send(frame) {
      if (open()) connection.sendMedia(frame);
    },
    async sendAll(frames) {
      for (const frame of frames) connection.sendMedia(frame);
    },
    keepAlive() {
      if (open()) connection.sendKeepAlive({ type: "KeepAlive" });
    },
    async finish() {
      if (open()) connection.sendCloseStream({ type: "CloseStream" });
      await closed;
    },
  };
}
