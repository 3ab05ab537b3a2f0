/**
 * A refused upgrade, as the real API answers it: a plain HTTP response (no WebSocket), with
 * `dg-error`, `dg-request-id` and a JSON body `{err_code, err_msg, request_id}`.
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

export interface Refusal {
  readonly status: number;
  readonly errCode: string;
  readonly errMsg: string;
  /** The body's keys: v1 `{err_code, err_msg}`; Flux (`/v2/listen`) `{code, description}` (docs/protocol.md §8.1). @default "v1" */
  readonly shape?: "v1" | "v2";
}

/** The `err_code` used when a fault plan refuses with a status and names none. */
export function defaultErrCode(status: number): string {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "INVALID_AUTH";
    case 402:
      return "ASR_PAYMENT_REQUIRED";
    case 403:
      return "INSUFFICIENT_PERMISSIONS";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "TOO_MANY_REQUESTS";
    default:
      return (STATUS_CODES[status] ?? "Error").toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  }
}

/** Writes the refusal and closes the socket once it is flushed. */
export function writeRefusal(socket: Duplex, refusal: Refusal, requestId: string): void {
  const body = JSON.stringify(
    refusal.shape === "v2"
      ? { code: refusal.errCode, description: refusal.errMsg, request_id: requestId }
      : { err_code: refusal.errCode, err_msg: refusal.errMsg, request_id: requestId },
  );
  const head = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? "Error"}`,
    "Connection: close",
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    `dg-error: ${headerSafe(refusal.errMsg)}`,
    `dg-request-id: ${requestId}`,
  ];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once("finish", () => socket.destroy());
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
}

/** Header values may not hold control characters or non-Latin-1 text. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, " ");
}
