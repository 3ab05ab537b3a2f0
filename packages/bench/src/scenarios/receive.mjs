// (2) Receive: once the stream is open the client says "go" (a KeepAlive) and the server writes
// `count` real-shaped Results at once; the time from "go" to the last one handled is the time
// to handle them (the connection's set-up, which differs per client, is not in it; one round
// trip on loopback is).
import { now } from "../clock.mjs";
import { PCM } from "./audio.mjs";
import { cpuMsSince } from "./stats.mjs";

export async function receive(open, { count }, { url }) {
  let handled = 0;
  let characters = 0;
  let lastAt = 0;
  let cpuStart;
  let cpuMs = 0;
  let allHandled;
  const done = new Promise((resolve) => {
    allHandled = resolve;
  });
  const connection = await open({
    url,
    live: PCM,
    expectMessages: count,
    onMessage(message) {
      if (message.type !== "Results") return;
      // Handling reads the transcript, so a client that parses lazily pays for it here too.
      characters += message.channel.alternatives[0].transcript.length;
      handled++;
      if (handled === count) {
        lastAt = now();
        cpuMs = cpuMsSince(cpuStart);
        allHandled();
      }
    },
    onClose() {
      allHandled();
    },
  });
  cpuStart = process.cpuUsage();
  const startedAt = now();
  connection.keepAlive();
  await done;
  await connection.finish();
  if (handled !== count) throw new Error(`handled ${handled} of ${count} Results`);
  return { ms: lastAt - startedAt, cpuMs, characters };
}
