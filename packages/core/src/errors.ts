/**
 * One error tree for everything earshot throws or reports. Every error has a stable `code`
 * string and a `retryable` verdict; `instanceof` works across duplicate package copies and
 * across threads because it checks a `Symbol.for` brand, not only the prototype chain.
 */
import { containsSecret, redactSecrets } from "./redact.ts";

/** The stable code of every {@link EarshotError}. Match on these, never on messages. */
export type EarshotErrorCode =
  | "ERR_INVALID_OPTIONS"
  | "ERR_INVALID_AUDIO"
  | "ERR_HANDSHAKE_REFUSED"
  | "ERR_CONNECT_TIMEOUT"
  | "ERR_FINISH_TIMEOUT"
  | "ERR_CONNECTION_FAILED"
  | "ERR_CONNECTION_CLOSED"
  | "ERR_ABORTED"
  | "ERR_BUFFER_OVERFLOW"
  | "ERR_INVALID_STATE"
  | "ERR_CALLBACK_FAILED"
  | "ERR_WORKER_EXITED"
  | "ERR_SLOW_CONSUMER";

/** One thing wrong with a set of live options. */
export interface OptionProblem {
  /** The option's name, e.g. `"sample_rate"` or `"keyterm[2]"`. */
  readonly option: string;
  /** What is wrong and what to do, in plain words. */
  readonly message: string;
}

/** Options every {@link EarshotError} constructor accepts. */
export interface EarshotErrorOptions {
  /** The underlying error (ES2022 `cause`). */
  readonly cause?: unknown;
  /** Deepgram's `dg-request-id` for the stream, when known. */
  readonly requestId?: string | undefined;
  /**
   * Credentials to hide: they are replaced by `"[redacted]"` in the message, and a `cause`
   * whose message or stack contains one is replaced by a redacted copy.
   */
  readonly secrets?: readonly (string | undefined)[];
}

interface BaseInit extends EarshotErrorOptions {
  readonly retryable?: boolean;
  readonly closeCode?: number | undefined;
  readonly dgCode?: string | undefined;
}

const BRAND: unique symbol = Symbol.for("earshot.error") as never;

type Branded = Error & { [BRAND]: string };

function isBranded(value: unknown): value is Branded {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[BRAND] === "string"
  );
}

function defineOptional(target: object, key: string, value: unknown): void {
  if (value !== undefined) Object.defineProperty(target, key, { value, enumerable: true });
}

/** A cause whose text would reveal a secret becomes a plain Error with the text redacted. */
function redactCause(cause: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (!(cause instanceof Error)) return cause;
  const text = `${cause.message}\n${cause.stack ?? ""}`;
  if (!containsSecret(text, secrets)) return cause;
  const copy = new Error(redactSecrets(cause.message, secrets));
  copy.name = cause.name;
  copy.stack = redactSecrets(cause.stack ?? "", secrets);
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string") Object.defineProperty(copy, "code", { value: code, enumerable: true });
  return copy;
}

function matchesBrand(target: object, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(target, value)) return true;
  if (!isBranded(value)) return false;
  // Only classes of this tree (which own an errorName) match by brand: a user's subclass
  // must not claim every branded error of its parent's kind.
  if (!Object.hasOwn(target, "errorName")) return false;
  const wanted = (target as { errorName?: unknown }).errorName;
  return wanted === "EarshotError" || value[BRAND] === wanted;
}

/**
 * The base of every earshot error.
 *
 * `instanceof EarshotError` (and of each subclass) is true for errors made by another copy
 * of this package, and for errors rebuilt by {@link deserializeError} on another thread.
 *
 * @example
 * ```ts
 * try {
 *   await session.connect();
 * } catch (error) {
 *   if (error instanceof EarshotError && error.retryable) scheduleRetry();
 *   else throw error;
 * }
 * ```
 */
