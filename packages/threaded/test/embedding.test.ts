/**
 * Worker-thread embedding: the engine hosted on a worker the application owns, the clients
 * used from inside a worker, and a child process that exits by itself after finish().
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { MessageChannel, type Worker } from "node:worker_threads";
import { WorkerExitedError } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { waitFor } from "@earshot/testkit";
import { engineStats, LiveClient } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, finalTranscripts, PCM, payloads, record, speech } from "./support/harness.ts";
import { startSourceWorker } from "./support/source-worker.ts";

let server: ServerThread | undefined;
const userWorkers: Worker[] = [];

afterEach(async () => {
  await Promise.all(userWorkers.splice(0).map((worker) => worker.terminate()));
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

function fixture(name: string): URL {
  return new URL(`./fixtures/${name}`, import.meta.url);
}

function hostEngine(): { port: MessageChannel["port1"]; worker: Worker } {
  const { port1, port2 } = new MessageChannel();
  const worker = startSourceWorker(fixture("engine-host.mjs"), {
    workerData: { port: port2 },
    transferList: [port2],
  });
  userWorkers.push(worker);
  return { port: port1, worker };
}

interface StreamSummary {
  started: boolean;
  finished: boolean;
  names: string[];
  finals: string[];
}

describe("LiveClient embedding", () => {
  it("runs sessions on an engine served from the application's own worker (serveLiveSessions)", async () => {
    server = await startServerThread();
    const { port } = hostEngine();
    const clients = [
      new LiveClient({ url: server.url, engine: port }),
      new LiveClient({ url: server.url, engine: port }),
    ];
    const logs = clients.map((client) => record(client));
    for (const client of clients) expect(client.start(PCM)).toBe(true);
    for (const piece of speech()) for (const client of clients) client.send(piece);
    for (const client of clients) expect(client.finish()).toBe(true);
    for (const log of logs) {
      expect(log.names().slice(-2)).toEqual(["Metadata", "close"]);
      expect(finalTranscripts(log.events).length).toBeGreaterThan(0);
    }
    expect(engineStats().workers).toBe(0); // the pool was never needed
    port.close();
  });

  it("when the application's engine worker dies, its sessions get Error (WorkerExitedError) + Close", async () => {
    server = await startServerThread();
    const { port, worker } = hostEngine();
    const client = new LiveClient({ url: server.url, engine: port });
    const log = record(client);
    expect(client.start(PCM)).toBe(true);
    await worker.terminate();
    await waitFor(() => log.names().includes("close"), "Close after the host worker died");
    expect(log.names().slice(-2)).toEqual(["error", "close"]);
    expect(payloads(log.events, "error")[0]).toBeInstanceOf(WorkerExitedError);
    expect(client.send(Buffer.alloc(640))).toBe(false);
    port.close();
  });

  it("both clients work inside a worker thread, which then exits by itself", async () => {
    server = await startServerThread();
    const worker = startSourceWorker(fixture("client-in-worker.mjs"), { workerData: { url: server.url } });
    userWorkers.push(worker);
    const [report] = (await once(worker, "message")) as [
      { threaded: StreamSummary; asyncFace: { names: string[] } },
    ];
    const [exitCode] = await once(worker, "exit");
    expect(exitCode).toBe(0);
    expect(report.threaded).toMatchObject({ started: true, finished: true });
    expect(report.threaded.names[0]).toBe("open");
    expect(report.threaded.names.slice(-2)).toEqual(["Metadata", "close"]);
    expect(report.threaded.finals.length).toBeGreaterThan(0);
    expect(report.asyncFace.names.at(0)).toBe("open");
    expect(report.asyncFace.names.slice(-2)).toEqual(["Metadata", "close"]);
  });

  it("a child process using the client exits by itself after finish()", async () => {
    server = await startServerThread();
    const child = spawn(process.execPath, [new URL(fixture("child-client.mjs")).pathname, server.url], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    // Bounded: a child that does not exit by itself fails the test (and is killed).
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
    clearTimeout(killer);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as StreamSummary;
    expect(summary).toMatchObject({ started: true, finished: true });
    expect(summary.names.slice(-2)).toEqual(["Metadata", "close"]);
    expect(summary.finals.length).toBeGreaterThan(0);
  });
});
