// (6) The last final comes `lateMs` after CloseStream (the server flushing its last audio):
// does the client's own way of finishing deliver it, and how long after it does it return?
import { now } from "../clock.mjs";
import { audioFrames, PCM } from "./audio.mjs";

export async function lateFinal(open, _params, { url }) {
  let finalAt = 0;
  const connection = await open({
    url,
    live: PCM,
    onMessage(message) {
      if (message.type === "Results" && message.channel.alternatives[0].transcript === "late final")
        finalAt = now();
    },
    onClose() {},
  });
  for (const frame of audioFrames(1)) connection.send(frame);
  const finishingAt = now();
  await connection.finish();
  const finishedAt = now();
  return {
    delivered: finalAt !== 0,
    finishAfterFinalMs: finalAt === 0 ? Number.NaN : finishedAt - finalAt,
    finishMs: finishedAt - finishingAt,
  };
}
