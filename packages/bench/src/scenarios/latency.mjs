// (3) Latency server → handler: the server sends `count` Results at a steady rate, each stamped
// with its clock; the handler subtracts the stamp, corrected by the measured clock offset.
import { now } from "../clock.mjs";
import { measureClockOffset } from "../clock-offset.mjs";
import { PCM } from "./audio.mjs";
import { quantile } from "./stats.mjs";

export async function latency(open, { count }, { url }) {
  const clock = await measureClockOffset(url);
  const latencies = [];
  let allHandled;
  const done = new Promise((resolve) => {
    allHandled = resolve;
  });
  const connection = await open({
    url,
    live: PCM,
    onMessage(message) {
      const receivedAt = now();
      if (message.type !== "Results") return;
      const stamp = Number(message.metadata.request_id.slice("stamp:".length));
      latencies.push(receivedAt - (stamp - clock.offsetMs));
      if (latencies.length === count) allHandled();
    },
    onClose() {
      allHandled();
    },
  });
  await done;
  await connection.finish();
  if (latencies.length !== count) throw new Error(`handled ${latencies.length} of ${count} Results`);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    clockOffsetMs: clock.offsetMs,
    clockRttMs: clock.rttMs,
  };
}
