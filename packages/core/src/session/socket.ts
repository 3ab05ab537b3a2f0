/**
 * The `ws` specifics of a session: how the socket is created, how frames are written to it,
 * and how received data becomes text.
 */
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import type { Handshake } from "../options.ts";
import type { SocketLimits } from "../platform/types.ts";
import type { FrameSink } from "./send-queue.ts";

const BINARY = { binary: true } as const;
const TEXT = { binary: false } as const;
/** The largest WebSocket frame header a client writes (2 + 8 length + 4 mask bytes). */
const MAX_FRAME_HEADER_BYTES = 14;

/** A received close frame: its code (1005 when it had none) and reason. */
export type CloseFrameListener = (code: number, reason: string) => void;

/**
 * A client socket that tells when the server's close frame arrives. `ws` itself only emits
 * `close` once TCP has ended, which a server may delay indefinitely; but on receiving a close
 * frame it answers by calling `close(code, reason)` on itself (a Buffer reason; no arguments
 * for a frame without a code), which is the moment the stream is over. Its receiver errors
 * also call `close(code)`, with no reason: those are not close frames, and `error` follows.
 */
class CloseAwareWebSocket extends WebSocket {
  onCloseFrame: CloseFrameListener | undefined;
  #closeFrameSeen = false;

  override close(code?: number, data?: string | Buffer): void {
    const peerFrame = Buffer.isBuffer(data) || (code === undefined && data === undefined);
    super.close(code, data);
    if (peerFrame && !this.#closeFrameSeen) {
      this.#closeFrameSeen = true;
      this.onCloseFrame?.(code ?? 1005, Buffer.isBuffer(data) ? data.toString("utf8") : "");
    }
  }
}

/** Opens a client socket to `url` (throws synchronously on a URL or subprotocol `ws` refuses). */
export function createSocket(
  url: URL,
  handshake: Handshake,
  limits: SocketLimits,
  onCloseFrame: CloseFrameListener,
): WebSocket {
  // `closeTimeout` (ws >= 8.19) is not in @types/ws yet.
  const options: WebSocket.ClientOptions & { closeTimeout: number } = {
    headers: handshake.headers,
    // Audio does not compress, and deflate would cost CPU on both ends.
    perMessageDeflate: false,
    // A redirect could carry the Authorization header to another host.
    followRedirects: false,
    maxPayload: limits.maxMessageBytes,
    closeTimeout: limits.closeTimeoutMs,
  };
  const ws = new CloseAwareWebSocket(url, handshake.protocols, options);
  ws.onCloseFrame = onCloseFrame;
  return ws;
}

/**
 * Writes frames to an open socket: audio as binary frames, control messages as text frames.
 *
 * A write-completion callback costs a closure call per frame, so it is only requested while
 * someone may wait for the buffer to drain, i.e. when `waiting()` or when this frame can take
 * the buffer to `highWaterMark`. Frames written below the mark never need one: a waiter only
 * exists once a frame with a callback crossed the mark, and that callback fires after every
 * byte written before it has left.
 */
export function socketSink(ws: WebSocket, highWaterMark: number, waiting: () => boolean): FrameSink {
  return {
    write(data, done) {
      const binary = typeof data !== "string";
      // A string's UTF-8 length is at most 3 bytes per UTF-16 unit: an upper bound is enough.
      const bytes = binary ? data.byteLength : data.length * 3;
      if (waiting() || ws.bufferedAmount + bytes + MAX_FRAME_HEADER_BYTES >= highWaterMark) {
        ws.send(data, binary ? BINARY : TEXT, done);
      } else {
        ws.send(data, binary ? BINARY : TEXT);
      }
    },
  };
}

/** A received message's text (the endpoint sends text frames; anything else is decoded alike). */
export function rawDataToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

/** The `dg-request-id` of a handshake response, if it has one. */
export function requestIdOf(response: IncomingMessage): string | undefined {
  const id = response.headers["dg-request-id"];
  return typeof id === "string" && id !== "" ? id : undefined;
}
