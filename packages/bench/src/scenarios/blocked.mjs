// (5) The application thread blocked for `blockMs` while the server closes streams idle for
// `idleMs` (Deepgram's NET-0001, 10 s): half the audio in real time, the block, the other half, then the
// client's own finish. The server sends a final Results per second of audio it received; the
// stream lost nothing when a final arrived for every second (with a reconnect, the client's
// re-based timestamps must still name each second once). Clients without an idle KeepAlive of
// their own get the usual application timer (same interval), which the block stops too.
import { now } from "../clock.mjs";
import { audioFrames, PCM, sendRealtime } from "./audio.mjs";

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export async function blocked(open, { blockMs, audioSeconds, keepAliveMs }, { url, ownKeepAlive }) {
  const seconds = new Set();
  let close;
  const connection = await open({
    url,
    live: PCM,
    keepAliveMs,
    onMessage(message) {
      if (message.type === "Results" && message.is_final) seconds.add(Math.round(message.start));
    },
    onClose(info) {
      close ??= { ...info, at: now() };
    },
  });
  const keepAlive = ownKeepAlive ? undefined : setInterval(() => connection.keepAlive(), keepAliveMs);
  const half = audioFrames(audioSeconds / 2);
  await sendRealtime(connection, half);
  Atomics.wait(sleepCell, 0, 0, blockMs); // the thread does nothing else meanwhile
  await new Promise((resolve) => setImmediate(resolve)); // what arrived during the block is handled
  const droppedBeforeFinish = close !== undefined;
  await sendRealtime(connection, half);
  clearInterval(keepAlive);
  await connection.finish();
  // Seconds are counted by their start: 0 … audioSeconds − 1.
  const delivered = [...seconds].filter((second) => second >= 0 && second < audioSeconds).length;
  return {
    survived: !droppedBeforeFinish && close?.code === 1000,
    finalsDelivered: delivered,
    finalsExpected: audioSeconds,
    lostSeconds: audioSeconds - delivered,
    closeCode: close?.code ?? 0,
    closeError: close?.error ?? "",
  };
}
