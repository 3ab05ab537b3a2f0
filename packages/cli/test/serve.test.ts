/** `earshot serve`: the server package's own server, reachable by `earshot listen`, stopped by Ctrl-C. */
import { silence, tone, waitFor, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, parseNdjson, runEarshot, tempDir, transcriptOf, writeFile } from "./helpers.ts";

let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(() => {
  dir = tempDir();
  wavPath = writeFile(dir.dir, "speech.wav", wav(Buffer.concat([tone(1.2), silence(0.4)])));
});

afterEach(killChildren);

afterAll(() => dir.remove());

describe("earshot serve", () => {
  it("prints its URL, serves earshot listen, and exits 0 on Ctrl-C", async () => {
    const server = runEarshot(["serve", "--port", "0", "--engine", "scripted"]);
    await waitFor(() => /ws:\/\/127\.0\.0\.1:\d+\n/.test(server.stdout()), "the server's URL", {
      timeoutMs: 10_000,
    });
    const url = server.stdout().trim();

    const listen = await runEarshot(["listen", wavPath, "--url", url]).done;
    expect(listen.code).toBe(0);
    const finals = parseNdjson(listen.stdout).filter(
      (message) => message.type === "Results" && message.is_final,
    );
    expect(finals.map((message) => (message.type === "Results" ? transcriptOf(message) : ""))).toEqual([
      "the quick brown",
      "",
    ]);

    server.child.kill("SIGINT");
    const result = await server.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("passes the server's usage errors through: one message, exit 2", async () => {
    const result = await runEarshot(["serve", "--port", "http"]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--port must be an integer");
  });
});
