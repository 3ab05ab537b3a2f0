// (7) Flux turns: once the stream is open the client sends one audio frame ("go") and the server
// writes `count` TurnInfo messages of whole turns (StartOfTurn, Updates, EagerEndOfTurn,
// EndOfTurn) at once; the time from "go" to the last one handled is the time to handle them.
// earshot runs each through its turn tracker (the §8.6 state machine) and typed turn events;
// raw ws and DG v5 hand over the parsed message.
import { audioFrames } from "./audio.mjs";
import { timeFlood } from "./flood.mjs";

const FLUX = { model: "flux-general-en", encoding: "linear16", sample_rate: 16_000 };

export async function flux(open, { count }, { url }) {
  let characters = 0;
  let endOfTurns = 0;
  const handle = (message) => {
    if (message.type !== "TurnInfo") return false;
    characters += message.transcript.length;
    if (message.event === "EndOfTurn") endOfTurns++;
    return true;
  };
  const [go] = audioFrames(0.02);
  const timed = await timeFlood(open, { url, live: FLUX, endpoint: "flux" }, count, handle, (connection) =>
    connection.send(go),
  );
  return { ...timed, characters, endOfTurns };
}
