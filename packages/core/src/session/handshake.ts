/**
 * Reading a refused upgrade: `ws` reports a non-101 answer as `unexpected-response` with the
 * HTTP response, whose status, headers and (small JSON) body say why.
 */
import type { IncomingMessage } from "node:http";
import { HandshakeError } from "../errors.ts";

/** The most body text read from a refusal; Deepgram's are under 200 bytes, proxies' HTML pages longer. */
export const MAX_REFUSAL_BODY_BYTES = 16 * 1024;

/**
 * Collects a refusal's body (up to {@link MAX_REFUSAL_BODY_BYTES}) and calls `done` once with
 * the HandshakeError, when the body ends, fails, or `cut()` is called (e.g. at the connect
 * timeout) — whichever comes first.
 */
export function readRefusal(
  response: IncomingMessage,
  secrets: readonly (string | undefined)[],
  done: (error: HandshakeError) => void,
): { cut(): void } {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const finish = (): void => {
    if (settled) return;
    settled = true;
    response.off("data", onData);
    response.off("end", finish);
    response.off("error", finish);
    response.off("close", finish);
    // Keep a no-op error listener: the request is about to be destroyed, which may still
    // emit an error on the response, and an unheard error would crash the process.
    response.on("error", () => {});
    done(
      HandshakeError.fromResponse({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage,
        headers: response.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        secrets,
      }),
    );
  };
  const onData = (chunk: Buffer): void => {
    if (size >= MAX_REFUSAL_BODY_BYTES) return;
    const part = chunk.subarray(0, MAX_REFUSAL_BODY_BYTES - size);
    chunks.push(part);
    size += part.length;
    if (size >= MAX_REFUSAL_BODY_BYTES) finish();
  };
  response.on("data", onData);
  response.on("end", finish);
  response.on("error", finish);
  response.on("close", finish);
  return { cut: finish };
}