export class EarshotError extends Error {
  /** The brand name `instanceof` matches across copies; each subclass declares its own. */
  static readonly errorName: string = "EarshotError";

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof` (subclasses inherit this method), which is what must be matched.
    return matchesBrand(this, value);
  }

  /** The stable error code. */
  readonly code: EarshotErrorCode;
  /** Whether trying the same thing again can succeed (a new connection, a retry later). */
  readonly retryable: boolean;
  /** Deepgram's `dg-request-id`, when known. */
  declare readonly requestId?: string;
  /** The WebSocket close code, for errors that come from a close. */
  declare readonly closeCode?: number;
  /** Deepgram's error code parsed from a close reason, e.g. `"NET-0001"`. */
  declare readonly dgCode?: string;

  constructor(code: EarshotErrorCode, message: string, init: BaseInit = {}) {
    const secrets = init.secrets ?? [];
    const cause = "cause" in init ? redactCause(init.cause, secrets) : undefined;
    super(redactSecrets(message, secrets), "cause" in init ? { cause } : undefined);
    const errorName = (new.target as unknown as typeof EarshotError).errorName;
    this.name = errorName;
    Object.defineProperty(this, BRAND, { value: errorName });
    this.code = code;
    this.retryable = init.retryable ?? false;
    defineOptional(this, "requestId", init.requestId);
    defineOptional(this, "closeCode", init.closeCode);
    defineOptional(this, "dgCode", init.dgCode);
  }

  /** `JSON.stringify(error)` gives the same plain object as {@link serializeError}. */
  toJSON(): SerializedEarshotError {
    return serializeError(this);
  }
}

/**
 * Live options that cannot work, found before any connection is made. `problems` lists every
 * one of them, not only the first.
 *
 * @example
 * ```ts
 * try { validateLiveOptions({ encoding: "linear16" }); }
 * catch (error) { if (error instanceof OptionsError) console.log(error.problems); }
 * ```
 */
export class OptionsError extends EarshotError {
  static override readonly errorName: string = "OptionsError";
  /** Every problem found. */
  readonly problems: readonly OptionProblem[];

  constructor(problems: readonly OptionProblem[], init: EarshotErrorOptions = {}) {
    const list = problems.map((problem) => `  - ${problem.option}: ${problem.message}`).join("\n");
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super("ERR_INVALID_OPTIONS", `Invalid options (${count}); fix them before connecting:\n${list}`, init);
    this.problems = Object.freeze(problems.map((problem) => Object.freeze({ ...problem })));
  }
}

/**
 * `send()` was given something that is not audio bytes (an ArrayBuffer, Buffer, TypedArray
 * or DataView).
 */
export class AudioChunkError extends EarshotError {
  static override readonly errorName: string = "AudioChunkError";
  constructor(message: string, init: EarshotErrorOptions = {}) {
    super("ERR_INVALID_AUDIO", message, init);
  }
}

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
    const retryable = status === 408 || status === 429 || status >= 500 || status < 400;
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
      errCode: text(body.err_code),
      errMsg: text(body.err_msg) ?? text(body.message),
      requestId: header("dg-request-id") ?? text(body.request_id),
      secrets: response.secrets ?? [],
    });
  }
}

/** Which wait ran out of time. */
export type TimeoutCode = "ERR_CONNECT_TIMEOUT" | "ERR_FINISH_TIMEOUT";

/**
 * Connecting (`ERR_CONNECT_TIMEOUT`, retryable) or finishing (`ERR_FINISH_TIMEOUT`: the
 * server did not close after CloseStream in time; not retryable) took too long.
 */
export class TimeoutError extends EarshotError {
  static override readonly errorName: string = "TimeoutError";
  /** The time limit that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(code: TimeoutCode, timeoutMs: number, init: EarshotErrorOptions = {}) {
    const message =
      code === "ERR_CONNECT_TIMEOUT"
        ? `The connection did not open within ${timeoutMs} ms. Check the url and the network, or raise connectTimeoutMs.`
        : `The server did not close the stream within ${timeoutMs} ms after CloseStream, so the socket was closed and the last results may be missing. Raise finishTimeoutMs if the server needs longer to flush.`;
    super(code, message, { ...init, retryable: code === "ERR_CONNECT_TIMEOUT" });
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

/** The operation was aborted by an `AbortSignal` or `abort()`; `cause` is the abort reason. */
export class AbortedError extends EarshotError {
  static override readonly errorName: string = "AbortedError";
  constructor(message = "The operation was aborted.", init: EarshotErrorOptions = {}) {
    super("ERR_ABORTED", message, init);
  }
}

/** More bytes were queued than a bound allows; nothing was dropped silently. */
export class BufferOverflowError extends EarshotError {
  static override readonly errorName: string = "BufferOverflowError";
  /** The bound that would have been exceeded, in bytes. */
  readonly limitBytes: number;
  constructor(limitBytes: number, message?: string, init: EarshotErrorOptions = {}) {
    super(
      "ERR_BUFFER_OVERFLOW",
      message ??
        `More than ${limitBytes} bytes would be buffered. Wait for drained() before sending more, or raise maxPendingBytes.`,
      init,
    );
    this.limitBytes = limitBytes;
  }
}

/** A method was called in a state that does not allow it (e.g. `send()` after `finish()`). */
export class StateError extends EarshotError {
  static override readonly errorName: string = "StateError";
  constructor(message: string, init: EarshotErrorOptions = {}) {
    super("ERR_INVALID_STATE", message, init);
  }
}

/** A user event handler threw; `cause` is what it threw. The stream went on. */
export class CallbackError extends EarshotError {
  static override readonly errorName: string = "CallbackError";
  /** The event whose handler threw, e.g. `"message"`. */
  readonly event: string;
  constructor(event: string, init: EarshotErrorOptions = {}) {
    super(
      "ERR_CALLBACK_FAILED",
      `A "${event}" handler threw; the stream goes on. See cause for what it threw.`,
      init,
    );
    this.event = event;
  }
}

/** The engine worker thread exited; its sessions are failed with this error. */
export class WorkerExitedError extends EarshotError {
  static override readonly errorName: string = "WorkerExitedError";
  /** The worker's exit code, when known. */
  declare readonly exitCode?: number;
  constructor(exitCode?: number, init: EarshotErrorOptions = {}) {
    const how = exitCode === undefined ? "" : ` with code ${exitCode}`;
    super(
      "ERR_WORKER_EXITED",
      `The engine worker exited${how}; its streams were closed. Start a new client to go on.`,
      {
        ...init,
        retryable: true,
      },
    );
    defineOptional(this, "exitCode", exitCode);
  }
}

/** An async iterator fell too far behind the messages arriving. */
export class SlowConsumerError extends EarshotError {
  static override readonly errorName: string = "SlowConsumerError";
  /** How many messages may wait unread. */
  readonly limit: number;
  constructor(limit: number, message?: string, init: EarshotErrorOptions = {}) {
    super(
      "ERR_SLOW_CONSUMER",
      message ??
        `More than ${limit} messages waited unread. Read faster, or raise the iterator's buffer limit.`,
      init,
    );
    this.limit = limit;
  }
}

