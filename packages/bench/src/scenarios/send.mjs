// (1) Send throughput: `seconds` of audio in 20 ms frames as fast as the client takes them,
// then CloseStream. The server answers CloseStream (behind every byte, so after counting them
// all) with Metadata: the time from the first send to that Metadata is the time to deliver.
import { now } from "../clock.mjs";
import { audioFrames, PCM } from "./audio.mjs";
import { cpuMsSince } from "./stats.mjs";

export async function send(open, { seconds }, { url }) {
  const frames = audioFrames(seconds);
  let metadataAt = 0;
  let cpuMs = 0;
  let cpuStart;
  const connection = await open({
    url,
    live: PCM,
    onMessage(message) {
      if (message.type === "Metadata" && metadataAt === 0) {
        metadataAt = now();
        cpuMs = cpuMsSince(cpuStart);
      }
    },
    onClose() {},
  });
  cpuStart = process.cpuUsage();
  const startedAt = now();
  await connection.sendAll(frames);
  await connection.finish();
  if (metadataAt === 0) throw new Error("the stream ended without Metadata");
  return { ms: metadataAt - startedAt, cpuMs, bytes: frames.length * frames[0].byteLength };
}
