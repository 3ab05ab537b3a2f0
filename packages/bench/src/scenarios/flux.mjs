// (7) Flux turns: once the stream is open the client sends one audio frame ("go") and the server
// writes `count` TurnInfo messages of whole turns (StartOfTurn, Updates, EagerEndOfTurn,
// EndOfTurn) at once; the time from "go" to the last one handled is the time to handle them.
// earshot runs each through its turn tracker (the §8.6 state machine) and typed turn events;
// raw ws and DG v5 hand over the parsed message.
import { now } from "../clock.mjs";
import { audioFrames } from "./audio.mjs";
import { cpuMsSince } from "./stats.mjs";

const FLUX = { model: "flux-general-en", encoding: "linear16", sample_rate: 16_000 };

export async function flux(open, { count }, { url }) {
  let handled = 0;
  let endOfTurns = 0;
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
    live: FLUX,
    endpoint: "flux",
    expectMessages: count,
    onMessage(message) {
      if (message.type !== "TurnInfo") return;
      // Handling reads the transcript, so a client that parses lazily pays for it here too.
      characters += message.transcript.length;
      if (message.event === "EndOfTurn") endOfTurns++;
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
  const [go] = audioFrames(0.02);
  cpuStart = process.cpuUsage();
  const startedAt = now();
  connection.send(go);
  await done;
  await connection.finish();
  if (handled !== count) throw new Error(`handled ${handled} of ${count} TurnInfo messages`);
  return { ms: lastAt - startedAt, cpuMs, characters, endOfTurns };
}
