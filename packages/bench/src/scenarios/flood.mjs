// What (2) receive and (7) Flux turns share: open a stream, say "go", time until `count` messages
// the scenario counts have been handled, then finish.
import { now } from "../clock.mjs";
import { cpuMsSince } from "./stats.mjs";

/**
 * @param {(args: object) => Promise<import("../clients/common.mjs").Connection>} open
 * @param {object} args the stream's open arguments (url, live, endpoint…), without the callbacks
 * @param {number} count messages to handle
 * @param {(message: Record<string, unknown>) => boolean} handle handles one message; true when
 *   it counts (the handler reads what a user would, so lazy parsing pays here too)
 * @param {(connection: import("../clients/common.mjs").Connection) => void} go makes the server flood
 * @returns {Promise<{ ms: number, cpuMs: number }>}
 */
export async function timeFlood(open, args, count, handle, go) {
  let handled = 0;
  let lastAt = 0;
  let cpuStart;
  let cpuMs = 0;
  let allHandled;
  const done = new Promise((resolve) => {
    allHandled = resolve;
  });
  const connection = await open({
    ...args,
    expectMessages: count,
    onMessage(message) {
      if (!handle(message)) return;
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
  go(connection);
  await done;
  await connection.finish();
  if (handled !== count) throw new Error(`handled ${handled} of ${count} messages`);
  return { ms: lastAt - startedAt, cpuMs };
}
