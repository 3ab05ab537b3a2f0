/**
 * A real headless Chromium for tests: Debian's `chromium` (never a downloaded browser), started
 * by us as its own process group with a fresh profile, driven over the DevTools protocol by
 * `playwright-core`, and closed so that no process of it is left.
 *
 * Chromium is started here, not by `playwright.launch()`, so the test owns the process: it can
 * wait for it, kill its whole group, and check that nothing with its profile path still runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/** Where Debian's `chromium` package installs the browser (`.ci/bootstrap` installs it). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** A running Chromium and the page to drive. */
export interface RunningChromium {
  readonly page: Page;
  /** Closes the browser and waits until no process of it is left. */
  close(): Promise<void>;
}

/** The pids of live (not zombie) processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // A zombie's command line reads empty: it is gone, only not yet reaped.
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Waits until `check` holds, polling, or gives up (returning false) after `ms`. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Starts headless Chromium with `extraArgs` (e.g. the fake microphone's flags) and opens one
 * page. Its profile, and its HOME (where Chromium keeps crash reports), are a new temporary
 * folder, removed on close.
 */
export async function startChromium(extraArgs: readonly string[]): Promise<RunningChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium package (npm test's bootstrap does)`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "earshot-chromium-"));
  const child = spawn(
    CHROMIUM_PATH,
    [
      "--headless",
      // Tests run as root, where Chromium's sandbox cannot start.
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${join(profile, "user-data")}`,
      "--remote-debugging-port=0",
      ...extraArgs,
      "about:blank",
    ],
    {
      // Its own process group: every helper process can be ended with one signal.
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
    },
  );
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => {});
    const gone = exited(child);
    // A graceful close ends every helper; the group kill is for what did not (or a failed start).
    if (!(await within(5_000, () => child.exitCode !== null || child.signalCode !== null))) {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // The group is gone already.
      }
    }
    await gone;
    const leftover = await within(5_000, () => processesMentioning(profile).length === 0);
    const pids = processesMentioning(profile);
    for (const pid of pids) process.kill(pid, "SIGKILL");
    await rm(profile, { recursive: true, force: true });
    if (!leftover) throw new Error(`Chromium left processes behind (killed now): ${pids.join(", ")}`);
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      const timer = setTimeout(() => reject(new Error(`Chromium did not start in 20 s:\n${stderr}`)), 20_000);
      child.once("exit", (code) =>
        reject(new Error(`Chromium exited (${code}) before it started:\n${stderr}`)),
      );
      child.stderr?.on("data", (data: Buffer) => {
        stderr += data.toString();
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    browser = await chromium.connectOverCDP(endpoint);
    const context = browser.contexts()[0] ?? (await browser.newContext());
    const page = context.pages()[0] ?? (await context.newPage());
    return { page, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