/** True for any earshot error, from this copy of the package or another, or rebuilt. */
export function isEarshotError(value: unknown): value is EarshotError {
  return value instanceof EarshotError;
}

/** A cause that is not an earshot error, as it crosses a thread boundary. */
export interface SerializedCause {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
}

/**
 * An earshot error as a plain, structured-clone- and JSON-safe object (for `postMessage`).
 * Fields a kind of error does not have are absent.
 */
export interface SerializedEarshotError {
  readonly name: string;
  readonly code: EarshotErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly stack?: string;
  readonly requestId?: string;
  readonly closeCode?: number;
  readonly dgCode?: string;
  readonly reason?: string;
  readonly status?: number;
  readonly statusText?: string;
  readonly dgError?: string;
  readonly errCode?: string;
  readonly errMsg?: string;
  readonly problems?: readonly OptionProblem[];
  readonly timeoutMs?: number;
  readonly limitBytes?: number;
  readonly limit?: number;
  readonly event?: string;
  readonly exitCode?: number;
  readonly cause?: SerializedEarshotError | SerializedCause;
}

const SERIALIZED_FIELDS = [
  "requestId",
  "closeCode",
  "dgCode",
  "reason",
  "status",
  "statusText",
  "dgError",
  "errCode",
  "errMsg",
  "problems",
  "timeoutMs",
  "limitBytes",
  "limit",
  "event",
  "exitCode",
] as const;

function serializeCause(cause: unknown): SerializedEarshotError | SerializedCause {
  if (isEarshotError(cause)) return serializeError(cause);
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      message: cause.message,
      ...(cause.stack === undefined ? {} : { stack: cause.stack }),
      ...(typeof code === "string" ? { code } : {}),
    };
  }
  return { name: typeof cause, message: String(cause) };
}

