// The floor: a bare `ws` client that sends and JSON.parses, nothing else.
import WebSocket from "ws";
import { API_KEY, closeStreamText, listenQuery } from "./common.mjs";

/** @param {import("./common.mjs").OpenArgs} args @returns {Promise<import("./common.mjs").Connection>} */
export async function openRawWs({ url, live, onMessage, onClose, endpoint = "listen" }) {
  const path = endpoint === "flux" ? "v2" : "v1";
  const ws = new WebSocket(`${url}/${path}/listen?${listenQuery(live)}`, {
    headers: { Authorization: `Token ${API_KEY}` },
    perMessageDeflate: false,
  });
  const closed = new Promise((resolve) => {
    ws.on("close", (code) => {
      onClose({ code });
      resolve();
    });
  });
  ws.on("message", (data) => onMessage(JSON.parse(data)));
  ws.on("error", () => {});
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const send = (frame) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  };
  return {
    send,
    async sendAll(frames) {
      for (const frame of frames) ws.send(frame);
    },
    keepAlive() {
      if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"KeepAlive"}');
    },
    async finish() {
      if (ws.readyState === WebSocket.OPEN) ws.send(closeStreamText);
      await closed;
    },
  };
}
