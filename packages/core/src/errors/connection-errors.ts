/**
 * Errors of the connection's life: a refused handshake, timeouts, a failed socket, and an
 * abnormal close with Deepgram's error code parsed from the reason.
 */
import { redactSecrets } from "../redact.ts";
import { defineOptional, EarshotError, type EarshotErrorOptions } from "./earshot-error.ts";

/** What a refused WebSocket upgrade told us. */
export interface HandshakeErrorInit extends EarshotErrorOptions {
  /** The HTTP status of the refusal, e.g. 401. */
  readonly status: number;
  /** The HTTP status text, e.g. `"Unauthorized"`. */
  readonly statusText?: string | undefined;
  /** The `dg-error` response header. */
  readonly dgError?: string | undefined;
  /** `err_code` from the JSON body, e.g. `"INVALID_AUTH"`. */
  readonly errCode?: string | undefined;
  /** `err_msg` from the JSON body, e.g. `"Invalid credentials."`. */
  readonly errMsg?: string | undefined;
}

const HANDSHAKE_ADVICE: Readonly<Record<number, string>> = {
  400: "A query parameter was rejected: check the live options (model, language, encoding, keyterm limits).",
  401: "Check the API key or access token: it is wrong, revoked, or an expired token.",
  402: "The project is out of credit: add funds to the Deepgram project.",
  403: "The credentials are not allowed to use this model or feature: check the key's scopes.",
  408: "The server timed out waiting for the request: try again.",
  429: "Too many concurrent streams for this project: wait for some to finish, then try again.",
};

function handshakeAdvice(status: number): string {
  const advice = HANDSHAKE_ADVICE[status];
  if (advice !== undefined) return advice;
  if (status >= 500) return "The server had a problem: try again shortly.";
  return "Check the url, the credentials and the live options.";
}

/**
 * The server answered the WebSocket upgrade with an HTTP error instead of `101`. Carries the
 * status, the `dg-error` header, the body's `err_code`/`err_msg` and the request id.
 * `retryable` is false for 4xx statuses other than 408 and 429: retrying cannot help.
 */
export class HandshakeError extends EarshotError {
  static override readonly errorName: string = "HandshakeError";
  /** The HTTP status. */
  readonly status: number;
  /** The HTTP status text, when known. */
  declare readonly statusText?: string;
  /** The `dg-error` response header. */
  declare readonly dgError?: string;
  /** `err_code` from the response body. */
  declare readonly errCode?: string;
  /** `err_msg` from the response body. */
  declare readonly errMsg?: string;

  constructor(init: HandshakeErrorInit) {
    const { status } = init;
    const secrets = init.secrets ?? [];
    const clean = (text: string | undefined) =>
      text === undefined ? undefined : redactSecrets(text, secrets);
    const statusText = init.statusText ? ` ${init.statusText}` : "";
    const detail = [init.errCode, init.errMsg ?? init.dgError].filter(Boolean).join(": ");
    const id = init.requestId ? ` (request id ${init.requestId})` : "";
    const message = `The server refused the connection with HTTP ${status}${statusText}${detail ? ` — ${detail}` : ""}. ${handshakeAdvice(status)}${id}`;
    // Only a timeout, a rate limit or a server fault can go away by itself; any other answer
    // (a 4xx, or a 2xx/3xx from something that is not a listen endpoint) will repeat.
    const retryable = status === 408 || status === 429 || status >= 500;
    super("ERR_HANDSHAKE_REFUSED", message, { ...init, retryable });
    this.status = status;
    defineOptional(this, "statusText", clean(init.statusText));
    defineOptional(this, "dgError", clean(init.dgError));
    defineOptional(this, "errCode", clean(init.errCode));
    defineOptional(this, "errMsg", clean(init.errMsg));
  }

