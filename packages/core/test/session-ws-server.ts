/**
 * A bare `ws` server on 127.0.0.1:0 for the session's unit tests: a real socket whose
 * behaviour each test scripts (refuse the upgrade, hang, answer frames), so the session is
 * tested without depending on the full local server.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type WebSocket from "ws";
import { WebSocketServer } from "ws";

export interface ReceivedFrame {
  readonly binary: boolean;
  readonly data: Buffer;
}

export interface Connection {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  readonly frames: ReceivedFrame[];
  /** Text frames received, in order. */
  texts(): string[];
}

export type UpgradeDecision =
  | { kind: "accept"; requestId?: string; protocol?: string }
  | { kind: "refuse"; status: number; headers?: Record<string, string>; body?: string }
  | { kind: "hang" };

export interface TestServer {
  readonly url: string;
  readonly connections: Connection[];
  readonly requests: IncomingMessage[];
  /** Called for each accepted connection (after it is recorded). */
  onConnection: (connection: Connection) => void;
  decide: (request: IncomingMessage) => UpgradeDecision;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const http = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) =>
      protocols.has("token") ? "token" : protocols.has("bearer") ? "bearer" : false,
  });
  const sockets = new Set<Socket>();
  http.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const server: TestServer = {
    url: "",
    connections: [],
    requests: [],
    onConnection: () => {},
    decide: () => ({ kind: "accept" }),
    async close() {
      for (const client of wss.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  http.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    server.requests.push(request);
    const decision = server.decide(request);
    if (decision.kind === "hang") return;
    if (decision.kind === "refuse") {
      const body = decision.body ?? "";
      const headers = {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        ...decision.headers,
      };
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
      socket.end(
        `HTTP/1.1 ${decision.status} Refused\r\n${lines.join("\r\n")}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const requestId = decision.requestId ?? "11111111-2222-3333-4444-555555555555";
    wss.once("headers", (headers) => headers.push(`dg-request-id: ${requestId}`));
    wss.handleUpgrade(request, socket, head, (ws) => {
      const frames: ReceivedFrame[] = [];
      const connection: Connection = {
        socket: ws,
        request,
        frames,
        texts: () => frames.filter((frame) => !frame.binary).map((frame) => frame.data.toString("utf8")),
      };
      ws.on("message", (data: Buffer, isBinary) =>
        frames.push({ binary: isBinary, data: Buffer.from(data) }),
      );
      ws.on("error", () => {});
      server.connections.push(connection);
      server.onConnection(connection);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  (server as { url: string }).url = `ws://127.0.0.1:${port}`;
  return server;
}
