/**
 * SIGTERM and SIGHUP finish the stream like Ctrl-C (the last final and Metadata still printed,
 * exit 128 + n), within a bound when the server never finishes (8 s; a second signal closes at
 * once), and a closed output pipe (`| head -2`) ends it quietly with exit 141 — on both faces,
 * never with a stack trace.
 */
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { tone, waitFor, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, parseNdjson, runEarshot, tempDir, writeFile } from "./helpers.ts";

let server: LocalServer;
/** A server that ignores CloseStream (and, for this file's length, never times a session out). */
let neverFinishes: LocalServer;
let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(async () => {
  server = await startServer({ engine: scriptedEngine() });
  neverFinishes = await startServer({
    engine: scriptedEngine(),
    faults: { ignoreCloseStream: true },
    inactivityTimeoutMs: 60_000,
  });
  dir = tempDir();
  // 30 s of unbroken "speech": no endpoint, so only the graceful finish can produce a final.
  wavPath = writeFile(dir.dir, "long.wav", wav(tone(30)));
});

afterEach(killChildren);

afterAll(async () => {
  await server.close();
  await neverFinishes.close();
  dir.remove();
});

const streaming = (face: string, url = server.url) =>
  runEarshot([
    "listen",
    wavPath,
    "--url",
    url,
    "--realtime",
    "--speed",
    "4",
    "--interim-results",
    "--json",
    face,
  ]);

describe.each(["--async", "--threaded"])("%s", (face) => {
  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("%s finishes the stream like Ctrl-C and exits %i", async (signal, code) => {
    const run = streaming(face);
    await waitFor(() => parseNdjson(run.stdout()).length >= 2, "two interim results", { timeoutMs: 10_000 });
    run.child.kill(signal);
    const result = await run.done;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(code);
    const messages = parseNdjson(result.stdout);
    expect(messages.at(-1)?.type).toBe("Metadata");
    const last = messages.filter((message) => message.type === "Results").at(-1);
    expect(last?.type === "Results" && last.is_final).toBe(true);
  });

  it("a closed output pipe ends the stream quietly with exit 141 (three runs)", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = streaming(face);
      await waitFor(() => run.stdout().split("\n").length > 2, "two lines of output", { timeoutMs: 10_000 });
      // What `| head -2` does once it has its lines: the reading end goes away.
      run.child.stdout?.destroy();
      const result = await run.done;
      expect(result.stderr).toBe("");
      expect(result.code).toBe(141);
    }
  });
});

describe("a server that never finishes the stream", () => {
  const stoppedLine =
    "earshot: stopped by SIGTERM, but the server did not finish the stream within 8 s: closed without its last results\n";

  /** Starts a stream, waits until it is well under way, then sends `signals` one after another. */
  async function stopWith(face: string, signals: readonly NodeJS.Signals[]) {
    const run = streaming(face, neverFinishes.url);
    await waitFor(() => parseNdjson(run.stdout()).length >= 2, "two interim results", { timeoutMs: 10_000 });
    for (const signal of signals) {
      run.child.kill(signal);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return run.done;
  }

  // The runs wait on the grace period, not on the CPU: both faces at once keep the file short.
  it("SIGTERM: the finish is bounded by the 8 s grace period on both faces, then one line and exit 143", async () => {
    const results = await Promise.all(["--async", "--threaded"].map((face) => stopWith(face, ["SIGTERM"])));
    for (const result of results) {
      expect(result.code).toBe(143);
      expect(result.stderr).toBe(stoppedLine);
    }
  }, 30_000);

  it("--async: a second SIGTERM closes at once", async () => {
    const result = await stopWith("--async", ["SIGTERM", "SIGTERM"]);
    expect(result.code).toBe(143);
    expect(result.stderr).toBe("earshot: SIGTERM again: closed at once, without the server's last results\n");
  });
});
