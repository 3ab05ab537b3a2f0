/**
 * `earshot listen` on a terminal: run under a pseudo-terminal (`script` from util-linux), the
 * interim transcript is rewritten in place on one status line (`\r` + clear-line) and each final
 * is printed as a line of its own.
 */
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { binPath, cliEnv, killChildren, start, tempDir, writeFile } from "./helpers.ts";

const clearLine = "\r\x1b[2K";

let server: LocalServer;
let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(async () => {
  server = await startServer({
    engine: scriptedEngine({ transcript: "one two three four five six seven eight nine ten" }),
  });
  dir = tempDir();
  // 2.4 s of "speech" (six words; interim results at 1 s and 2 s), a pause, 1.2 s more, a pause.
  wavPath = writeFile(
    dir.dir,
    "speech.wav",
    wav(Buffer.concat([tone(2.4), silence(0.5), tone(1.2), silence(0.5)])),
  );
});

afterEach(killChildren);

afterAll(async () => {
  await server.close();
  dir.remove();
});

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** Runs earshot inside `script`, which gives it a pty as stdout; returns everything it drew. */
async function underPty(args: string[]) {
  const command = [process.execPath, binPath, ...args].map(quote).join(" ");
  const run = start("script", ["-qfec", command, "/dev/null"], { env: cliEnv({ COLUMNS: "100" }) });
  return run.done;
}

describe("earshot listen on a terminal", () => {
  it("rewrites the interim line in place and prints finals as lines", async () => {
    const result = await underPty(["listen", wavPath, "--url", server.url, "--speed", "6"]);
    expect(result.code).toBe(0);
    const output = result.stdout;
    // No JSON on a terminal.
    expect(output).not.toContain('"type"');
    // Interim hypotheses are drawn after a carriage return and clear-line, never followed by a newline.
    const interimDraws = output
      .split(clearLine)
      .filter((segment) => /\bone two\b/.test(segment) && !segment.includes("\n"));
    expect(interimDraws.length).toBeGreaterThanOrEqual(1);
    // The status line is redrawn many times (progress and interims) …
    expect(output.split(clearLine).length).toBeGreaterThan(4);
    // … and each final is printed once, as its own line (a pty turns \n into \r\n).
    const lines = output
      .split(/\r?\n/)
      .map((line) => line.split(clearLine).at(-1)?.trim())
      .filter((line) => line !== undefined && line !== "");
    expect(lines.filter((line) => line === "one two three four five six")).toHaveLength(1);
    expect(lines.filter((line) => line === "seven eight nine")).toHaveLength(1);
    // The progress bar shows the file's length; at the end the status line is cleared.
    expect(output).toMatch(/▕[█░]+▏ \d:\d\d\.\d \/ 0:04\.6/);
    expect(output.endsWith(clearLine)).toBe(true);
  });

  it("--timestamps shows each final's time span", async () => {
    const result = await underPty(["listen", wavPath, "--url", server.url, "--fast", "--timestamps"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("[0:00.0 → 0:02.4] one two three four five six");
    expect(result.stdout).toMatch(/\[0:02\.\d → 0:04\.\d\] seven eight nine/);
  });
});
