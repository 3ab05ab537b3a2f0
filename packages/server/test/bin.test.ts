/**
 * The built executable (dist/bin.js, made by `pnpm --filter @earshot/server build`, which the
 * CI bootstrap runs before the tests) as a user runs it: a real child process and real signals.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { connect, refusedUpgrade, sendText } from "./helpers/ws-client.ts";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

function start(args: string[]): { child: ChildProcess; url: Promise<string>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr?.on("data", (data: Buffer) => {
    err += data.toString();
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (data: Buffer) => {
      out += data.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line !== undefined) resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`earshot-server exited with ${code}: ${err}`)));
  });
  // A run that is expected to fail never reads `url`: keep its rejection from going unhandled.
  url.catch(() => {});
  return { child, url, stderr: () => err };
}

describe("earshot-server executable", () => {
  it("prints its URL, serves /v1/listen, and exits 0 on SIGTERM", async () => {
    const { child, url, stderr } = start(["--port", "0", "--api-key", "bin-secret"]);
    const base = await url;
    expect(base).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect((await refusedUpgrade(base, "/v1/listen")).status).toBe(401);
    const client = await connect(base, "encoding=linear16&sample_rate=16000", {
      headers: { Authorization: "token bin-secret" },
    });
    await sendText(client.ws, '{"type":"CloseStream"}');
    expect((await client.closed).code).toBe(1000);
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    expect(await exited).toEqual([0, null]);
    // The one line on stderr says which engine answers (the offline recognizer by default).
    expect(stderr()).toBe(
      "earshot-server: engine pocketsphinx (offline recognition); --engine scripted for the scripted test engine\n",
    );
  });

  it("exits 2 with usage on a bad argument", async () => {
    const { child, stderr } = start(["--engine", "nope"]);
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(2);
    expect(stderr()).toContain('unknown engine "nope"');
    expect(stderr()).toContain("Usage: earshot-server");
  });
});
