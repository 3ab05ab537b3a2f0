/** start() against a server that refuses, or nothing listening, or with options that cannot work. */
import { createServer } from "node:net";
import { inspect } from "node:util";
import { EarshotError, HandshakeError, OptionsError } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { LiveClient } from "@earshot/threaded";
import { afterEach, describe, expect, it } from "vitest";
import { expectNoEngineLeft, PCM, payloads, record } from "./support/harness.ts";

let server: ServerThread | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await expectNoEngineLeft();
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("LiveClient refusal", () => {
  it("a refused handshake: start() returns false after delivering Error (HandshakeError) then Close", async () => {
    server = await startServerThread({
      faults: { refuseWith: { status: 401, errCode: "INVALID_AUTH", errMsg: "Invalid credentials." } },
    });
    const client = new LiveClient({ url: server.url, apiKey: "secret-key-123" });
    const log = record(client);
    expect(client.start(PCM)).toBe(false);
    expect(log.names()).toEqual(["error", "close"]);
    const [error] = payloads(log.events, "error");
    // Rebuilt across the thread boundary as the right class.
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error).toBeInstanceOf(EarshotError);
    expect(error).toMatchObject({ code: "ERR_HANDSHAKE_REFUSED", status: 401, retryable: false });
    expect(error?.message).not.toContain("secret-key-123");
    expect(payloads(log.events, "close")[0]).toMatchObject({ wasClean: false });
    expect(client.isConnected()).toBe(false);
    expect(client.send(Buffer.alloc(640))).toBe(false);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain("secret-key-123");
  });

  it("the credentials reach the engine: an explicit apiKey, or DEEPGRAM_API_KEY of the client's thread", async () => {
    server = await startServerThread({ apiKeys: ["right-key"] });
    const explicit = new LiveClient({ url: server.url, apiKey: "right-key" });
    expect(explicit.start(PCM)).toBe(true);
    expect(explicit.finish()).toBe(true);

    const previous = process.env.DEEPGRAM_API_KEY;
    process.env.DEEPGRAM_API_KEY = "right-key";
    try {
      // The engine thread started before this assignment: the key must come from this thread.
      const fromEnv = new LiveClient({ url: server.url });
      expect(fromEnv.start(PCM)).toBe(true);
      expect(fromEnv.finish()).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.DEEPGRAM_API_KEY;
      else process.env.DEEPGRAM_API_KEY = previous;
    }
  });

  it("nothing listening: Error (ConnectionError, retryable) and Close, no hang", async () => {
    const client = new LiveClient({ url: `ws://127.0.0.1:${await closedPort()}` });
    const log = record(client);
    expect(client.start(PCM)).toBe(false);
    expect(log.names()).toEqual(["error", "close"]);
    expect(payloads(log.events, "error")[0]).toMatchObject({
      code: "ERR_CONNECTION_FAILED",
      retryable: true,
    });
  });

  it("options that cannot work throw OptionsError before anything connects", () => {
    const client = new LiveClient({ url: "ws://127.0.0.1:9" });
    expect(() => client.start({ encoding: "linear16" })).toThrow(OptionsError);
  });
});
