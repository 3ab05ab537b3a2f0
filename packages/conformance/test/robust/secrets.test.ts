/**
 * Secrets: a recognisable API key and access token go through every error path a test can
 * provoke (refused handshake, a server that echoes the key in its close reason, a refused
 * connection, a connect timeout, a finish timeout, options carrying the key in the URL), and
 * neither may appear in any error's message, stack or `util.inspect`, any close report, any
 * diagnostics event, the clients' or options' `util.inspect`, or anything written as a warning.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import { createServer, type Socket } from "node:net";
import { inspect } from "node:util";
import { AsyncLiveClient } from "@earshot/async";
import { DIAGNOSTICS_CHANNELS, EarshotError, type LiveOptions, resolveClientOptions } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { chunk, tone } from "@earshot/testkit";
import { LiveClient } from "@earshot/threaded";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { asyncFace } from "../faces/async-face.ts";
import type { FaceKind } from "../faces/face.ts";
import { threadedFace } from "../faces/threaded-face.ts";

const API_KEY = "sekrit-api-key-5f1e2d3c4b5a69788796";
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.sekrit-token-payload.c2lnbmF0dXJl";
const faces: readonly FaceKind[] = [asyncFace, threadedFace];
const PCM = { encoding: "linear16", sample_rate: 16_000 } as const satisfies LiveOptions;

/** Everything a test saw, as text: the place a secret must not be found. */
const seen: string[] = [];

function look(value: unknown): void {
  seen.push(inspect(value, { depth: 8, showHidden: true }));
  if (value instanceof Error) seen.push(value.message, value.stack ?? "");
  try {
    seen.push(JSON.stringify(value) ?? "");
  } catch {
    // Not every value serialises (cycles): its inspect output was recorded.
  }
}

function expectNoSecret(): void {
  const all = seen.join("\n");
  expect(all.length).toBeGreaterThan(0);
  expect(all).not.toContain(API_KEY);
  expect(all).not.toContain(TOKEN);
}

const channels = Object.values(DIAGNOSTICS_CHANNELS);
const onPublish = (message: unknown): void => look(message);
const onWarning = (warning: Error): void => look(warning);
for (const name of channels) diagnosticsChannel.subscribe(name, onPublish);
process.on("warning", onWarning);

let server: ServerThread | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  for (const name of channels) diagnosticsChannel.unsubscribe(name, onPublish);
  process.off("warning", onWarning);
  for (const kind of faces) await kind.cleanup();
});

async function runThrough(kind: FaceKind, url: string, client: Record<string, unknown>): Promise<void> {
  const face = kind.create();
  try {
    await face.start(PCM, { url, ...client });
    for (const piece of chunk(tone(0.3), 0.02)) await face.send(piece);
    look(await face.finish());
  } catch (error) {
    // Every path here must end in a typed error: anything else means it was not exercised.
    expect(error).toBeInstanceOf(EarshotError);
    look(error);
  }
  for (const recorded of face.events) look(recorded.payload);
}

describe.each(faces)("secrets through the $name face", (kind) => {
  it("a refused handshake (401) with a key, then with a token", async () => {
    server = await startServerThread({ apiKeys: ["the-only-right-key"] });
    await runThrough(kind, server.url, { apiKey: API_KEY });
    await runThrough(kind, server.url, { accessToken: TOKEN });
    await runThrough(kind, server.url, { apiKey: API_KEY, authTransport: "subprotocol" });
    expectNoSecret();
  });

  it("a server that echoes the key in its close reason", async () => {
    server = await startServerThread({
      faults: { closeWith: { code: 1011, reason: `bad credential Token ${API_KEY}`, afterBytes: 3_200 } },
    });
    await runThrough(kind, server.url, { apiKey: API_KEY });
    expectNoSecret();
  });

  it("a finish timeout, a refused connection and a connect timeout", async () => {
    server = await startServerThread({ faults: { ignoreCloseStream: true } });
    await runThrough(kind, server.url, { apiKey: API_KEY, finishTimeoutMs: 300 });
    // A port nobody listens on: connection refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const address = probe.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await runThrough(kind, `ws://127.0.0.1:${port}`, { apiKey: API_KEY });
    // A listener that never answers the upgrade: the connect timeout.
    const accepted = new Set<Socket>();
    const silent = createServer((socket) => {
      accepted.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentAddress = silent.address();
    const silentPort = typeof silentAddress === "object" && silentAddress !== null ? silentAddress.port : 0;
    try {
      await runThrough(kind, `ws://127.0.0.1:${silentPort}`, { apiKey: API_KEY, connectTimeoutMs: 300 });
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    expectNoSecret();
  });
});

describe("secrets in options and clients", () => {
  it("options that carry the key in the URL are refused without showing it; clients and options inspect clean", () => {
    for (const options of [
      { url: `wss://api.deepgram.com/?token=${API_KEY}`, apiKey: API_KEY },
      { url: `wss://user:${API_KEY}@api.deepgram.com`, apiKey: API_KEY },
      { url: `wss://api.deepgram.com/?access_token=${TOKEN}`, accessToken: TOKEN },
    ]) {
      try {
        resolveClientOptions(options, {});
        throw new Error("the options were accepted");
      } catch (error) {
        look(error);
      }
    }
    look(resolveClientOptions({ apiKey: API_KEY, accessToken: TOKEN }, {}));
    look(new AsyncLiveClient({ apiKey: API_KEY, url: "ws://127.0.0.1:9" }));
    look(new LiveClient({ accessToken: TOKEN, url: "ws://127.0.0.1:9" }));
    expectNoSecret();
  });
});
