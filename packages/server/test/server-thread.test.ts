/**
 * startServerThread() as its callers use it: through the package's name (its current source,
 * the worker started from source by startPackageWorker), real sockets to the server on its
 * thread, and no thread left behind.
 */
import { once } from "node:events";
import { createServer } from "node:net";
import { type ServerThread, startServerThread } from "@earshot/server";
import { silence, tone, waitFor } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { connect, type Json, sendAudio, sendText } from "./helpers/ws-client.ts";

const LINEAR16 = "encoding=linear16&sample_rate=16000";

let server: ServerThread | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Worker threads (and their ports) show up as MessagePort resources while they run. */
function messagePorts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "MessagePort").length;
}

function finalTranscripts(messages: Json[]): string[] {
  return messages
    .filter((message) => message.type === "Results" && message.is_final === true)
    .map(
      (message) =>
        (message as { channel: { alternatives: Array<{ transcript: string }> } }).channel.alternatives[0]
          ?.transcript ?? "",
    )
    .filter((transcript) => transcript !== "");
}

describe("startServerThread", () => {
  it("serves a streamed session: Results, then Metadata, then 1000", async () => {
    server = await startServerThread({ script: { transcript: "hello from the thread" } });
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    const client = await connect(server.url, LINEAR16);
    await sendAudio(client.ws, Buffer.concat([tone(2), silence(0.3)]));
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect(await client.closed).toEqual({ code: 1000, reason: "" });
    const types = client.messages.map((message) => message.type);
    expect(types.at(-1)).toBe("Metadata");
    expect(types.filter((type) => type === "Metadata")).toHaveLength(1);
    expect(finalTranscripts(client.messages).join(" ")).toBe("hello from the thread");
  });

  it("passes server options across: an API key is required when apiKeys is set", async () => {
    server = await startServerThread({ apiKeys: ["thread-key"] });
    await expect(connect(server.url, LINEAR16)).rejects.toThrow(/401/);
    const client = await connect(server.url, LINEAR16, { headers: { authorization: "Token thread-key" } });
    expect(await server.sessionCount()).toBe(1);
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect((await client.closed).code).toBe(1000);
  });

  it("passes a fault plan across, and resumeReading() reaches the paused session", async () => {
    server = await startServerThread({ faults: { stopReadingAfterBytes: 3_200 } });
    const thread = server;
    const client = await connect(server.url, LINEAR16);
    await sendAudio(client.ws, Buffer.concat([tone(1), silence(0.3)]));
    await sendText(client.ws, '{"type":"CloseStream"}');
    // The server stops reading after the first frame, so it only sees CloseStream once resumed.
    // Resuming before the pause is a no-op, so ask until the session has closed.
    let closed = false;
    void client.closed.then(() => {
      closed = true;
    });
    await waitFor(
      () => {
        thread.resumeReading().catch(() => {});
        return closed;
      },
      "the session to close once reading resumes",
      { intervalMs: 20 },
    );
    expect(await client.closed).toEqual({ code: 1000, reason: "" });
    expect(client.ofType("Metadata")).toHaveLength(1);
  });

  it("rejects with the server's own error when the engine is unknown", async () => {
    await expect(startServerThread({ engine: "no-such-engine" })).rejects.toThrow(
      'unknown engine "no-such-engine"; known engines: scripted, pocketsphinx',
    );
  });

  it("rejects with the server's own error when the port is in use", async () => {
    const blocker = createServer();
    blocker.listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const address = blocker.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      await expect(startServerThread({ port })).rejects.toThrow(
        `listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
      );
    } finally {
      blocker.close();
      await once(blocker, "close");
    }
  });

  it("ends its thread on close(), and close() twice is fine", async () => {
    const before = messagePorts();
    const thread = await startServerThread();
    expect(messagePorts()).toBeGreaterThan(before);
    await thread.close();
    await thread.close();
    expect(messagePorts()).toBe(before);
    await expect(thread.sessionCount()).rejects.toThrow("the server thread has ended");
  });
});
