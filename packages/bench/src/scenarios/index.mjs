// Every scenario's client side, by name.
import { blocked } from "./blocked.mjs";
import { flux } from "./flux.mjs";
import { lateFinal } from "./late-final.mjs";
import { latency } from "./latency.mjs";
import { receive } from "./receive.mjs";
import { send } from "./send.mjs";
import { streams } from "./streams.mjs";

export const SCENARIO_RUNNERS = { send, receive, latency, streams, blocked, "late-final": lateFinal, flux };