  /**
   * Builds the error from a refused upgrade's response: reads `dg-error` and `dg-request-id`
   * from the headers and `err_code`, `err_msg`, `request_id` from a JSON body (a body that
   * is not JSON is ignored).
   *
   * @example
   * ```ts
   * ws.on("unexpected-response", (_req, res) => {
   *   collectBody(res).then((body) =>
   *     reject(HandshakeError.fromResponse({ status: res.statusCode ?? 0, headers: res.headers, body, secrets: [apiKey] })));
   * });
   * ```
   */
  static fromResponse(response: {
    readonly status: number;
    readonly statusText?: string | undefined;
    readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
    readonly body?: string | undefined;
    readonly secrets?: readonly (string | undefined)[];
  }): HandshakeError {
    const header = (name: string) => {
      const value = response.headers[name];
      return typeof value === "string" ? value : value?.[0];
    };
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(response.body ?? "");
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        body = parsed as Record<string, unknown>;
    } catch {
      // Proxies and load balancers answer with HTML or plain text: the status says enough.
    }
    const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
    return new HandshakeError({
      status: response.status,
      statusText: response.statusText,
      dgError: header("dg-error"),
      // Flux (/v2/listen) answers {code, description} where v1 has {err_code, err_msg} (docs/protocol.md §8.1).
      errCode: text(body.err_code) ?? text(body.code),
      errMsg: text(body.err_msg) ?? text(body.description) ?? text(body.message),
      requestId: header("dg-request-id") ?? text(body.request_id),
      secrets: response.secrets ?? [],
    });
  }
}

/** Which wait ran out of time. */
export type TimeoutCode = "ERR_CONNECT_TIMEOUT" | "ERR_FINISH_TIMEOUT" | "ERR_REPLY_TIMEOUT";

const TIMEOUT_TEXT: Readonly<Record<TimeoutCode, (ms: number) => string>> = {
  ERR_CONNECT_TIMEOUT: (ms) =>
    `The connection did not open within ${ms} ms. Check the url and the network, or raise connectTimeoutMs.`,
  ERR_FINISH_TIMEOUT: (ms) =>
    `The server did not close the stream within ${ms} ms after CloseStream, so the socket was closed and the last results may be missing. Raise finishTimeoutMs if the server needs longer to flush.`,
  ERR_REPLY_TIMEOUT: (ms) =>
    `The server did not answer the request within ${ms} ms. The stream goes on; whether the request took effect is unknown. Raise replyTimeoutMs if the server is slow.`,
};

/**
 * Connecting (`ERR_CONNECT_TIMEOUT`, retryable), finishing (`ERR_FINISH_TIMEOUT`: the
 * server did not close after CloseStream in time; not retryable) or waiting for the answer to a
 * request (`ERR_REPLY_TIMEOUT`: a Flux Configure or ForceEndTurn; not retryable) took too long.
 *
 * @example
 * ```ts
 * await session.finish({ timeoutMs: 5_000 }).catch((error) => {
 *   if (error instanceof TimeoutError && error.code === "ERR_FINISH_TIMEOUT") console.warn("last results may be missing");
 * });
 * ```
 */
