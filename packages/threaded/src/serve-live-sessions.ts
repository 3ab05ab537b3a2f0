/**
 * The engine side of the threaded client, public so that an application can host it on a
 * thread it already owns instead of the pool's worker.
 */
import type { MessagePort } from "node:worker_threads";
import { HostedSession } from "./hosted-session.ts";
import { isOpenSessionRequest } from "./port-protocol.ts";

/** Stops serving new sessions on a port; sessions already open go on until they close. */
export type StopServing = () => void;

/**
 * Serves live sessions to `LiveClient`s on `port`: each `start()` of a client built with
 * `new LiveClient({ engine: otherEndOfPort })` opens one socket here, on this thread. Call it
 * in a worker you own (the engine must not share a thread with a client that blocks in
 * `start()`/`finish()`, or that thread would wait on itself).
 *
 * Several clients, on any threads, may share one port. Messages on the port that are not
 * session requests are ignored, so the port can carry your own protocol too.
 *
 * @param port - one end of a `MessageChannel` (or a worker's `parentPort`).
 * @returns a function that stops serving new sessions on `port`.
 * @example
 * ```ts
 * // engine-host.mjs, run with new Worker("./engine-host.mjs", { workerData: { port }, transferList: [port] })
 * import { workerData } from "node:worker_threads";
 * import { serveLiveSessions } from "@earshot/threaded";
 * serveLiveSessions(workerData.port);
 *
 * // main thread
 * const { port1, port2 } = new MessageChannel();
 * const host = new Worker(new URL("./engine-host.mjs", import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
 * const client = new LiveClient({ engine: port1 });
 * ```
 */
export function serveLiveSessions(port: MessagePort): StopServing {
  const onMessage = (message: unknown) => {
    if (isOpenSessionRequest(message)) new HostedSession(message);
  };
  port.on("message", onMessage);
  return () => {
    port.off("message", onMessage);
  };
}
