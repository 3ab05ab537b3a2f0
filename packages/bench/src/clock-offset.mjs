// The offset between this process's clock and the server's, NTP-style: the round trip with the
// smallest delay bounds the error by half that delay.
import WebSocket from "ws";
import { now } from "./clock.mjs";

/**
 * @param {string} url the benchmark server's base url
 * @returns {Promise<{ offsetMs: number, rttMs: number }>} server clock − this clock, and the
 *   round trip it was measured over (the offset's error is at most half of it)
 */
export async function measureClockOffset(url, rounds = 40) {
  const ws = new WebSocket(`${url}/clock`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < rounds; i++) {
    const sentAt = now();
    const reply = new Promise((resolve) => ws.once("message", resolve));
    ws.send("t");
    const { t } = JSON.parse(await reply);
    const receivedAt = now();
    const rttMs = receivedAt - sentAt;
    if (rttMs < best.rttMs) best = { offsetMs: t - (sentAt + receivedAt) / 2, rttMs };
  }
  ws.close();
  await new Promise((resolve) => ws.once("close", resolve));
  return best;
}