/**
 * Turns an error into a plain object that survives `postMessage` and `JSON.stringify`;
 * {@link deserializeError} turns it back into the right class. A value that is not an
 * earshot error becomes an `ERR_INVALID_STATE` error whose cause describes it.
 *
 * @example
 * ```ts
 * port.postMessage({ type: "error", error: serializeError(error) });
 * ```
 */
export function serializeError(error: unknown): SerializedEarshotError {
  if (!isEarshotError(error)) {
    const cause = serializeCause(error);
    return {
      name: "EarshotError",
      code: "ERR_INVALID_STATE",
      message: `Unexpected error: ${cause.message}`,
      retryable: false,
      cause,
    };
  }
  const out: Record<string, unknown> = {
    name: error.name,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
  };
  if (error.stack !== undefined) out.stack = error.stack;
  const source = error as unknown as Record<string, unknown>;
  for (const field of SERIALIZED_FIELDS) {
    const value = source[field];
    if (value !== undefined)
      out[field] = field === "problems" ? (value as OptionProblem[]).map((p) => ({ ...p })) : value;
  }
  if (error.cause !== undefined) out.cause = serializeCause(error.cause);
  return out as unknown as SerializedEarshotError;
}

function deserializeCause(cause: SerializedEarshotError | SerializedCause | undefined): unknown {
  if (cause === undefined) return undefined;
  if ("retryable" in cause) return deserializeError(cause);
  const error = new Error(cause.message);
  error.name = cause.name;
  // A thrown non-Error had no stack: do not invent one pointing here.
  if (cause.stack === undefined) Reflect.deleteProperty(error, "stack");
  else error.stack = cause.stack;
  if (cause.code !== undefined) Object.defineProperty(error, "code", { value: cause.code, enumerable: true });
  return error;
}

function rebuild(data: SerializedEarshotError, init: EarshotErrorOptions): EarshotError {
  const { message } = data;
  switch (data.name) {
    case "OptionsError":
      return new OptionsError(data.problems ?? [], init);
    case "AudioChunkError":
      return new AudioChunkError(message, init);
    case "HandshakeError":
      return new HandshakeError({
        ...init,
        status: data.status ?? 0,
        statusText: data.statusText,
        dgError: data.dgError,
        errCode: data.errCode,
        errMsg: data.errMsg,
      });
    case "TimeoutError":
      return new TimeoutError(
        data.code === "ERR_FINISH_TIMEOUT" ? data.code : "ERR_CONNECT_TIMEOUT",
        data.timeoutMs ?? 0,
        init,
      );
    case "ConnectionError":
      return new ConnectionError(message, init);
    case "ConnectionClosedError":
      return new ConnectionClosedError({
        ...init,
        closeCode: data.closeCode ?? 1006,
        reason: data.reason ?? "",
      });
    case "AbortedError":
      return new AbortedError(message, init);
    case "BufferOverflowError":
      return new BufferOverflowError(data.limitBytes ?? 0, message, init);
    case "StateError":
      return new StateError(message, init);
    case "CallbackError":
      return new CallbackError(data.event ?? "unknown", init);
    case "WorkerExitedError":
      return new WorkerExitedError(data.exitCode, init);
    case "SlowConsumerError":
      return new SlowConsumerError(data.limit ?? 0, message, init);
    default:
      return new EarshotError(data.code, message, {
        ...init,
        closeCode: data.closeCode,
        dgCode: data.dgCode,
      });
  }
}

/**
 * Rebuilds the error {@link serializeError} produced, as an instance of the same class with
 * the same code, message, fields, stack and cause.
 *
 * @example
 * ```ts
 * port.on("message", (m) => { if (m.type === "error") fail(deserializeError(m.error)); });
 * ```
 */
export function deserializeError(data: SerializedEarshotError): EarshotError {
  const cause = deserializeCause(data.cause);
  const error = rebuild(data, { requestId: data.requestId, ...(cause === undefined ? {} : { cause }) });
  // The message and verdict travel as they were: the rebuilt error must say exactly what the
  // original said, even if this copy of the package words its messages differently.
  Object.defineProperty(error, "message", { value: data.message, writable: true, configurable: true });
  Object.defineProperty(error, "retryable", { value: data.retryable, enumerable: true });
  if (data.stack !== undefined)
    Object.defineProperty(error, "stack", { value: data.stack, writable: true, configurable: true });
  return error;
}
