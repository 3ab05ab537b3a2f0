/**
 * The captions page (examples/browser) in a real headless Chromium, against the local server
 * with the offline recognizer, started as a user starts it (`node examples/browser/serve.mjs`).
 * Chromium's fake microphone plays the bundled recording once (`%noloop`: by default it loops
 * the file), so the page captures, converts (AudioWorklet → 16 kHz linear16) and streams
 * exactly what the CLI's accuracy tests transcribe, in real time. The captions must reach the
 * CLI's word error rate bar; a screenshot of the page is written to test-output/.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readWavHeader } from "@earshot/core";
import { wordErrorRate } from "@earshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningChromium, startChromium } from "./chromium.ts";

const browserDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const audioDir = join(browserDir, "..", "audio");
const recordingPath = join(audioDir, "recording.wav");
const reference = readFileSync(join(audioDir, "reference.txt"), "utf8");
const sentences = reference.split("\n").filter((line) => line.trim() !== "").length;
const outputDir = join(browserDir, "test-output");

/**
 * The bar the CLI's tests hold the same recording to through the same server (earshot listen:
 * ≤ 10 %; it measures about 4 %). The page's path adds two resamplings (Chromium's capture at
 * the audio context's rate, then the worklet back to 16 kHz), which the bar must absorb too.
 */
const MAX_WORD_ERROR_RATE = 0.1;

function recordingSeconds(): number {
  const bytes = readFileSync(recordingPath);
  const header = readWavHeader(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (header === undefined) throw new Error(`${recordingPath} has no WAV header`);
  const dataBytes = header.dataLength ?? bytes.byteLength - header.dataOffset;
  return dataBytes / (header.sampleRate * header.blockAlign);
}

/** Starts the example's server and resolves with the page's address (its first stdout line). */
function startPageServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(browserDir, "serve.mjs")], {
    env: { ...process.env, PORT: "0", EARSHOT_ENGINE: "pocketsphinx" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolvePage, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve.mjs exited (${code}):\n${stderr}`)));
    child.stdout?.on("data", (data: Buffer) => {
      stdout += data.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line !== undefined) resolvePage({ child, url: line.trim() });
    });
  });
}

async function stopPageServer(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

let pageServer: ChildProcess | undefined;
let pageUrl = "";
let chromium: RunningChromium | undefined;

beforeAll(async () => {
  const started = await startPageServer();
  pageServer = started.child;
  pageUrl = started.url;
  chromium = await startChromium([
    // Grant the microphone without a prompt, and make it a player of the recording, once.
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${recordingPath}%noloop`,
  ]);
}, 30_000);

afterAll(async () => {
  try {
    await chromium?.close();
  } finally {
    await stopPageServer(pageServer);
  }
}, 20_000);

describe("the browser captions page (examples/browser) in headless Chromium", () => {
  it("captions the microphone live and ends with the CLI's accuracy", async () => {
    const page = (chromium as RunningChromium).page;
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(pageUrl);
    await page.waitForSelector('#status[data-state="idle"]');

    await page.click("#start");
    await page.waitForSelector('#status[data-state="listening"]', { timeout: 15_000 });
    // Live: interim words show while the recording is still playing.
    // (Page-side conditions are written as text: they run in the page, not in this Node file.)
    await page.waitForFunction('document.querySelector("#interim").textContent !== ""', null, {
      timeout: 15_000,
    });
    // Stop once the whole recording has been captured (the microphone is silent after it).
    const untilSeconds = recordingSeconds() + 0.5;
    await page.waitForFunction(
      `Number(document.querySelector("#captured").dataset.seconds ?? 0) >= ${untilSeconds}`,
      null,
      { timeout: (untilSeconds + 10) * 1000, polling: 100 },
    );
    await page.click("#stop");
    await page.waitForSelector('#status[data-state="closed"], #status[data-state="failed"]', {
      timeout: 30_000,
    });

    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, "captions.png"), fullPage: true });
    const status = (await page.locator("#status").textContent()) ?? "";
    const lines = await page.locator("#finals li").allTextContents();
    const wer = wordErrorRate(reference, lines.join(" "));
    console.info(
      `browser captions: WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.referenceWords}), ${lines.length} lines; ${status}`,
    );
    expect(status).toMatch(/^Done: /);
    expect(pageErrors).toEqual([]);
    // One line per sentence: the recognizer's end of speech after each pause reached the page.
    expect(lines).toHaveLength(sentences);
    expect(wer.rate).toBeLessThanOrEqual(MAX_WORD_ERROR_RATE);
  }, 60_000);

  it("reports a refused token as a failed connection, and can start again", async () => {
    const page = (chromium as RunningChromium).page;
    // The page's server hands out a token the listen server does not accept.
    await page.route("**/config.json", async (route) => {
      const config = (await (await route.fetch()).json()) as { url: string };
      await route.fulfill({ json: { url: config.url, accessToken: "not-the-token" } });
    });
    await page.goto(pageUrl);
    await page.waitForSelector('#status[data-state="idle"]');
    await page.click("#start");
    await page.waitForSelector('#status[data-state="failed"]', { timeout: 15_000 });
    // A browser hides the 401: the client can only say the connection failed.
    expect(await page.locator("#status").textContent()).toMatch(/^Failed: The connection failed/);
    expect(await page.locator("#start").isEnabled()).toBe(true);
    await page.unroute("**/config.json");
  });
});
