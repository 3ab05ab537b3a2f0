/**
 * Without the library or the model the engine must refuse to start, at once, with a message
 * that says what to install; it never falls back to anything that would invent words.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { liveDecoderThreads } from "../src/engines/pocketsphinx/decoder-thread.ts";
import {
  POCKETSPHINX_INSTALL_HINT,
  PocketsphinxUnavailableError,
  pocketsphinxEngine,
} from "../src/engines/pocketsphinx/index.ts";

const emptyDir = mkdtempSync(join(tmpdir(), "earshot-no-model-"));

afterAll(() => {
  rmSync(emptyDir, { recursive: true, force: true });
});

describe("pocketsphinx engine without its packages", () => {
  it("fails with the install command when the model directory does not exist", async () => {
    const start = pocketsphinxEngine({ modelDir: "/nonexistent/pocketsphinx/model", warmup: false });
    const failure = await Promise.resolve()
      .then(start)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(PocketsphinxUnavailableError);
    expect((failure as PocketsphinxUnavailableError).code).toBe("ERR_ENGINE_UNAVAILABLE");
    expect((failure as Error).message).toContain("/nonexistent/pocketsphinx/model/en-us");
    expect((failure as Error).message).toContain("apt-get install libpocketsphinx3 pocketsphinx-en-us");
    expect(POCKETSPHINX_INSTALL_HINT).toBe("apt-get install libpocketsphinx3 pocketsphinx-en-us");
  });

  it("fails with the install command when the directory holds no model", async () => {
    await expect(
      Promise.resolve().then(pocketsphinxEngine({ modelDir: emptyDir, warmup: false })),
    ).rejects.toThrow(/was not found.*Install it with: apt-get install libpocketsphinx3 pocketsphinx-en-us/);
  });

  it("fails with the install command when the shared library cannot be loaded, and leaves no thread behind", async () => {
    const start = pocketsphinxEngine({
      libraries: { pocketsphinx: "libpocketsphinx-missing.so.3", sphinxbase: "libsphinxbase-missing.so.3" },
      warmup: false,
    });
    const failure = await Promise.resolve()
      .then(start)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(PocketsphinxUnavailableError);
    expect((failure as Error).message).toMatch(/pocketsphinx library .* could not be loaded/);
    expect((failure as Error).message).toContain(
      "Install it with: apt-get install libpocketsphinx3 pocketsphinx-en-us",
    );
    expect(liveDecoderThreads()).toBe(0);
  });

  it("rejects nonsensical options before starting anything", async () => {
    await expect(Promise.resolve().then(pocketsphinxEngine({ poolSize: 0 }))).rejects.toThrow(RangeError);
    await expect(Promise.resolve().then(pocketsphinxEngine({ maxUtteranceSeconds: -1 }))).rejects.toThrow(
      /maxUtteranceSeconds must be a positive number/,
    );
    await expect(Promise.resolve().then(pocketsphinxEngine({ poolSize: 3, maxDecoders: 2 }))).rejects.toThrow(
      /maxDecoders \(2\) is below poolSize \(3\)/,
    );
  });
});
