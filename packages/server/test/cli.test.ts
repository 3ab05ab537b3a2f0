import { EventEmitter } from "node:events";
import { silence, tone } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { parseCliArgs, runCli, USAGE } from "../src/cli.ts";
import { registerEngine } from "../src/engine-registry.ts";
import { POCKETSPHINX_INSTALL_HINT, pocketsphinxEngine } from "../src/engines/pocketsphinx/index.ts";
import { connect, refusedUpgrade, sendAudio, sendText } from "./helpers/ws-client.ts";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  return {
    out,
    err,
    signals,
    io: { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line), signals },
  };
}

describe("earshot-server arguments", () => {
  it("defaults to port 8080 on loopback, no auth, and the engine left to runCli", () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      engine: undefined,
      options: { port: 8080, host: "127.0.0.1" },
    });
  });

  it("reads every flag, with repeated --api-key", () => {
    const parsed = parseCliArgs([
      "--port",
      "0",
      "--host",
      "::1",
      "--api-key",
      "k1",
      "--api-key",
      "k2",
      "--engine",
      "pocketsphinx",
      "--inactivity-timeout",
      "2500",
      "--max-sessions",
      "50",
    ]);
    expect(parsed).toEqual({
      help: false,
      engine: "pocketsphinx",
      options: {
        port: 0,
        host: "::1",
        apiKeys: ["k1", "k2"],
        inactivityTimeoutMs: 2500,
        maxConcurrentSessions: 50,
      },
    });
  });

  it("refuses bad values and unknown flags", () => {
    expect(() => parseCliArgs(["--port", "http"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--port", "70000"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--inactivity-timeout", "0"])).toThrow(/--inactivity-timeout/);
    expect(() => parseCliArgs(["--engine", "whisper"])).toThrow(/known engines: scripted, pocketsphinx/);
    expect(() => parseCliArgs(["--verbose"])).toThrow(/verbose/);
  });
});

describe("earshot-server", () => {
  it("prints its URL, serves sessions with the given key, and closes on SIGTERM", async () => {
    const { out, err, signals, io: cliIo } = io();
    const run = await runCli(
      ["--port", "0", "--engine", "scripted", "--api-key", "cli-key", "--inactivity-timeout", "5000"],
      cliIo,
    );
    expect(out).toHaveLength(1);
    const url = out[0] as string;
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(url).toBe(run.server?.url);
    expect((await refusedUpgrade(url, "/v1/listen")).status).toBe(401);
    const client = await connect(url, "encoding=linear16&sample_rate=16000", {
      headers: { Authorization: "Token cli-key" },
    });
    await sendAudio(client.ws, Buffer.concat([tone(0.4), silence(0.1)]));
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect((await client.closed).code).toBe(1000);
    signals.emit("SIGTERM");
    expect(await run.done).toBe(0);
    expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
    expect([...out, ...err].join("\n")).not.toContain("cli-key");
  });

  it("closes open sessions with 1001 on SIGINT", async () => {
    const { out, signals, io: cliIo } = io();
    const run = await runCli(["--port", "0", "--engine", "scripted"], cliIo);
    const client = await connect(out[0] as string, "encoding=linear16&sample_rate=16000");
    signals.emit("SIGINT");
    expect((await client.closed).code).toBe(1001);
    expect(await run.done).toBe(0);
  });

  it("prints usage with exit code 2 for bad arguments, 0 for --help", async () => {
    const bad = io();
    expect(await (await runCli(["--port", "x"], bad.io)).done).toBe(2);
    expect(bad.err.join("\n")).toContain(USAGE);
    const help = io();
    expect(await (await runCli(["--help"], help.io)).done).toBe(0);
    expect(help.out).toEqual([USAGE]);
  });

  it("exits 1 when the port is taken", async () => {
    const first = io();
    const running = await runCli(["--port", "0", "--engine", "scripted"], first.io);
    const second = io();
    const port = String(running.server?.port);
    expect(await (await runCli(["--port", port, "--engine", "scripted"], second.io)).done).toBe(1);
    expect(second.err.join("\n")).toContain("EADDRINUSE");
    first.signals.emit("SIGTERM");
    await running.done;
  });

  it("with no --engine: the offline recognizer when installed, announced", async () => {
    const { err, signals, io: cliIo } = io();
    const run = await runCli(["--port", "0"], cliIo);
    expect(err).toEqual([
      "earshot-server: engine pocketsphinx (offline recognition); --engine scripted for the scripted test engine",
    ]);
    signals.emit("SIGTERM");
    expect(await run.done).toBe(0);
  }, 30_000);

  it("with no --engine and no pocketsphinx: the scripted engine, announced with what to install", async () => {
    // A model directory that does not exist fails exactly as a missing install does.
    registerEngine("pocketsphinx", () => pocketsphinxEngine({ modelDir: "/nonexistent/earshot-model" }));
    try {
      const { err, signals, io: cliIo } = io();
      const run = await runCli(["--port", "0"], cliIo);
      expect(err).toEqual([
        `earshot-server: pocketsphinx is not installed (${POCKETSPHINX_INSTALL_HINT}), so the scripted engine answers: a fake that speaks a fixed script, whatever the audio`,
      ]);
      signals.emit("SIGTERM");
      expect(await run.done).toBe(0);
    } finally {
      registerEngine("pocketsphinx", () => pocketsphinxEngine());
    }
  });
});
