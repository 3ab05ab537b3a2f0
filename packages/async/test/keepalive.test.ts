import type { CloseReport, EarshotError } from "@earshot/core";
import { type LocalServer, startServer } from "@earshot/server";
import { tone } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncLiveClient } from "../src/index.ts";
import { trapUnhandledRejections } from "./helpers.ts";

trapUnhandledRejections();

const LINEAR16 = { encoding: "linear16", sample_rate: 16_000 } as const;
/** The server gives up after this long without a frame (Deepgram: about 10 s). */
const INACTIVITY_MS = 400;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ inactivityTimeoutMs: INACTIVITY_MS });
});
afterAll(async () => {
  await server.close();
});

function closed(client: AsyncLiveClient): Promise<CloseReport> {
  return new Promise((resolve) => client.once("close", resolve));
}

describe("keepalive", () => {
  it("without keepalive, a pause longer than the server's timeout ends the stream with NET-0001", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key" });
    const errors: EarshotError[] = [];
    client.on("error", (error) => errors.push(error));
    let metadataSeen = false;
    client.on("Metadata", () => {
      metadataSeen = true;
    });
    const close = closed(client);
    await client.start(LINEAR16);
    const iterator = client[Symbol.asyncIterator]();
    await client.send(tone(0.2));
    const report = await close;
    expect(report.code).toBe(1011);
    expect(report.dgCode).toBe("NET-0001");
    expect(report.error?.dgCode).toBe("NET-0001");
    expect(report.error?.retryable).toBe(true);
    expect(errors).toEqual([report.error]);
    expect(metadataSeen).toBe(true);
    // The iterator delivers what arrived (Metadata comes just before the close), then the error.
    const seen: string[] = [];
    const failure = await (async () => {
      for (let i = 0; i < 100; i++) {
        const next = await iterator.next();
        if (next.done) return undefined;
        seen.push(next.value.type);
      }
      return undefined;
    })().catch((error: unknown) => error);
    expect(seen.at(-1)).toBe("Metadata");
    expect(failure).toBe(report.error);
  });

  it("with keepAlive, the same pause (three times the timeout) keeps the stream open", async () => {
    const client = new AsyncLiveClient({ url: server.url, apiKey: "test-key", keepAlive: INACTIVITY_MS / 4 });
    const errors: EarshotError[] = [];
    client.on("error", (error) => errors.push(error));
    await client.start(LINEAR16);
    await client.send(tone(0.2));
    await new Promise((resolve) => setTimeout(resolve, INACTIVITY_MS * 3));
    expect(client.isConnected()).toBe(true);
    await client.send(tone(0.2));
    const metadata = await client.finish();
    expect(metadata?.type).toBe("Metadata");
    expect(errors).toEqual([]);
  });
});
