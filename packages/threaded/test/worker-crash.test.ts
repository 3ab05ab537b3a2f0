/** The engine worker dies mid-stream: every session on it gets Error + Close once, no call hangs. */
import { WorkerExitedError } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { waitFor } from "@earshot/testkit";
import { engineStats, killEngineWorkers, LiveClient } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, PCM, payloads, record, speech } from "./support/harness.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("LiveClient when the engine worker dies", () => {
  for (const how of ["crash", "terminate"] as const) {
    it(`${how}: each open session gets Error (WorkerExitedError) then Close, once; a new client then starts`, async () => {
      server = await startServerThread();
      const first = new LiveClient({ url: server.url });
      const second = new LiveClient({ url: server.url });
      const logs = [record(first), record(second)];
      expect(first.start(PCM)).toBe(true);
      expect(second.start(PCM)).toBe(true);
      expect(engineStats()).toMatchObject({ workers: 1, sessions: 2 });
      for (const piece of speech().slice(0, 10)) first.send(piece);

      killEngineWorkers(how);
      await waitFor(() => logs.every((log) => log.names().includes("close")), "Close on both sessions");
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const log of logs) {
        expect(log.names().slice(-2)).toEqual(["error", "close"]);
        expect(log.names().filter((name) => name === "close")).toHaveLength(1);
        const [error] = payloads(log.events, "error");
        expect(error).toBeInstanceOf(WorkerExitedError);
        expect(error).toMatchObject({ code: "ERR_WORKER_EXITED", retryable: true });
      }
      expect(first.isConnected()).toBe(false);
      // No call hangs or throws on a dead session.
      expect(first.send(Buffer.alloc(640))).toBe(false);
      expect(first.finish()).toBe(false);
      await waitFor(() => engineStats().workers === 0, "the dead worker's exit");

      // The next start() gets a fresh worker.
      const third = new LiveClient({ url: server.url });
      const log = record(third);
      expect(third.start(PCM)).toBe(true);
      expect(engineStats()).toMatchObject({ workers: 1, sessions: 1 });
      for (const piece of speech()) third.send(piece);
      expect(third.finish()).toBe(true);
      expect(log.names().at(-1)).toBe("close");
    });
  }

  it("a crash while the thread is blocked in finish() wakes it at once with Error + Close", async () => {
    // The server holds the last finals long enough for the crash to land during finish().
    server = await startServerThread({ faults: { finalDelayMs: 3_000 } });
    const client = new LiveClient({ url: server.url });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    for (const piece of speech().slice(0, 20)) client.send(piece);
    killEngineWorkers("crash");
    expect(client.finish()).toBe(false);
    expect(log.names().slice(-2)).toEqual(["error", "close"]);
    expect(payloads(log.events, "error")[0]).toBeInstanceOf(WorkerExitedError);
    await waitFor(() => engineStats().workers === 0, "the crashed worker's exit");
  });
});
