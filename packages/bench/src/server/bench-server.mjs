// The benchmark's server: a minimal /v1/listen endpoint in its own process, so the clients'
// cost is what is measured and a blocked client thread cannot stall it. The harness configures
// what each following connection gets (over IPC), one run at a time:
//   every connection  counts binary bytes; answers CloseStream with Metadata and a 1000 close
//                     (after `lateMs`, with one last final Results first, when set);
//   flood: N          N real-shaped Results written at the first KeepAlive (the client's "go"),
//                     as one socket write;
//   stamp: {count, intervalMs}  Results stamped with this process's clock, at a steady rate;
//   periodic: ms      a stamped Results every `ms` per connection, phases spread (many streams);
//   idleMs            closes 1011 NET-0001 (after a Metadata) when nothing arrived for that long;
//   finalEveryBytes   a final Results per that many audio bytes, with start/duration in seconds.
//   fluxFlood: N      on /v2/listen (Flux): Connected at once, then N TurnInfo messages of
//                     whole turns at the first audio frame (the client's "go"), as one write;
//                     CloseStream closes 1000 (Flux sends no Metadata).
// A `/clock` connection answers every text message with this process's clock (clock-offset.mjs).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { now } from "../clock.mjs";
import {
  floodFrames,
  fluxConnectedMessage,
  fluxTurnMessages,
  framesOf,
  metadataMessage,
  resultsMessage,
} from "./messages.mjs";

const NET_0001 =
  "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001";
const BYTES_PER_SECOND = 32_000; // 16 kHz linear16 mono

let config = {};
let flood; // { count, frames } built once per configuration
let fluxFlood; // the same for Flux turns
let connections = [];

const http = createServer((_request, response) => response.writeHead(426).end());
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
wss.on("headers", (headers) => headers.push(`dg-request-id: ${randomUUID()}`));
http.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    if ((request.url ?? "").startsWith("/clock")) serveClock(ws);
    else if ((request.url ?? "").startsWith("/v2/listen")) serveFlux(ws, socket);
    else serveListen(ws, socket);
  });
});

function serveClock(ws) {
  ws.on("message", () => ws.send(JSON.stringify({ t: now() })));
}

/** @param {import("ws").WebSocket} ws @param {import("node:net").Socket} socket */
function serveListen(ws, socket) {
  const stats = { bytes: 0, frames: 0, texts: 0, finals: 0, closeCode: 0, closedBy: "" };
  connections.push(stats);
  const timers = new Set();
  const later = (ms, fn) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const sendJson = (message) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  let closing = false;
  const closeWith = (code, reason) => {
    if (closing) return;
    closing = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    stats.closedBy = "server";
    ws.close(code, reason);
  };
  const audioSeconds = () => stats.bytes / BYTES_PER_SECOND;

  // Written to the socket itself (the one handed to the upgrade): a pre-encoded flood costs
  // this process one write, so the client's reading speed is what the run measures.
  let flooded = false;
  const floodOnce = () => {
    if (flooded || !config.flood || !flood) return;
    flooded = true;
    socket.write(flood.frames);
  };

  if (config.stamp) {
    const { count, intervalMs, delayMs = 200 } = config.stamp;
    const startAt = now() + delayMs;
    let sent = 0;
    const next = () => {
      if (closing || sent >= count) return;
      sendJson(resultsMessage({ start: sent, duration: intervalMs / 1000, stamp: now() }));
      sent++;
      // Scheduled against the start, so timer lateness does not accumulate.
      later(Math.max(0, startAt + sent * intervalMs - now()), next);
    };
    later(delayMs, next);
  }

  if (config.periodic) {
    const every = config.periodic;
    let sent = 0;
    const next = () => {
      if (closing) return;
      sendJson(resultsMessage({ start: sent, duration: every / 1000, stamp: now() }));
      sent++;
      later(every, next);
    };
    later(Math.random() * every, next);
  }

  let idleTimer;
  const touch = () => {
    if (!config.idleMs || closing) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      sendJson(metadataMessage(audioSeconds()));
      closeWith(1011, NET_0001);
    }, config.idleMs);
  };
  touch();

  let covered = 0;
  ws.on("message", (data, isBinary) => {
    touch();
    if (isBinary) {
      stats.frames++;
      stats.bytes += data.byteLength;
      const every = config.finalEveryBytes;
      while (every && stats.bytes - covered >= every) {
        sendJson(resultsMessage({ start: covered / BYTES_PER_SECOND, duration: every / BYTES_PER_SECOND }));
        covered += every;
        stats.finals++;
      }
      return;
    }
    stats.texts++;
    const text = data.toString();
    if (text.includes('"KeepAlive"')) floodOnce();
    if (!text.includes('"CloseStream"')) return;
    clearTimeout(idleTimer);
    const end = () => {
      sendJson(metadataMessage(audioSeconds()));
      closeWith(1000);
    };
    if (config.lateMs) {
      later(config.lateMs, () => {
        sendJson(
          resultsMessage({ start: audioSeconds(), duration: 0.5, stamp: now(), transcript: "late final" }),
        );
        end();
      });
    } else end();
  });
  ws.on("close", (code) => {
    clearTimeout(idleTimer);
    for (const timer of timers) clearTimeout(timer);
    stats.closeCode = code;
    if (!stats.closedBy) stats.closedBy = "client";
  });
  ws.on("error", () => {});
}

/** `/v2/listen`: Connected, the turn flood at the first audio frame, a 1000 close at CloseStream. */
function serveFlux(ws, socket) {
  const stats = { bytes: 0, frames: 0, texts: 0, finals: 0, closeCode: 0, closedBy: "" };
  connections.push(stats);
  ws.send(JSON.stringify(fluxConnectedMessage()));
  let flooded = false;
  ws.on("message", (data, isBinary) => {
    if (isBinary) {
      stats.frames++;
      stats.bytes += data.byteLength;
      if (!flooded && fluxFlood) {
        flooded = true;
        socket.write(fluxFlood.frames);
      }
      return;
    }
    stats.texts++;
    if (data.toString().includes('"CloseStream"')) {
      stats.closedBy = "server";
      ws.close(1000);
    }
  });
  ws.on("close", (code) => {
    stats.closeCode = code;
    if (!stats.closedBy) stats.closedBy = "client";
  });
  ws.on("error", () => {});
}

process.on("message", (request) => {
  const reply = (body) => process.send({ id: request.id, ...body });
  if (request.cmd === "configure") {
    config = request.config ?? {};
    connections = [];
    if (config.flood && flood?.count !== config.flood) {
      flood = { count: config.flood, frames: floodFrames(JSON.stringify(resultsMessage()), config.flood) };
    }
    if (config.fluxFlood && fluxFlood?.count !== config.fluxFlood) {
      fluxFlood = { count: config.fluxFlood, frames: framesOf(fluxTurnMessages(config.fluxFlood)) };
    }
    reply({ ok: true });
  } else if (request.cmd === "stats") {
    reply({ connections });
  } else if (request.cmd === "exit") {
    for (const client of wss.clients) client.terminate();
    http.close(() => process.exit(0));
  }
});
// The harness going away takes this process with it.
process.on("disconnect", () => process.exit(0));

http.listen(0, "127.0.0.1", () => {
  const { port } = http.address();
  process.send({ ready: true, url: `ws://127.0.0.1:${port}` });
});
