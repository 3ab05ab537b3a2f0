/**
 * A raw `ws` client for the server's tests: it records every text frame, the 101 response's
 * headers and the close, so a test can await exactly what it needs.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { waitFor } from "@earshot/testkit";
import WebSocket from "ws";

export type Json = Record<string, unknown>;

export interface TestClient {
  readonly ws: WebSocket;
  /** Headers of the 101 response. */
  readonly headers: IncomingHttpHeaders;
  /** Every text frame received, raw. */
  readonly texts: string[];
  /** Every text frame received that parses as JSON, parsed. */
  readonly messages: Json[];
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Messages of one `type`. */
  ofType(type: string): Json[];
  /** Waits until `count` messages of `type` have arrived. */
  waitForType(type: string, count?: number, timeoutMs?: number): Promise<Json[]>;
}

export interface ConnectInit {
  headers?: Record<string, string>;
  /** The endpoint. @default "/v1/listen" */
  path?: string;
  protocols?: string[];
  /** Called with the 101 response (whose `socket` is the connection's TCP socket). */
  onUpgrade?: (response: IncomingMessage) => void;
}

/** Opens `${base}${init.path ?? "/v1/listen"}?${query}`; rejects if the upgrade is refused. */
export function connect(base: string, query = "", init: ConnectInit = {}): Promise<TestClient> {
  const url = `${base}${init.path ?? "/v1/listen"}${query === "" ? "" : `?${query}`}`;
  const ws = new WebSocket(url, init.protocols ?? [], { headers: init.headers ?? {} });
  const texts: string[] = [];
  const messages: Json[] = [];
  let headers: IncomingHttpHeaders = {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") }));
  });
  ws.on("upgrade", (response) => {
    headers = response.headers;
    init.onUpgrade?.(response);
  });
  ws.on("message", (data, isBinary) => {
    // The server sends no binary frames on this endpoint (docs/protocol.md §4): record one as such.
    texts.push(isBinary ? "<binary frame>" : data.toString());
  });
  // Parsed lazily, so a flood of messages costs no parsing unless a test reads them.
  let parsedUpTo = 0;
  const parsed = (): Json[] => {
    for (; parsedUpTo < texts.length; parsedUpTo++) {
      try {
        messages.push(JSON.parse(texts[parsedUpTo] as string) as Json);
      } catch {
        // Not JSON (a fault plan's malformed frame): only in `texts`.
      }
    }
    return messages;
  };
  const client: TestClient = {
    ws,
    get headers() {
      return headers;
    },
    texts,
    get messages() {
      return parsed();
    },
    closed,
    ofType: (type) => parsed().filter((message) => message.type === type),
    async waitForType(type, count = 1, timeoutMs = 5_000) {
      await waitFor(() => client.ofType(type).length >= count, `${count} × ${type}`, { timeoutMs });
      return client.ofType(type);
    },
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
  });
}

export interface Refused {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Attempts an upgrade that the server must refuse; resolves with the HTTP response. */
export function refusedUpgrade(base: string, pathAndQuery: string, init: ConnectInit = {}): Promise<Refused> {
  const ws = new WebSocket(`${base}${pathAndQuery}`, init.protocols ?? [], { headers: init.headers ?? {} });
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      ws.terminate();
      reject(new Error("the upgrade was accepted"));
    });
    ws.once("unexpected-response", (_request, response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.once("end", () => {
        ws.terminate();
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    // After unexpected-response, ws reports the aborted handshake as an error too.
    ws.on("error", () => {});
  });
}

/** Sends a text frame and waits until it has been written. */
export function sendText(ws: WebSocket, text: string): Promise<void> {
  return new Promise((resolve, reject) => ws.send(text, (error) => (error ? reject(error) : resolve())));
}

/** Sends audio in binary frames of `frameBytes`. */
export async function sendAudio(ws: WebSocket, audio: Uint8Array, frameBytes = 3_200): Promise<void> {
  for (let offset = 0; offset < audio.length; offset += frameBytes) {
    const frame = audio.subarray(offset, Math.min(offset + frameBytes, audio.length));
    await new Promise<void>((resolve, reject) =>
      ws.send(frame, { binary: true }, (error) => (error ? reject(error) : resolve())),
    );
  }
}

/** The structure of a JSON value: keys in order, recursively (arrays by their first element). */
export function keyShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [keyShape(value[0])];
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).map(([key, inner]) => [key, keyShape(inner)]);
  }
  return typeof value;
}

/** Interleaves mono linear16 buffers into one multichannel buffer. */
export function interleave(...channels: Buffer[]): Buffer {
  const frames = Math.min(...channels.map((channel) => channel.length / 2));
  const out = Buffer.alloc(frames * channels.length * 2);
  for (let i = 0; i < frames; i++) {
    for (const [c, channel] of channels.entries())
      out.writeInt16LE(channel.readInt16LE(i * 2), (i * channels.length + c) * 2);
  }
  return out;
}
