/**
 * `--stats`: the figures from the client diagnostics channels, printed on stderr at the end —
 * on both faces. (Values depend on the machine; the test checks they are measured, not their size.)
 */
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, parseNdjson, runEarshot, tempDir, writeFile } from "./helpers.ts";

let server: LocalServer;
let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(async () => {
  server = await startServer({
    engine: scriptedEngine({ transcript: "one two three four five six seven eight nine ten" }),
  });
  dir = tempDir();
  wavPath = writeFile(dir.dir, "speech.wav", wav(Buffer.concat([tone(2.4), silence(0.5), tone(1.2)])));
});

afterEach(killChildren);

afterAll(async () => {
  await server.close();
  dir.remove();
});

describe.each(["--async", "--threaded"])("earshot listen %s --stats", (face) => {
  it("prints time to first interim, final latency p50/p95, Finalize round trip, reconnects, bytes sent", async () => {
    const result = await runEarshot(
      [
        "listen",
        wavPath,
        "--url",
        server.url,
        "--interim-results",
        "--stats",
        "--realtime",
        "--speed",
        "8",
        face,
      ],
      { timeoutMs: 20_000 },
    ).done;
    expect(result.code).toBe(0);
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^earshot: stats: time to first interim +\d+ ms$/);
    expect(lines[1]).toMatch(/^earshot: stats: audio end → final +p50 \d+ ms, p95 \d+ ms \(\d+ finals\)$/);
    expect(lines[2]).toMatch(/^earshot: stats: Finalize round trip +\d+ ms$/);
    expect(lines[3]).toMatch(/^earshot: stats: reconnects +0$/);
    const bytes = Number(/bytes sent +(\d+)$/.exec(lines[4] ?? "")?.[1]);
    expect(bytes).toBeGreaterThanOrEqual(4.1 * 32_000);
    // --stats sends Finalize at the end of the audio; its reply is a from_finalize final.
    expect(
      parseNdjson(result.stdout).some((message) => message.type === "Results" && message.from_finalize),
    ).toBe(true);
  });
});
