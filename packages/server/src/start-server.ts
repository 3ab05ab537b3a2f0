/**
 * startServer(): a node:http server that owns the upgrade (so refusals are plain HTTP
 * responses as from the real API) and a `ws` WebSocketServer in `noServer` mode for the
 * sessions.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { FLUX_PATH } from "@earshot/core";
import { WebSocketServer } from "ws";
import { CLOSE_GOING_AWAY } from "./close-reasons.ts";
import { scriptedEngine } from "./engines/scripted-engine.ts";
import { FluxServerSession } from "./flux/flux-session.ts";
import { chooseSubprotocol } from "./handshake/auth.ts";
import { decideHandshake, LISTEN_PATH } from "./handshake/handshake.ts";
import { writeRefusal } from "./handshake/refuse.ts";
import type { LocalServer, ServerOptions } from "./server-options.ts";
import { ServerSession } from "./session/server-session.ts";

/** The refusal past `maxConcurrentSessions`. */
const TOO_MANY_SESSIONS = {
  status: 429,
  errCode: "TOO_MANY_REQUESTS",
  errMsg: "Too many concurrent requests. Please try again later.",
} as const;

/** Largest binary frame accepted (about 30 min of 16 kHz linear16 in one frame is plenty). */
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** Flux keeps a socket without frames (pings count) open this long (docs/protocol.md §8.8). */
const FLUX_INACTIVITY_TIMEOUT_MS = 60_000;
/** How long close() lets sessions finish their closing handshake before destroying sockets. */
const SHUTDOWN_GRACE_MS = 1_000;

/**
 * Starts a local Deepgram-compatible live server on loopback.
 *
 * @example
 * ```ts
 * const server = await startServer({ apiKeys: ["test-key"], inactivityTimeoutMs: 2_000 });
 * // connect to `${server.url}/v1/listen?encoding=linear16&sample_rate=16000`
 * await server.close();
 * ```
 */
export async function startServer(options: ServerOptions = {}): Promise<LocalServer> {
  const engine = await (options.engine ?? scriptedEngine())();
  const inactivityTimeoutMs = options.inactivityTimeoutMs ?? 10_000;
  const maxSessions = options.maxConcurrentSessions ?? Number.POSITIVE_INFINITY;
  let admitted = 0;
  const sessions = new Set<ServerSession | FluxServerSession>();
  const sockets = new Set<Socket>();
  const requestIds = new WeakMap<IncomingMessage, string>();

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_PAYLOAD_BYTES,
    handleProtocols: (offered) => chooseSubprotocol(offered),
  });
  // dg-request-id rides on the 101 too.
  wss.on("headers", (headers, request) => {
    const requestId = requestIds.get(request);
    if (requestId !== undefined) headers.push(`dg-request-id: ${requestId}`);
  });

  const http = createServer((request, response) => answerPlainRequest(request, response));
  http.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => {}); // a client that vanishes mid-handshake is not a server error
    const requestId = randomUUID();
    const decision = decideHandshake(request, options);
    if (!decision.accept) {
      writeRefusal(socket, decision.refusal, requestId);
      return;
    }
    if (admitted >= maxSessions) {
      writeRefusal(socket, TOO_MANY_SESSIONS, requestId);
      return;
    }
    // Counted from admission, not from open, so a burst of upgrades cannot overshoot the limit.
    admitted++;
    let released = false;
    const release = (): void => {
      if (!released) admitted--;
      released = true;
    };
    socket.once("close", release);
    requestIds.set(request, requestId);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const common = { ws, requestId, engine, faults: decision.faults, clock: options.clock };
      const session =
        decision.version === "v2"
          ? new FluxServerSession({
              ...common,
              options: decision.options,
              inactivityTimeoutMs: options.inactivityTimeoutMs ?? FLUX_INACTIVITY_TIMEOUT_MS,
            })
          : new ServerSession({ ...common, options: decision.options, inactivityTimeoutMs });
      sessions.add(session);
      void session.closed.then(() => sessions.delete(session));
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
        http.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    // The engine may hold threads or native memory: release it when the port cannot be had.
    wss.close();
    await engine.close();
    throw error;
  }
  const address = http.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `ws://${host}:${address.port}`,
    port: address.port,
    get sessionCount() {
      return sessions.size;
    },
    resumeReading() {
      for (const session of sessions) session.resumeReading();
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };

  async function shutDown(): Promise<void> {
    const closingHttp = new Promise<void>((resolve) => http.close(() => resolve()));
    const open = [...sessions];
    for (const session of open) session.shutDown(CLOSE_GOING_AWAY, "server shutting down");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(open.map((session) => session.closed)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    for (const session of sessions) session.terminate();
    for (const socket of sockets) socket.destroy();
    await closingHttp;
    wss.close();
    await engine.close();
  }
}

/** Plain HTTP (no upgrade): the live endpoint only speaks WebSocket. */
function answerPlainRequest(request: IncomingMessage, response: ServerResponse): void {
  const requestId = randomUUID();
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const [status, errCode, errMsg] =
    path === LISTEN_PATH || path === FLUX_PATH
      ? [426, "UPGRADE_REQUIRED", "The live endpoint needs a WebSocket upgrade."]
      : [404, "NOT_FOUND", `No such endpoint: ${path}.`];
  const body = JSON.stringify({ err_code: errCode, err_msg: errMsg, request_id: requestId });
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "dg-error": errMsg,
    "dg-request-id": requestId,
    connection: "close",
  });
  response.end(body);
}
