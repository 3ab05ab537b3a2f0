/**
 * Fuzzing the local server from the client side (seeded; the seed is printed, and
 * `EARSHOT_FUZZ_SEED=<n>` replays a run): 9,000 malformed client frames (invalid JSON, wrong
 * field types, huge numbers, deep nesting, invalid UTF-8, unknown types, odd-length audio,
 * JSON as binary) over a few sockets, and 1,000 malformed upgrade requests on raw TCP. The
 * server must never crash, and a well-behaved session beside them must get its transcript.
 */
import { connect as tcpConnect } from "node:net";
import { seededRandom } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type LocalServer, startServer } from "../src/index.ts";

const SEED = Number(process.env.EARSHOT_FUZZ_SEED ?? Date.now() % 2 ** 31);
const FRAMES = 9_000;
const HANDSHAKES = 1_000;

type Frame = { data: Buffer | string; binary: boolean };

function malformedFrame(random: () => number): Frame {
  const pick = Math.floor(random() * 9);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  switch (pick) {
    case 0:
      return { data: `{"type":"Finalize"${"x".repeat(Math.floor(random() * 10))}`, binary: false };
    case 1:
      return { data: JSON.stringify({ type: random() < 0.5 ? 42 : null, channel: "one" }), binary: false };
    case 2:
      return {
        data: JSON.stringify({ type: "Finalize", channel: 1e308 * (random() < 0.5 ? 10 : 1) }),
        binary: false,
      };
    case 3:
      return { data: `${"[".repeat(5_000)}${"]".repeat(5_000)}`, binary: false };
    case 4:
      return { data: bytes(1 + Math.floor(random() * 64)), binary: false };
    case 5:
      return { data: JSON.stringify({ type: `Unknown${Math.floor(random() * 1e6)}` }), binary: false };
    case 6:
      return { data: bytes(1 + 2 * Math.floor(random() * 200)), binary: true };
    case 7:
      return { data: Buffer.from('{"type":"KeepAlive"}'), binary: true };
    default:
      return {
        data: JSON.stringify({ type: "Configure", features: random() < 0.5 ? "all" : [1, 2] }),
        binary: false,
      };
  }
}

function malformedHandshake(random: () => number, port: number): string {
  const variants = [
    `GET /v1/listen HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    `GET /v1/listen?encoding=nope&sample_rate=-1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAA\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    `GET /v1/listen HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n`,
    `\u0000\u0001garbage ${Math.floor(random() * 1e9)}\r\n\r\n`,
    `GET /v1/listen?${"a=b&".repeat(2_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET /v1/listen HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: token, , ,\r\n\r\n`,
    "GET /v1/listen HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
  ];
  return variants[Math.floor(random() * variants.length)] ?? "";
}

function sendHandshake(port: number, text: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, "127.0.0.1", () => socket.end(text));
    socket.on("error", () => resolve());
    socket.on("close", () => resolve());
    socket.resume();
    // A request the server waits on (an incomplete one) is not left to hang the test.
    socket.setTimeout(2_000, () => socket.destroy());
  });
}

function openFuzzSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/v1/listen?encoding=linear16&sample_rate=16000`);
    ws.on("error", () => {});
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", () => reject(new Error("refused")));
  });
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe(`fuzzing the server from the client side (seed ${SEED})`, () => {
  it(`${FRAMES} malformed frames and ${HANDSHAKES} malformed handshakes: no crash, a good session unaffected`, async () => {
    console.log(`server fuzz seed: ${SEED} (replay: EARSHOT_FUZZ_SEED=${SEED})`);
    const random = seededRandom(SEED);
    server = await startServer({ inactivityTimeoutMs: 30_000 });
    const { url, port } = server;

    // The well-behaved session, open through the whole run.
    const good = await openFuzzSocket(url);
    const goodMessages: string[] = [];
    good.on("message", (data) => goodMessages.push(String(data)));

    let sent = 0;
    let sockets = 0;
    while (sent < FRAMES) {
      const ws = await openFuzzSocket(url);
      sockets++;
      // Until the server closes it (1008 for undecodable input) or 500 frames went through it.
      for (let n = 0; n < 500 && sent < FRAMES && ws.readyState === WebSocket.OPEN; n++) {
        const frame = malformedFrame(random);
        ws.send(frame.data, { binary: frame.binary });
        sent++;
      }
      // A clean close: the server reads every frame before it (none is lost in a socket buffer).
      const gone = new Promise<void>((resolve) => ws.once("close", () => resolve()));
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      await gone;
    }
    for (let n = 0; n < HANDSHAKES; n += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () => sendHandshake(port, malformedHandshake(random, port))),
      );
    }

    // The good session still works: audio in, CloseStream, Metadata and a normal close.
    good.send(Buffer.alloc(32_000), { binary: true });
    const closed = new Promise<number>((resolve) => good.once("close", (code) => resolve(code)));
    good.send(JSON.stringify({ type: "CloseStream" }));
    expect(await closed).toBe(1000);
    expect(goodMessages.some((text) => text.includes('"type":"Metadata"'))).toBe(true);
    expect(sent).toBe(FRAMES);
    expect(sockets).toBeGreaterThan(0);
    // And it still accepts new sessions.
    const after = await openFuzzSocket(url);
    after.terminate();
  });
});
