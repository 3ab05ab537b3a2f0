/**
 * `earshot listen` on a terminal: run under a pseudo-terminal of a given width, its output
 * drawn into a fake terminal of the same width, and the SCREEN read back: each final on a line
 * of its own, the status line gone at the end, no stale copies of it anywhere.
 */
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { replayScreen } from "./fake-terminal.ts";
import { killChildren, runEarshotInPty, tempDir, writeFile } from "./helpers.ts";

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

describe.each(["--async", "--threaded"])("earshot listen %s on a terminal", (face) => {
  it.each([40, 120])(
    "%i columns: finals as lines, interims in place, a clean screen at the end",
    async (columns) => {
      const result = await runEarshotInPty(["listen", wavPath, "--url", server.url, "--speed", "6", face], {
        columns,
      }).done;
      expect(result.code).toBe(0);
      // No JSON on a terminal; the interim words were drawn before their final.
      expect(result.stdout).not.toContain('"type"');
      expect(result.stdout.indexOf("one two")).toBeLessThan(
        result.stdout.indexOf("one two three four five six"),
      );
      expect(result.stdout).toMatch(/0:04\.6/);
      const screen = await replayScreen(result.stdout, columns);
      expect(screen.lines.slice(0, screen.cursorLine)).toEqual([
        "one two three four five six",
        "seven eight nine",
      ]);
      expect(screen.lines[screen.cursorLine]).toBe("");
    },
  );

  it("--timestamps shows each final's time span", async () => {
    const result = await runEarshotInPty([
      "listen",
      wavPath,
      "--url",
      server.url,
      "--fast",
      "--timestamps",
      face,
    ]).done;
    expect(result.code).toBe(0);
    const screen = await replayScreen(result.stdout, 100);
    expect(screen.lines[0]).toBe("[0:00.0 → 0:02.4] one two three four five six");
    expect(screen.lines[1]).toMatch(/^\[0:02\.\d → 0:04\.\d\] seven eight nine$/);
  });
});
