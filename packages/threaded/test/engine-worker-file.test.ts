/**
 * Naming the engine worker's module (what a bundled application does): the per-client
 * `engineWorkerFile` and the global `setEngineWorkerUrl()`. Sessions go only to pool workers
 * started from the module they asked for, so one client's bad file fails that client alone, at
 * once, with an EngineLoadError naming the option. (The bundled case itself is in
 * packages/conformance/test/bundling.)
 */
import { fileURLToPath } from "node:url";
import { EngineLoadError, OptionsError } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { engineStats, LiveClient, setEngineWorkerUrl } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, finalTranscripts, PCM, payloads, record, speech } from "./support/harness.ts";

/** The engine's own module, as the pool finds it by default when running from source. */
const ENGINE_SOURCE = new URL("../src/engine-worker.ts", import.meta.url);
const MISSING = "/nonexistent/earshot/engine-worker.js";

let server: ServerThread | undefined;

afterEach(async () => {
  setEngineWorkerUrl(undefined);
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

describe("engineWorkerFile", () => {
  it("a client whose file cannot load fails at once, naming the option; other clients stream on", async () => {
    server = await startServerThread({ script: { transcript: "hello there" } });
    const plain = new LiveClient({ url: server.url });
    // A path (not a URL) to the same module as the default: the same pool worker serves both.
    const named = new LiveClient({ url: server.url, engineWorkerFile: fileURLToPath(ENGINE_SOURCE) });
    const broken = new LiveClient({ url: server.url, engineWorkerFile: MISSING });
    const logs = [record(plain), record(named), record(broken)];
    expect(plain.start(PCM)).toBe(true);
    expect(named.start(PCM)).toBe(true);
    expect(engineStats()).toMatchObject({ workers: 1, sessions: 2 });

    expect(broken.start(PCM)).toBe(false);
    const [brokenLog] = logs.slice(2);
    expect(brokenLog?.names()).toEqual(["error", "close"]);
    const [error] = payloads(brokenLog?.events ?? [], "error");
    expect(error).toBeInstanceOf(EngineLoadError);
    expect(error?.message).toContain(`could not load file://${MISSING}`);
    expect(error?.message).toContain("LiveClient option engineWorkerFile");
    expect(error?.message).not.toContain("ERR_CONNECT_TIMEOUT");

    for (const client of [plain, named]) {
      for (const piece of speech()) client.send(piece);
      expect(client.finish()).toBe(true);
    }
    for (const log of logs.slice(0, 2)) expect(finalTranscripts(log.events).join(" ")).toBe("hello there");
  });

  it("setEngineWorkerUrl() names the file for every client without its own", async () => {
    server = await startServerThread();
    setEngineWorkerUrl(MISSING);
    const client = new LiveClient({ url: server.url });
    const log = record(client);
    expect(client.start(PCM)).toBe(false);
    const [error] = payloads(log.events, "error");
    expect(error).toBeInstanceOf(EngineLoadError);
    expect(error?.message).toContain("setEngineWorkerUrl()");
    // The client's own option wins over the global one.
    const own = new LiveClient({ url: server.url, engineWorkerFile: ENGINE_SOURCE });
    expect(own.start(PCM)).toBe(true);
    expect(own.finish()).toBe(true);
  });

  it("refuses what is not a path, file: or data: URL with an OptionsError naming the option", () => {
    const url = "ws://127.0.0.1:9";
    expect(() => new LiveClient({ url, engineWorkerFile: 42 as never })).toThrow(OptionsError);
    expect(() => new LiveClient({ url, engineWorkerFile: new URL("https://example.com/engine.js") })).toThrow(
      /engineWorkerFile: must be a path, or a file: or data: URL; got a https: URL/,
    );
    expect(() => setEngineWorkerUrl("")).toThrow(/setEngineWorkerUrl\(\): must be a path/);
  });
});
