import { createServer, type Server, type Socket } from "node:net";
import { Readable } from "node:stream";
import {
  AbortedError,
  type CloseReport,
  type EarshotError,
  HandshakeError,
  type ResultsMessage,
  TimeoutError,
} from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { chunk, silence, tone } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncLiveClient } from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const LINEAR16 = { encoding: "linear16", sample_rate: 16_000 } as const;

/** Records the Error and Close events of a client. */
function watch(client: AsyncLiveClient): { errors: EarshotError[]; closes: CloseReport[] } {
  const seen = { errors: [] as EarshotError[], closes: [] as CloseReport[] };
  client.on("error", (error) => seen.errors.push(error));
  client.on("close", (report) => seen.closes.push(report));
  return seen;
}

/** A TCP server that accepts connections and never answers: a WebSocket handshake hangs on it. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  const address = tcp.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `ws://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
}

describe("abort and refusal", () => {
  it("abort during connect rejects start() with AbortedError, reported through Error and Close", async () => {
    const hanging = await silentServer();
    try {
      const client = new AsyncLiveClient({ url: hanging.url, apiKey: "test-key" });
      const seen = watch(client);
      const controller = new AbortController();
      const starting = client.start(LINEAR16, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("user gave up")), 50);
      const failure = await starting.catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AbortedError);
      expect((failure as AbortedError).code).toBe("ERR_ABORTED");
      expect(seen.errors).toEqual([failure]);
      expect(seen.closes).toHaveLength(1);
      expect(seen.closes[0]?.error).toBe(failure);
      expect(client.state).toBe("closed");
    } finally {
      await hanging.close();
    }
  });

  it("start()'s signal bounds connecting only: aborting it later leaves the stream open", async () => {
    const server = await startServer();
    try {
      const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
      const controller = new AbortController();
      await client.start(LINEAR16, { signal: controller.signal });
      controller.abort();
      await client.send(tone(0.3));
      expect(client.isConnected()).toBe(true);
      expect((await client.finish())?.type).toBe("Metadata");
    } finally {
      await server.close();
    }
  });

  it("a connect timeout rejects with TimeoutError", async () => {
    const hanging = await silentServer();
    try {
      const client = new AsyncLiveClient({ url: hanging.url, apiKey: "test-key", connectTimeoutMs: 100 });
      await expect(client.start(LINEAR16)).rejects.toMatchObject({ code: "ERR_CONNECT_TIMEOUT" });
    } finally {
      await hanging.close();
    }
  });

  it("a refused handshake rejects with HandshakeError (status, err_code, request id), plus Error and Close", async () => {
    const server = await startServer({
      faults: { refuseWith: { status: 401, errCode: "INVALID_AUTH", errMsg: "Invalid credentials." } },
    });
    try {
      const client = new AsyncLiveClient({ url: server.url, apiKey: "secret-key-123" });
      const seen = watch(client);
      const failure = await client.start(LINEAR16).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(HandshakeError);
      expect(failure).toMatchObject({ status: 401, errCode: "INVALID_AUTH", retryable: false });
      expect((failure as HandshakeError).message).not.toContain("secret-key-123");
      expect(seen.errors).toEqual([failure]);
      expect(seen.closes).toHaveLength(1);
      // The iterators of a stream that never opened end with the same error.
      await expect(client[Symbol.asyncIterator]().next()).rejects.toBe(failure);
    } finally {
      await server.close();
    }
  });

  it("abort during sendFrom stops reading the source (destroyed) and leaves the stream open", async () => {
    const server = await startServer();
    try {
      const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
      await client.start(LINEAR16);
      let reads = 0;
      // A live source that never ends on its own, like a microphone.
      const microphone = new Readable({
        read() {
          reads++;
          setTimeout(() => this.push(tone(0.05)), 10);
        },
      });
      const controller = new AbortController();
      const sending = client.sendFrom(microphone, { signal: controller.signal });
      while (reads < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
      await expect(sending).rejects.toBeInstanceOf(AbortedError);
      expect(microphone.destroyed).toBe(true);
      expect(client.isConnected()).toBe(true);
      expect((await client.finish())?.duration).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("an already-aborted signal rejects sendFrom at once without reading", async () => {
    const server = await startServer();
    try {
      const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
      await client.start(LINEAR16);
      let pulled = false;
      async function* source() {
        pulled = true;
        yield tone(0.1);
      }
      await expect(client.sendFrom(source(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
        AbortedError,
      );
      expect(pulled).toBe(false);
      await client.finish();
    } finally {
      await server.close();
    }
  });

  describe("finish", () => {
    let slow: LocalServer;
    beforeAll(async () => {
      slow = await startServer({
        engine: scriptedEngine({ transcript: "late words arrive" }),
        faults: { finalDelayMs: 1_500 },
      });
    });
    afterAll(async () => {
      await slow.close();
    });

    it("waits for the server when it delays its last final by 1.5 s: every final, then Metadata, then Close", async () => {
      const client = new AsyncLiveClient({ url: slow.url, apiKey: "test-key" });
      const order: string[] = [];
      const finals: ResultsMessage[] = [];
      client.on("Results", (result) => {
        if (result.is_final) {
          finals.push(result);
          order.push("final");
        }
      });
      client.on("Metadata", () => order.push("metadata"));
      client.on("close", () => order.push("close"));
      await client.start(LINEAR16);
      // Speech with no pause after it: its final comes only from the flush after CloseStream.
      for (const part of chunk(tone(1.2), 0.1)) await client.send(part);
      const collecting = (async () => {
        const words: string[] = [];
        for await (const result of client.finals())
          words.push(result.channel.alternatives[0]?.transcript ?? "");
        return words;
      })();
      const metadata = await client.finish();
      order.push("finish resolved");
      expect(metadata?.type).toBe("Metadata");
      expect(finals.map((f) => f.channel.alternatives[0]?.transcript).join(" ")).toBe("late words arrive");
      expect(order.slice(-3)).toEqual(["metadata", "close", "finish resolved"]);
      expect(order.indexOf("final")).toBeLessThan(order.indexOf("metadata"));
      expect((await collecting).join(" ")).toBe("late words arrive");
    });

    it("a finish timeout rejects with TimeoutError and closes", async () => {
      const client = new AsyncLiveClient({ url: slow.url, apiKey: "test-key" });
      const seen = watch(client);
      await client.start(LINEAR16);
      await client.send(tone(0.5));
      const failure = await client.finish({ timeout: 200 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TimeoutError);
      expect((failure as TimeoutError).code).toBe("ERR_FINISH_TIMEOUT");
      expect(seen.closes).toHaveLength(1);
      expect(client.state).toBe("closed");
    });

    it("abort during finish rejects it with AbortedError and closes at once", async () => {
      const client = new AsyncLiveClient({ url: slow.url, apiKey: "test-key" });
      const seen = watch(client);
      await client.start(LINEAR16);
      await client.send(tone(0.5));
      const controller = new AbortController();
      const finishing = client.finish({ signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await expect(finishing).rejects.toBeInstanceOf(AbortedError);
      expect(seen.closes).toHaveLength(1);
      expect(seen.closes[0]?.error).toBeInstanceOf(AbortedError);
    });

    it("await using finishes gracefully when the block ends", async () => {
      let seen: ReturnType<typeof watch> | undefined;
      {
        await using client = new AsyncLiveClient({ url: slow.url, apiKey: "test-key" });
        seen = watch(client);
        await client.start(LINEAR16);
        await client.send(Buffer.concat([tone(0.5), silence(0.2)]));
      }
      expect(seen.closes).toHaveLength(1);
      expect(seen.closes[0]?.code).toBe(1000);
      expect(seen.errors).toEqual([]);
    });

    it("Symbol.asyncDispose aborts a stream that cannot finish in time, and never throws", async () => {
      const client = new AsyncLiveClient({ url: slow.url, apiKey: "test-key", finishTimeoutMs: 100 });
      const seen = watch(client);
      await client.start(LINEAR16);
      await client.send(tone(0.5));
      await expect(client[Symbol.asyncDispose]()).resolves.toBeUndefined();
      expect(seen.closes).toHaveLength(1);
      expect(seen.closes[0]?.error?.code).toBe("ERR_FINISH_TIMEOUT");
    });

    it("abort() before start() spends the client and ends its iterators", async () => {
      const client = new AsyncLiveClient({ url: slow.url, apiKey: "test-key" });
      const iterator = client[Symbol.asyncIterator]();
      client.abort("not needed");
      await expect(iterator.next()).rejects.toBeInstanceOf(AbortedError);
      await expect(client.start(LINEAR16)).rejects.toBeInstanceOf(AbortedError);
      await expect(client[Symbol.asyncDispose]()).resolves.toBeUndefined();
      expect(client.state).toBe("closed");
    });
  });
});
