/**
 * Soak: one long stream per face, in a child process of its own, audio sent faster than real
 * time with interim results (one per 100 ms of audio, plus SpeechStarted and UtteranceEnd) and
 * every message consumed.
 * After the warm-up (the first quarter), heap (after a full GC) and RSS may not grow by 10 %
 * or more: the second quarter's mean is the baseline, the last quarter's mean the end.
 *
 * In the test command: about 10 minutes of audio at 20 × real time (about 30 s per face).
 * On demand, an hour of audio (3 minutes per face at the default pace):
 *   EARSHOT_SOAK_AUDIO_SECONDS=3600 pnpm exec vitest run --project conformance test/robust/soak.test.ts
 * and EARSHOT_SOAK_PACE=1 makes it a wall-clock hour.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { afterEach, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, "fixtures", "soak-child.ts");
/** The child's audio repeats a 9 s cycle of three utterances (3 + 6 + 5 words). */
const CYCLE_SECONDS = 9;
const WORDS_PER_CYCLE = 14;
const AUDIO_SECONDS =
  Math.ceil(Number(process.env.EARSHOT_SOAK_AUDIO_SECONDS ?? 600) / CYCLE_SECONDS) * CYCLE_SECONDS;
const PACE = Number(process.env.EARSHOT_SOAK_PACE ?? 20);
const MAX_GROWTH = 0.1;
const TIMEOUT_MS = (AUDIO_SECONDS / PACE) * 2_000 + 60_000;

interface Sample {
  readonly audioSeconds: number;
  readonly heapUsed: number;
  readonly rss: number;
}
interface Done {
  readonly counts: Record<string, number>;
  readonly finalWords: number;
  readonly wallSeconds: number;
}

function runChild(
  args: readonly string[],
): Promise<{ samples: Sample[]; done?: Done; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", CHILD, ...args], {
      cwd: join(here, "..", ".."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      const lines = stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { sample?: Sample; done?: Done });
      const samples = lines.flatMap((line) => (line.sample === undefined ? [] : [line.sample]));
      const done = lines.find((line) => line.done !== undefined)?.done;
      resolve({ samples, stderr, code, ...(done === undefined ? {} : { done }) });
    });
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Growth of `key` from the second quarter of the run to the last (by audio position). */
function growth(
  samples: readonly Sample[],
  key: "heapUsed" | "rss",
): { from: number; to: number; growth: number } {
  const quarter = (n: number) =>
    samples
      .filter(
        (s) => s.audioSeconds > (n - 1) * (AUDIO_SECONDS / 4) && s.audioSeconds <= n * (AUDIO_SECONDS / 4),
      )
      .map((s) => s[key]);
  const from = mean(quarter(2));
  const to = mean(quarter(4));
  return { from, to, growth: to / from - 1 };
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe(`soak: ${AUDIO_SECONDS} s of audio at ${PACE} × real time`, () => {
  it.each(["async", "threaded"])(
    "the %s face: heap and RSS grow < 10 % after warm-up",
    { timeout: TIMEOUT_MS },
    async (face) => {
      // An interim every 100 ms of audio: 10 messages a second of audio, 200 a second of wall time.
      server = await startServer({ engine: scriptedEngine({ interimIntervalSeconds: 0.1 }) });
      const run = await runChild([face, server.url, String(AUDIO_SECONDS), String(PACE)]);

      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.done, "the stream did not finish").toBeDefined();
      const { counts, finalWords, wallSeconds } = run.done as Done;
      // Everything was heard: each utterance's words, interims, the events asked for.
      expect(finalWords).toBe((AUDIO_SECONDS / CYCLE_SECONDS) * WORDS_PER_CYCLE);
      expect(counts.error ?? 0).toBe(0);
      expect(counts.close).toBe(1);
      for (const event of ["SpeechStarted", "UtteranceEnd", "Metadata"])
        expect(counts[event] ?? 0).toBeGreaterThan(0);
      if (face === "async") expect(counts.iterated).toBe(counts.Results);

      const heap = growth(run.samples, "heapUsed");
      const rss = growth(run.samples, "rss");
      console.log(
        `soak ${face}: ${AUDIO_SECONDS} s of audio in ${wallSeconds.toFixed(1)} s, ${run.samples.length} samples, ` +
          `${counts.Results} Results; heap ${mib(heap.from)} -> ${mib(heap.to)} (${(heap.growth * 100).toFixed(1)} %), ` +
          `RSS ${mib(rss.from)} -> ${mib(rss.to)} (${(rss.growth * 100).toFixed(1)} %)`,
      );
      expect(run.samples.length).toBeGreaterThanOrEqual(8);
      expect(heap.growth).toBeLessThan(MAX_GROWTH);
      expect(rss.growth).toBeLessThan(MAX_GROWTH);
    },
  );
});
