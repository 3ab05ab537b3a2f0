/**
 * The entry of the pool's engine worker (dist/engine-worker.js): serves sessions on
 * `parentPort`. A crash fails every hosted session through shared memory first, so an
 * application thread blocked in `start()`, `send()` or `finish()` wakes at once instead of
 * waiting for its timeout.
 */
import { parentPort } from "node:worker_threads";
import { failAllHostedSessions } from "./hosted-session.ts";
import { serveLiveSessions } from "./serve-live-sessions.ts";

if (parentPort === null) throw new Error("engine-worker.js runs only as a worker thread (new Worker(...)).");

let crashRequested = false;

process.on("uncaughtException", (error) => {
  failAllHostedSessions();
  // A real crash stays visible to whoever debugs it; then the thread ends and its exit code
  // tells the pool.
  if (!crashRequested) console.error("earshot engine worker crashed:", error);
  process.exit(1);
});

serveLiveSessions(parentPort);
parentPort.on("message", (message: unknown) => {
  if (
    typeof message === "object" &&
    message !== null &&
    (message as { type?: unknown }).type === "earshot:crash"
  ) {
    crashRequested = true;
    // The test hook: a real uncaught exception, taking the same path as any bug would.
    setImmediate(() => {
      throw new Error("engine worker crashed on request (killEngineWorkers test hook)");
    });
  }
});
