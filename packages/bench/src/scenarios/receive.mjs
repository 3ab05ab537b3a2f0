// (2) Receive: once the stream is open the client says "go" (a KeepAlive) and the server writes
// `count` real-shaped Results at once; the time from "go" to the last one handled is the time
// to handle them (the connection's set-up, which differs per client, is not in it; one round
// trip on loopback is).
import { PCM } from "./audio.mjs";
import { timeFlood } from "./flood.mjs";

export async function receive(open, { count }, { url }) {
  let characters = 0;
  const handle = (message) => {
    if (message.type !== "Results") return false;
    characters += message.channel.alternatives[0].transcript.length;
    return true;
  };
  const timed = await timeFlood(open, { url, live: PCM }, count, handle, (connection) =>
    connection.keepAlive(),
  );
  return { ...timed, characters };
}
