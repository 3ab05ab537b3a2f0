// (4) Many real-time streams in one process: `streams` connections each send a 20 ms frame
// every 20 ms for `seconds`, while the server sends each a stamped Results every second.
// Measured over that window: the process's CPU (every thread), its peak RSS over the RSS
// before the first connection, per stream, and the delivery latency of every Results the server
// sent within that window. (Results sent before it are left out: a threaded client's thread is
// blocked in start() while the later streams open, so what the earlier ones received meanwhile
// waits for it; that is the cost of opening, not of delivering.)
import { now } from "../clock.mjs";
import { measureClockOffset } from "../clock-offset.mjs";
import { audioFrames, FRAME_MS, PCM } from "./audio.mjs";
import { cpuMsSince, quantile } from "./stats.mjs";

const OPEN_BATCH = 25;

async function inBatches(items, fn) {
  for (let i = 0; i < items.length; i += OPEN_BATCH)
    await Promise.all(items.slice(i, i + OPEN_BATCH).map(fn));
}

export async function streams(open, { streams: count, seconds }, { url }) {
  const clock = await measureClockOffset(url);
  const frames = audioFrames(1); // 50 distinct frames, reused round-robin
  globalThis.gc?.();
  const rssBefore = process.memoryUsage.rss();
  const latencies = [];
  let measuring = false;
  let startedAt = Number.POSITIVE_INFINITY;
  const connections = [];
  await inBatches(
    Array.from({ length: count }, (_, i) => i),
    async () => {
      connections.push(
        await open({
          url,
          live: PCM,
          onMessage(message) {
            const receivedAt = now();
            if (!measuring || message.type !== "Results") return;
            const stamp = Number(message.metadata.request_id.slice("stamp:".length));
            const sentAt = stamp - clock.offsetMs;
            if (sentAt >= startedAt) latencies.push(receivedAt - sentAt);
          },
          onClose() {},
        }),
      );
    },
  );

  let peakRss = process.memoryUsage.rss();
  const cpuStart = process.cpuUsage();
  startedAt = now();
  const total = Math.round((seconds * 1000) / FRAME_MS);
  let sent = 0;
  measuring = true;
  await new Promise((resolve) => {
    const tick = () => {
      // Every frame that is due by now, on every stream: real time even when a tick is late.
      const due = Math.min(total, Math.floor((now() - startedAt) / FRAME_MS) + 1);
      while (sent < due) {
        const frame = frames[sent % frames.length];
        for (const connection of connections) connection.send(frame);
        sent++;
      }
      if (sent % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (sent >= total) resolve();
      else setTimeout(tick, Math.max(0, startedAt + sent * FRAME_MS - now()));
    };
    tick();
  });
  const wallMs = now() - startedAt;
  const cpuMs = cpuMsSince(cpuStart);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  measuring = false;
  await inBatches(connections, (connection) => connection.finish());
  return {
    cpuMs,
    cpuPercent: (100 * cpuMs) / wallMs,
    rssPerStreamMB: (peakRss - rssBefore) / count / 2 ** 20,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    delivered: latencies.length,
    sentFrames: sent * count,
    clockRttMs: clock.rttMs,
  };
}
