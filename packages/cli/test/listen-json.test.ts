/**
 * `earshot listen` into a pipe: NDJSON of every server message, checked message by message, for
 * each kind of input (file, stdin, HTTP URL, capture command) and both faces — against a local
 * server with the scripted engine, so the expected words and endpoints are exact.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type LocalServer, scriptedEngine, startServer } from "@earshot/server";
import { silence, tone, wav } from "@earshot/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, parseNdjson, runEarshot, summarize, tempDir, writeFile } from "./helpers.ts";

// Two spoken stretches (the scripted engine hears tone as speech, 0.4 s per word) and pauses.
const pcm = Buffer.concat([tone(1.2), silence(0.5), tone(1.2), silence(0.5)]);
const audio = wav(pcm);

/** What the scripted server says for `audio`, message by message. */
const expected = [
  {
    type: "Results",
    is_final: true,
    speech_final: true,
    from_finalize: false,
    transcript: "alpha bravo charlie",
    start: 0,
    duration: 1.21,
  },
  {
    type: "Results",
    is_final: true,
    speech_final: true,
    from_finalize: false,
    transcript: "delta echo foxtrot",
    start: 1.21,
    duration: 1.7,
  },
  // The trailing pause, flushed at CloseStream: a final with no words.
  {
    type: "Results",
    is_final: true,
    speech_final: false,
    from_finalize: false,
    transcript: "",
    start: 2.91,
    duration: 0.49,
  },
  { type: "Metadata", duration: 3.4, channels: 1 },
];

let server: LocalServer;
let http: Server;
let httpUrl: string;
let dir: { dir: string; remove: () => void };
let wavPath: string;
let rawPath: string;

beforeAll(async () => {
  server = await startServer({
    engine: scriptedEngine({ transcript: "alpha bravo charlie delta echo foxtrot" }),
  });
  dir = tempDir();
  wavPath = writeFile(dir.dir, "speech.wav", audio);
  rawPath = writeFile(dir.dir, "speech.raw", pcm);
  // Serves the WAV in pieces with pauses, so the CLI must stream it as it downloads.
  http = createServer((request, response) => {
    if (request.url !== "/speech.wav") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "audio/wav" });
    let offset = 0;
    const timer = setInterval(() => {
      response.write(audio.subarray(offset, offset + 16_000));
      offset += 16_000;
      if (offset >= audio.length) {
        clearInterval(timer);
        response.end();
      }
    }, 5);
    response.once("close", () => clearInterval(timer));
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(killChildren);

afterAll(async () => {
  await server.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  dir.remove();
});

async function listenJson(args: string[], input?: Buffer) {
  const run = runEarshot(["listen", ...args, "--url", server.url], input === undefined ? {} : { input });
  const result = await run.done;
  return { ...result, messages: parseNdjson(result.stdout) };
}

describe("earshot listen → NDJSON", () => {
  it("a WAV file: every message, in order, then exit 0", async () => {
    const result = await listenJson([wavPath]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.messages.map(summarize)).toEqual(expected);
    // Each line is the whole message, as the server sent it.
    const first = result.messages[0];
    expect(first?.type === "Results" && first.metadata.model_info.name).toBe("earshot-scripted");
    expect(
      first?.type === "Results" && first.channel.alternatives[0]?.words.map((word) => word.word),
    ).toEqual(["alpha", "bravo", "charlie"]);
  });

  it("the same file through the threaded face gives the same messages", async () => {
    const result = await listenJson([wavPath, "--threaded"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.messages.map(summarize)).toEqual(expected);
  });

  it("stdin (-) carrying a WAV", async () => {
    const result = await listenJson(["-"], audio);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.messages.map(summarize)).toEqual(expected);
  });

  it("stdin carrying raw linear16 with --encoding and --sample-rate", async () => {
    const result = await listenJson(["-", "--encoding", "linear16", "--sample-rate", "16000"], pcm);
    expect(result.code).toBe(0);
    expect(result.messages.map(summarize)).toEqual(expected);
  });

  it("an HTTP URL, streamed as it downloads", async () => {
    const result = await listenJson([`${httpUrl}/speech.wav`]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.messages.map(summarize)).toEqual(expected);
  });

  it("--mic-command: a capture command's stdout as the microphone", async () => {
    const result = await listenJson(["--mic", "--mic-command", `cat ${rawPath}`]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.messages.map(summarize)).toEqual(expected);
  });

  it("--interim-results adds interim results before each final, about one per second of audio", async () => {
    const result = await listenJson([wavPath, "--interim-results"]);
    expect(result.code).toBe(0);
    const summaries = result.messages.map(summarize);
    // Interim results come and go; the finals and Metadata are exactly the same as without them.
    expect(summaries.filter((message) => message.is_final !== false)).toEqual(expected);
    const interims = summaries.filter((message) => message.is_final === false);
    expect(interims.length).toBeGreaterThanOrEqual(2);
    for (const interim of interims) {
      const transcript = String(interim.transcript);
      expect(["alpha bravo charlie", "delta echo foxtrot"].some((text) => text.startsWith(transcript))).toBe(
        true,
      );
    }
  });

  it("--realtime --speed paces a file and still delivers every message", async () => {
    const result = await listenJson([wavPath, "--speed", "8"]);
    expect(result.code).toBe(0);
    expect(result.messages.map(summarize)).toEqual(expected);
  });

  it("query parameters reach the server: --extra and a pass-through --x-extra are echoed back", async () => {
    const result = await listenJson([wavPath, "--extra", "run:42", "--x-extra", "via:passthrough"]);
    expect(result.code).toBe(0);
    const first = result.messages[0];
    expect(first?.type === "Results" && first.metadata.extra).toEqual({ run: "42", via: "passthrough" });
  });

  it("a URL that answers 404: one line, exit 1", async () => {
    const run = runEarshot(["listen", `${httpUrl}/missing.wav`, "--url", server.url]);
    const result = await run.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`earshot: cannot fetch ${httpUrl}/missing.wav: HTTP 404 Not Found\n`);
  });
});