export class TimeoutError extends EarshotError {
  static override readonly errorName: string = "TimeoutError";
  /** The time limit that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(code: TimeoutCode, timeoutMs: number, init: EarshotErrorOptions = {}) {
    super(code, TIMEOUT_TEXT[code](timeoutMs), { ...init, retryable: code === "ERR_CONNECT_TIMEOUT" });
    this.timeoutMs = timeoutMs;
  }
}

/** The socket failed (connection refused, reset, DNS failure, TLS error…). Retryable. */
export class ConnectionError extends EarshotError {
  static override readonly errorName: string = "ConnectionError";
  constructor(message: string, init: EarshotErrorOptions = {}) {
    super("ERR_CONNECTION_FAILED", message, { ...init, retryable: true });
  }
}

/**
 * The server sent a message larger than `maxMessageBytes`. The socket was closed when the
 * frame's header announced the size, before its payload was buffered, so memory stays bounded.
 * Not retryable: the same server would send the same message again.
 *
 * @example
 * ```ts
 * client.on("error", (error) => {
 *   if (error instanceof MessageTooLargeError) console.error(`raise maxMessageBytes over ${error.limitBytes}`);
 * });
 * ```
 */
export class MessageTooLargeError extends EarshotError {
  static override readonly errorName: string = "MessageTooLargeError";
  /** The limit the message exceeded, in bytes (the client's `maxMessageBytes`). */
  readonly limitBytes: number;
  constructor(limitBytes: number, message?: string, init: EarshotErrorOptions = {}) {
    super(
      "ERR_MESSAGE_TOO_LARGE",
      message ??
        `The server sent a message larger than maxMessageBytes (${limitBytes} bytes), so the stream was closed before it was read. Raise maxMessageBytes if the server's messages are legitimately this large.`,
      init,
    );
    this.limitBytes = limitBytes;
  }
}

/** What the socket's close told us. */
export interface ConnectionClosedErrorInit extends EarshotErrorOptions {
  /** The WebSocket close code, e.g. 1011. */
  readonly closeCode: number;
  /** The close reason text (may be empty). */
  readonly reason: string;
}

/**
 * Finds Deepgram's error code in a close reason: `"NET-0001"` from
 * `"… See https://dpgr.am/net0001"`, `"DATA-0000"` from `"DATA-0000 …"`.
 *
 * @returns the code in upper case with its dash, or `undefined` when the reason has none.
 * @example
 * ```ts
 * parseDeepgramErrorCode("Deepgram did not receive audio data … See https://dpgr.am/net0001"); // "NET-0001"
 * ```
 */
export function parseDeepgramErrorCode(closeReason: string): string | undefined {
  const spelled = /\b([A-Z]{2,12})-(\d{4})\b/.exec(closeReason);
  if (spelled) return `${spelled[1]}-${spelled[2]}`;
  const link = /dpgr\.am\/([a-z]{2,12})-?(\d{4})\b/i.exec(closeReason);
  if (link) return `${link[1]?.toUpperCase()}-${link[2]}`;
  return undefined;
}

function closeExplanation(
  closeCode: number,
  dgCode: string | undefined,
): { text: string; retryable: boolean } {
  if (dgCode === "NET-0001") {
    return {
      text: "the server received no audio or control message for about 10 seconds. Keep audio flowing, or enable keepAlive to cover pauses.",
      retryable: true,
    };
  }
  if (dgCode === "NET-0000") {
    return {
      text: "the server did not produce a response in time (a server-side timeout). Reconnect and resend the audio not yet covered by a final result.",
      retryable: true,
    };
  }
  if (dgCode?.startsWith("DATA-") || closeCode === 1008) {
    return {
      text: "the server could not decode the audio. Check that encoding, sample_rate and channels match the audio sent, and never send JSON as a binary frame.",
      retryable: false,
    };
  }
  if (closeCode === 1006)
    return {
      text: "the connection dropped without a close frame (network failure or the server went away). Reconnect to go on.",
      retryable: true,
    };
  if (
    closeCode === 1001 ||
    closeCode === 1011 ||
    closeCode === 1012 ||
    closeCode === 1013 ||
    closeCode === 1014
  ) {
    return { text: "the server ended the stream on its side. Reconnect to go on.", retryable: true };
  }
  return { text: "the stream ended abnormally.", retryable: false };
}

/**
 * The connection closed other than by a normal end of stream. `dgCode` is parsed from the
 * reason (`NET-0001` idle timeout, `NET-0000` server timeout, `DATA-0000` undecodable audio).
 * Drops and server-side timeouts are retryable; undecodable audio (1008) is not.
 *
 * @example
 * ```ts
 * session.on("close", ({ error }) => {
 *   if (error instanceof ConnectionClosedError && error.dgCode === "NET-0001") {
 *     console.warn("idle timeout: enable keepAlive for pauses");
 *   }
 * });
 * ```
 */
export class ConnectionClosedError extends EarshotError {
  static override readonly errorName: string = "ConnectionClosedError";
  declare readonly closeCode: number;
  /** The close reason text, as sent. */
  readonly reason: string;

  constructor(init: ConnectionClosedErrorInit) {
    const dgCode = parseDeepgramErrorCode(init.reason);
    const { text, retryable } = closeExplanation(init.closeCode, dgCode);
    const label = dgCode ? `${init.closeCode} ${dgCode}` : `${init.closeCode}`;
    const reason = init.reason ? ` Reason: "${init.reason}".` : "";
    const id = init.requestId ? ` (request id ${init.requestId})` : "";
    super("ERR_CONNECTION_CLOSED", `The connection closed (${label}): ${text}${reason}${id}`, {
      ...init,
      retryable,
      closeCode: init.closeCode,
      dgCode,
    });
    this.reason = redactSecrets(init.reason, init.secrets ?? []);
  }
}
