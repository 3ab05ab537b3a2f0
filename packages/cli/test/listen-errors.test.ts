/**
 * Failures print exactly one line, `earshot: <message>`, on stderr and exit non-zero: 2 for a
 * usage mistake, 1 for anything else. The API key never appears in what is printed.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { startServer } from "@earshot/server";
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, killChildren, runEarshot, tempDir, writeFile } from "./helpers.ts";

const secret = "dg-secret-key-0123456789abcdef";

let dir: { dir: string; remove: () => void };
let wavPath: string;

beforeAll(() => {
  dir = tempDir();
  wavPath = writeFile(dir.dir, "speech.wav", wav(Buffer.concat([tone(0.8), silence(0.2)])));
});

afterEach(killChildren);

afterAll(() => dir.remove());

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function expectOneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^earshot: \S/);
  return lines[0] as string;
}

describe("errors: one clear line, non-zero exit", () => {
  it.each(["--async", "--threaded"])("%s: an unreachable server (a closed port)", async (face) => {
    const port = await closedPort();
    const run = runEarshot(["listen", wavPath, "--url", `ws://127.0.0.1:${port}`, face], {
      env: cliEnv({ DEEPGRAM_API_KEY: secret }),
    });
    const result = await run.done;
    expect(result.code).toBe(1);
    const line = expectOneLine(result.stderr);
    expect(line).toContain("ECONNREFUSED");
    expect(result.stderr).not.toContain(secret);
    expect(result.stdout).toBe("");
  });

  it("a refused key: the server's reason, never the key", async () => {
    const server = await startServer({ apiKeys: ["the-right-key-0000"] });
    try {
      const result = await runEarshot(["listen", wavPath, "--url", server.url], {
        env: cliEnv({ DEEPGRAM_API_KEY: secret }),
      }).done;
      expect(result.code).toBe(1);
      const line = expectOneLine(result.stderr);
      expect(line).toContain("401");
      expect(result.stderr + result.stdout).not.toContain(secret);
    } finally {
      await server.close();
    }
  });

  it.each(["--async", "--threaded"])(
    "%s: a server that echoes the key in its close reason: the reason is printed, the key is not",
    async (face) => {
      const server = await startServer({
        faults: { closeWith: { code: 1011, reason: `bad credential Token ${secret}`, afterBytes: 3_200 } },
      });
      try {
        const result = await runEarshot(["listen", wavPath, "--url", server.url, face, "--stats"], {
          env: cliEnv({ DEEPGRAM_API_KEY: secret }),
        }).done;
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("bad credential");
        expect(result.stderr + result.stdout).not.toContain(secret);
      } finally {
        await server.close();
      }
    },
  );

  it("an unknown flag exits 2", async () => {
    const result = await runEarshot(["listen", wavPath, "--bogus"]).done;
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toContain("--bogus");
  });

  it("a bad flag value exits 2", async () => {
    const result = await runEarshot(["listen", wavPath, "--sample-rate", "fast"]).done;
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toContain("--sample-rate must be a positive integer");
  });

  it("a --url ws:// to another machine exits 2, naming --url and the wss:// to use instead", async () => {
    const result = await runEarshot(["listen", wavPath, "--url", "ws://example.com:8080"]).done;
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(
      /^earshot: --url ws:\/\/example\.com:8080: unencrypted ws:\/\/ is allowed only to this machine .*; use wss:\/\/example\.com:8080$/,
    );
  });

  it("options that cannot work exit 2 with flags in the message, never library option names", async () => {
    const result = await runEarshot([
      "listen",
      wavPath,
      "--utterance-end-ms",
      "500",
      "--url",
      "ws://127.0.0.1:9",
    ]).done;
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toBe("earshot: --utterance-end-ms: requires --interim-results");
  });

  it("no input exits 2", async () => {
    const result = await runEarshot(["listen"]).done;
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toContain("listen needs an input");
  });

  it("a missing file exits 1 before connecting anywhere", async () => {
    const result = await runEarshot(["listen", `${dir.dir}/nope.wav`, "--url", "ws://127.0.0.1:9"]).done;
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(`earshot: no such file: ${dir.dir}/nope.wav`);
  });

  it("a capture command that fails", async () => {
    const server = await startServer();
    try {
      const result = await runEarshot([
        "listen",
        "--mic-command",
        "echo no device >&2; exit 3",
        "--url",
        server.url,
      ]).done;
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toBe(
        "earshot: capture command failed (echo no device >&2; exit 3, exit 3): no device",
      );
    } finally {
      await server.close();
    }
  });
});

describe("help", () => {
  it("earshot --help and earshot listen --help print usage and exit 0", async () => {
    const main = await runEarshot(["--help"]).done;
    expect(main.code).toBe(0);
    expect(main.stdout).toContain("earshot listen <file | URL | ->");
    const listen = await runEarshot(["listen", "--help"]).done;
    expect(listen.code).toBe(0);
    expect(listen.stdout).toContain("--mic-command");
    expect(listen.stdout).toContain("--x-<name> <value>");
  });

  it("no command prints the usage on stderr and exits 2", async () => {
    const result = await runEarshot([]).done;
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("earshot listen <file | URL | ->");
  });

  it("an unknown command is a usage error", async () => {
    const result = await runEarshot(["transcribe", "a.wav"]).done;
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toBe(
      "earshot: unknown command 'transcribe' (try: earshot listen <file>, earshot --help)",
    );
  });
});
