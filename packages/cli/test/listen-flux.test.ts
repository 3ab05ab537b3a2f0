/**
 * `earshot listen --flux`: Flux (`/v2/listen`) turns from the CLI, through both faces. Into a
 * pipe every Flux message as NDJSON; on a terminal each finished turn as a line under a status
 * line that shows the turn in progress; offline (the embedded pocketsphinx server) the bundled
 * recording gives one EndOfTurn per sentence, word for word the finals `listen` gives without
 * `--flux`; Flux's parameters have flags of their own, checked
 * before anything connects.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ResultsMessage } from "@earshot/core";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { replayScreen } from "./fake-terminal.ts";
import {
  killChildren,
  parseNdjson,
  repoRoot,
  runEarshot,
  runEarshotInPty,
  transcriptOf,
  wordErrorRate,
  words,
} from "./helpers.ts";

const recording = join(repoRoot, "examples", "audio", "recording.wav");
const reference = words(readFileSync(join(repoRoot, "examples", "audio", "reference.txt"), "utf8"));
/** The scripted engine "hears" the recording's seven sentences as these turns. */
const SCRIPTED_TURNS = [
  "The quick brown.",
  "Fox jumps over the lazy.",
  "Dog. The quick brown fox.",
  "Jumps over the lazy.",
  "Dog. The quick brown fox.",
  "Jumps over the lazy.",
  "Dog. The quick brown fox.",
];

interface FluxLine {
  type: string;
  event?: string;
  transcript?: string;
  turn_index?: number;
  sequence_id?: number;
}

function fluxLines(stdout: string): FluxLine[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as FluxLine);
}

const endOfTurns = (lines: readonly FluxLine[]) => lines.filter((line) => line.event === "EndOfTurn");

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ engine: scriptedEngine() });
});
afterEach(killChildren);
afterAll(async () => {
  await server.close();
});

describe.each(["--async", "--threaded"])("earshot listen --flux %s", (face) => {
  it("offline, the bundled recording: NDJSON of every Flux message, one EndOfTurn per sentence (pocketsphinx), the words of the v1 finals", async () => {
    const [result, v1] = await Promise.all([
      runEarshot(["listen", recording, "--flux", "--fast", face], { timeoutMs: 90_000 }).done,
      runEarshot(["listen", recording, "--fast", "--json", face], { timeoutMs: 90_000 }).done,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("embedded local server (pocketsphinx engine)");
    const lines = fluxLines(result.stdout);
    expect(lines[0]).toMatchObject({ type: "Connected", sequence_id: 0 });
    expect(lines.map((line) => line.sequence_id)).toEqual(lines.map((_, index) => index));
    const turns = endOfTurns(lines);
    expect(turns.map((line) => line.turn_index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(
      wordErrorRate(reference, words(turns.map((line) => line.transcript).join(" "))),
    ).toBeLessThanOrEqual(0.1);
    // Sentence by sentence, word for word: the same recognizer cuts the same utterances on both
    // endpoints, and a turn ends on the utterance it ended itself.
    expect(v1.code).toBe(0);
    const finals = parseNdjson(v1.stdout).filter(
      (message): message is ResultsMessage =>
        message.type === "Results" &&
        message.is_final &&
        message.speech_final &&
        transcriptOf(message) !== "",
    );
    expect(turns.map((line) => words(line.transcript ?? ""))).toEqual(
      finals.map((message) => words(transcriptOf(message))),
    );
  }, 100_000);

  it("on a terminal: each turn a line (with --timestamps its span), the turn in progress drawn in place", async () => {
    const result = await runEarshotInPty(
      ["listen", recording, "--flux", "--url", server.url, "--speed", "10", "--timestamps", face],
      { columns: 100, timeoutMs: 30_000 },
    ).done;
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('"type"');
    const screen = await replayScreen(result.stdout, 100);
    const lines = screen.lines.slice(0, screen.cursorLine);
    expect(lines.map((line) => line.replace(/^\[\d:\d\d\.\d → \d:\d\d\.\d\] /, ""))).toEqual(SCRIPTED_TURNS);
    expect(lines[0]).toMatch(/^\[0:0\d\.\d → 0:0\d\.\d\] The quick brown\.$/);
    expect(screen.lines[screen.cursorLine]).toBe("");
    // The first turn's words were drawn in the status line before its line was printed.
    expect(result.stdout.indexOf("The quick")).toBeLessThan(result.stdout.indexOf("The quick brown.\r\n"));
  });
});

describe("earshot listen --flux flags", () => {
  it("Flux's parameters by flag reach the server; --json on a terminal too", async () => {
    const result = await runEarshotInPty(
      [
        "listen",
        recording,
        "--flux",
        "--url",
        server.url,
        "--fast",
        "--json",
        "--eager-eot-threshold",
        "0.4",
        "--eot-threshold",
        "0.9",
        "--eot-timeout-ms",
        "3000",
      ],
      { timeoutMs: 30_000 },
    ).done;
    expect(result.code).toBe(0);
    const lines = fluxLines(result.stdout.replaceAll("\r", ""));
    expect(lines.some((line) => line.event === "EagerEndOfTurn")).toBe(true);
    expect(endOfTurns(lines).map((line) => line.transcript)).toEqual(SCRIPTED_TURNS);
  });

  it.each([
    [["--eot-threshold", "0.8"], "--eot-threshold works with --flux only"],
    [["--flux", "--stats"], "--stats does not work with --flux"],
    [["--flux", "--srt", "out.srt"], "--srt does not work with --flux"],
    [["--flux", "--eot-threshold", "high"], "--eot-threshold must be a number, got 'high'"],
    [["--flux", "--eot-threshold", "0.3"], "--eot-threshold: must be between 0.5 and 1 (got 0.3)"],
    [
      ["--flux", "--eager-eot-threshold", "0.8"],
      "--eager-eot-threshold: must not exceed eot_threshold (0.8 > 0.7, the default)",
    ],
    [["--flux", "--model", "nova-3"], '--model: "nova-3" is not a Flux model'],
    [["--flux", "--language-hint", "es"], "--language-hint: works with flux-general-multi only"],
  ])("%j: a usage error before connecting, exit 2", async (flags, message) => {
    const result = await runEarshot(["listen", recording, "--url", server.url, ...flags]).done;
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(server.sessionCount).toBe(0);
  });
});
