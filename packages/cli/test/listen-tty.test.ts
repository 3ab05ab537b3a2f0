/**
 * `earshot listen` on a terminal: run under a pseudo-terminal of a given width, its output
 * drawn into a fake terminal of the same width, and the SCREEN read back: each final on a line
 * of its own, the status line gone at the end, no stale copies of it anywhere — with ASCII and
 * CJK transcripts, the live `--stats` figures, and the Finalize fallback — on both faces.
 */
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, waitFor, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { replayScreen, replaySteps } from "./fake-terminal.ts";
import { killChildren, runEarshotInPty, tempDir, writeFile } from "./helpers.ts";

let server: LocalServer;
let cjkServer: LocalServer;
let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(async () => {
  server = await startServer({
    engine: scriptedEngine({ transcript: "one two three four five six seven eight nine ten" }),
  });
  cjkServer = await startServer({
    engine: scriptedEngine({ transcript: "我们 今天 讨论 语音 识别 技术 的 未来 发展 方向" }),
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
  await cjkServer.close();
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

  it("a CJK transcript at 40 columns: wide characters measured, the status line never wraps", async () => {
    const result = await runEarshotInPty(["listen", wavPath, "--url", cjkServer.url, "--speed", "6", face], {
      columns: 40,
    }).done;
    expect(result.code).toBe(0);
    const steps = await replaySteps(result.stdout, 40);
    // At every redraw the status line took one row (a wrapped one would leave a stale row).
    expect(steps.filter((step) => step.cursorLineRows !== 1)).toEqual([]);
    // The interim words were drawn in the status line before the first final.
    expect(steps.some((step) => step.cursorLine === 0 && (step.lines[0] ?? "").includes("我们 今天"))).toBe(
      true,
    );
    const screen = steps.at(-1);
    expect(screen?.lines.slice(0, screen.cursorLine)).toEqual([
      "我们 今天 讨论 语音 识别 技术",
      "的 未来 发展",
    ]);
    expect(screen?.lines[screen.cursorLine]).toBe("");
  });

  it("--stats: the figures live in the status line, the summary below the captions at the end", async () => {
    const result = await runEarshotInPty(
      ["listen", wavPath, "--url", server.url, "--speed", "6", "--stats", face],
      {
        columns: 120,
      },
    ).done;
    expect(result.code).toBe(0);
    const steps = await replaySteps(result.stdout, 120);
    const live = /1st \d+ ms · final p50 \d+ ms/;
    expect(steps.some((step) => live.test(step.lines[step.cursorLine] ?? ""))).toBe(true);
    const screen = steps.at(-1);
    // The summary goes to stderr, which shares the terminal: after the captions, status line gone.
    expect(screen?.lines.slice(0, 2)).toEqual(["one two three four five six", "seven eight nine"]);
    expect(screen?.lines.slice(2, screen.cursorLine)).toEqual([
      expect.stringMatching(/^earshot: stats: time to first interim +\d+ ms$/),
      expect.stringMatching(/^earshot: stats: audio end → final +p50 \d+ ms, p95 \d+ ms \(3 finals\)$/),
      expect.stringMatching(/^earshot: stats: Finalize round trip +\d+ ms$/),
      "earshot: stats: reconnects              0",
      expect.stringMatching(/^earshot: stats: bytes sent +\d+$/),
    ]);
  });

  it("no reply to Finalize: after the timeout the caption in progress becomes a line of its own", async () => {
    // Finalize ignored, and the flush after CloseStream held back far beyond the test: only the
    // fallback can turn the last interim into a line.
    const silent = await startServer({
      engine: scriptedEngine({ transcript: "one two three four five six seven eight nine ten" }),
      faults: { ignoreFinalize: true, finalDelayMs: 120_000 },
      inactivityTimeoutMs: 120_000,
    });
    try {
      const path = writeFile(dir.dir, "unended.wav", wav(tone(2)));
      const run = runEarshotInPty(["listen", path, "--url", silent.url, "--speed", "6", face], {
        columns: 80,
      });
      await waitFor(
        () => run.stdout().includes("one two three four five\r\n"),
        "the caption in progress printed as a line",
        { timeoutMs: 15_000, intervalMs: 50 },
      );
      const screen = await replayScreen(run.stdout(), 80);
      expect(screen.lines[0]).toBe("one two three four five");
      expect(screen.cursorLine).toBe(1);
      // The stream is still waiting for the flush: the server going away ends it.
      await silent.close();
      const result = await run.done;
      expect(result.code).toBe(1);
    } finally {
      await silent.close();
    }
  });
});
