/**
 * Where a client's session runs: on the shared engine pool, or on an engine the application
 * hosts in a worker of its own (`serveLiveSessions`, reached through the client's `engine` port).
 */
import type { MessagePort } from "node:worker_threads";
import { acquireEngine, type EngineLease, type PooledSession } from "./engine-pool.ts";

/** A lease on the engine for one session: the pool's (started from `workerUrl` when given) or `engine`'s. */
export function leaseEngine(
  session: PooledSession,
  deadline: number,
  engine: MessagePort | undefined,
  workerUrl: URL | undefined,
): EngineLease {
  if (engine === undefined) return acquireEngine(session, deadline, workerUrl);
  // The application owns that thread: what to do when it dies is the application's call.
  return { open: (request) => engine.postMessage(request, [request.port]), release() {}, engineLost() {} };
}
