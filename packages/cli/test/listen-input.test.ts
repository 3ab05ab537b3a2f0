/**
 * Honest input handling: what cannot work is refused with one line saying why and what to do
 * (before any server starts), what Deepgram could decode is passed through (and a server's
 * "cannot decode" gets the same advice), a WAV header beats contradicting flags with a warning,
 * and URL inputs that never answer or stall are named in plain words.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sniffKind } from "../src/input-kind.ts";
import { killChildren, parseNdjson, runEarshot, tempDir, writeFile } from "./helpers.ts";

let server: LocalServer;
let dir: { dir: string; remove: () => void };

const oggOpus = Buffer.concat([
  Buffer.from("OggS"),
  Buffer.alloc(24),
  Buffer.from("OpusHead"),
  Buffer.alloc(400),
]);
const samples: Record<string, Buffer> = {
  "a.ogg": oggOpus,
  "a.flac": Buffer.concat([Buffer.from("fLaC"), Buffer.alloc(400)]),
  "a.mp3": Buffer.concat([Buffer.from("ID3"), Buffer.alloc(400)]),
  "a.webm": Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(400)]),
  "page.html": Buffer.from("<!DOCTYPE html><html><body>Not found</body></html>"),
  "empty.wav": Buffer.alloc(0),
};

function wav24(): Buffer {
  const audio = wav(silence(0.5));
  audio.writeUInt16LE(3, 32); // block align
  audio.writeUInt16LE(24, 34); // bits per sample
  return audio;
}

beforeAll(async () => {
  server = await startServer({ engine: scriptedEngine() });
  dir = tempDir();
});

afterEach(killChildren);

afterAll(async () => {
  await server.close();
  dir.remove();
});

function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

describe("sniffKind", () => {
  it("tells containers apart by their first bytes", () => {
    expect(sniffKind(wav(silence(0.1)))).toBe("wav");
    expect(sniffKind(oggOpus)).toBe("ogg-opus");
    expect(sniffKind(Buffer.from([0xff, 0xfb, 0x90, 0x00]))).toBe("mp3");
    expect(sniffKind(Buffer.from([0xff, 0xf1, 0x50, 0x80]))).toBe("aac");
    expect(sniffKind(Buffer.concat([Buffer.alloc(4), Buffer.from("ftypM4A ")]))).toBe("mp4");
    expect(sniffKind(Buffer.from("\n  <html>"))).toBe("html");
    expect(sniffKind(Buffer.alloc(0))).toBe("empty");
    expect(sniffKind(silence(0.1))).toBe("unknown");
  });
});

describe("offline (the embedded engine reads WAV or raw PCM): refused before any server starts", () => {
  it.each([
    [
      "a.ogg",
      "is an Ogg/Opus file; the offline engine reads WAV or raw PCM: convert it with `sox in.ogg -r 16000 -c 1 out.wav`",
    ],
    ["a.flac", "is a FLAC file; the offline engine reads WAV or raw PCM: convert it with `sox in.flac"],
    ["a.mp3", "is an MP3 file; the offline engine reads WAV or raw PCM: convert it with `ffmpeg -i in.mp3"],
    ["a.webm", "is a WebM/Matroska file"],
    ["page.html", "is an HTML page, not audio: check the address"],
    ["empty.wav", "is empty: there is no audio to transcribe"],
  ])("%s", async (name, message) => {
    const path = writeFile(dir.dir, name, samples[name] as Buffer);
    const result = await runEarshot(["listen", path, "--engine", "scripted"]).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      `earshot: ${path} ${message}${oneLine(result.stderr).slice(`earshot: ${path} ${message}`.length)}`,
    );
    expect(result.stderr).not.toContain("embedded local server");
    expect(result.stdout).toBe("");
  });

  it("raw audio without --encoding, a 24-bit WAV, a truncated WAV", async () => {
    const raw = writeFile(dir.dir, "a.raw", tone(0.5));
    let result = await runEarshot(["listen", raw, "--engine", "scripted"]).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toContain("is not a WAV file and no --encoding was given");

    const deep = writeFile(dir.dir, "deep.wav", wav24());
    result = await runEarshot(["listen", deep, "--engine", "scripted"]).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toMatch(/24-bit samples.*convert it with `sox in\.wav -b 16 out\.wav`$/);

    const cut = writeFile(dir.dir, "cut.wav", wav(tone(2)).subarray(0, 44 + 16_000));
    result = await runEarshot(["listen", cut, "--engine", "scripted"]).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      `earshot: ${cut} is truncated: its header promises 2.0 s of audio, it holds 0.5 s`,
    );
  });
});

describe.each(["--async", "--threaded"])("%s", (face) => {
  it("a container is passed through to a remote server; its 'cannot decode' comes with the advice", async () => {
    const path = writeFile(dir.dir, "pass.ogg", oggOpus);
    const result = await runEarshot(["listen", path, "--url", server.url, face]).done;
    expect(result.code).toBe(1);
    const line = oneLine(result.stderr);
    expect(line).toContain("1008 DATA-0000");
    expect(line).toContain(
      `${path} is an Ogg/Opus file; convert it with \`sox in.ogg -r 16000 -c 1 out.wav\``,
    );
  });

  it("a 24-bit WAV to a remote server: the root cause (its 1008 DATA-0000) with the advice, not 'session is closed'", async () => {
    const path = writeFile(dir.dir, "deep-remote.wav", wav24());
    const result = await runEarshot(["listen", path, "--url", server.url, face]).done;
    expect(result.code).toBe(1);
    const line = oneLine(result.stderr);
    expect(line).toMatch(/^earshot: The connection closed \(1008 DATA-0000\)/);
    expect(line).not.toContain("session is closed");
    expect(line).toContain(
      ` — ${path} is a WAV with 24-bit samples; convert it with \`sox in.wav -b 16 out.wav\``,
    );
  });

  it("a WAV header beats contradicting flags, with a warning", async () => {
    const path = writeFile(dir.dir, "speech.wav", wav(Buffer.concat([tone(1.2), silence(0.4)])));
    const result = await runEarshot(["listen", path, "--url", server.url, "--sample-rate", "44100", face])
      .done;
    expect(result.code).toBe(0);
    expect(oneLine(result.stderr)).toBe(
      `earshot: warning: ${path}'s header says 16000 Hz, 1 channel, linear16; ignoring --sample-rate 44100`,
    );
    expect(parseNdjson(result.stdout).at(-1)).toMatchObject({ type: "Metadata", duration: 1.6 });
  });

  it("a WAV on stdin that ends before its header's length: transcribed, then exit 1 naming it", async () => {
    const input = wav(tone(2)).subarray(0, 44 + 32_000);
    const result = await runEarshot(["listen", "-", "--url", server.url, face], { input }).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      "earshot: stdin ended early: its header promised 2.0 s of audio, 1.0 s came (what came was transcribed)",
    );
    expect(parseNdjson(result.stdout).at(-1)?.type).toBe("Metadata");
  });
});

describe("URL inputs", () => {
  let http: Server;
  let base: string;
  const hanging = new Set<import("node:http").ServerResponse>();

  beforeAll(async () => {
    http = createServer((request, response) => {
      if (request.url === "/silent") {
        hanging.add(response);
        return; // never answers
      }
      if (request.url === "/stall") {
        response.writeHead(200, { "content-type": "audio/wav" });
        response.write(wav(tone(5)).subarray(0, 44 + 8000));
        hanging.add(response);
        return; // then nothing more
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<p>a login page</p>");
    });
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const response of hanging) response.destroy();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it("a server that never answers: named, with the flag that bounds it", async () => {
    const result = await runEarshot([
      "listen",
      `${base}/silent`,
      "--url",
      server.url,
      "--input-timeout",
      "0.3",
    ]).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      `earshot: ${base}/silent did not answer within 0.3 s (--input-timeout)`,
    );
  });

  it("an HTML page (by its Content-Type) is not audio", async () => {
    const result = await runEarshot(["listen", `${base}/login`, "--url", server.url]).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      `earshot: ${base}/login is an HTML page, not audio (Content-Type: text/html; charset=utf-8): check the address`,
    );
  });

  it.each(["--async", "--threaded"])("%s: a download that stalls mid-body", async (face) => {
    const result = await runEarshot([
      "listen",
      `${base}/stall`,
      "--url",
      server.url,
      "--input-timeout",
      "0.5",
      face,
    ]).done;
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(`earshot: ${base}/stall stopped sending: nothing arrived for 0.5 s`);
  });
});
