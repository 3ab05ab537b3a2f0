/**
 * How a client reaches the server: where, with which credentials, and the limits of one
 * session. Resolved once, with every default filled in and every problem reported at once.
 */
import { platform } from "#platform";
import { type OptionProblem, OptionsError } from "../errors.ts";
import type { ReconnectOptions } from "../reconnect/policy.ts";
import { REDACTED } from "../redact.ts";
import { isCredentialParam } from "./validate.ts";

/** How the credential travels in the WebSocket handshake. */
export type AuthTransport = "header" | "subprotocol";

/** Default of `maxBufferedBytes`: 16 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Default of `maxMessageBytes`: 16 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** The default server. */
export const DEFAULT_URL = "wss://api.deepgram.com";
/** Idle interval of `keepAlive: true`, in ms (the server gives up after about 10 s). */
export const DEFAULT_KEEP_ALIVE_MS = 4_000;

/**
 * Client options: connection, credentials and limits.
 *
 * @example
 * ```ts
 * const client: ClientOptions = { apiKey: process.env.DEEPGRAM_API_KEY, keepAlive: true };
 * const local: ClientOptions = { url: "ws://127.0.0.1:8080" }; // loopback: ws:// allowed
 * ```
 */
export interface ClientOptions {
  /** API key, sent as `Authorization: Token <key>`. @default process.env.DEEPGRAM_API_KEY (none in a browser) */
  apiKey?: string | undefined;
  /** Short-lived access token (JWT), sent as `Authorization: Bearer <token>`; wins over `apiKey`. */
  accessToken?: string | undefined;
  /**
   * Server base URL (`ws:`, `wss:`; `http:`/`https:` are mapped to them). `ws://` is refused
   * for hosts other than loopback (127.0.0.0/8, ::1, localhost) unless `allowInsecure`.
   * @default "wss://api.deepgram.com"
   */
  url?: string | URL;
  /** Allow unencrypted `ws://` to non-loopback hosts. @default false */
  allowInsecure?: boolean;
  /** Extra handshake headers (not in a browser, which cannot set them). @default {} */
  headers?: Readonly<Record<string, string>>;
  /**
   * Send the credential as a header or as subprotocols (`["token", key]`, `["bearer", jwt]`).
   * A browser can only send subprotocols.
   * @default "header" in Node, "subprotocol" in a browser
   */
  authTransport?: AuthTransport;
  /** Send KeepAlive after this idle interval in ms; `true` = 4000 ms; `false` = never. @default false */
  keepAlive?: boolean | number;
  /** Give up connecting after this many ms. @default 10000 */
  connectTimeoutMs?: number;
  /** Give up waiting for the server's close after CloseStream after this many ms. @default 10000 */
  finishTimeoutMs?: number;
  /** Bytes that may wait before the socket opens (over it: BufferOverflowError). @default 8388608 (8 MiB) */
  maxPendingBytes?: number;
  /** `send()` returns false and `drained()` waits while more bytes than this are buffered. @default 1048576 (1 MiB) */
  highWaterMarkBytes?: number;
  /**
   * Reconnect after a retryable drop (a 1006 drop, 1011 NET-0000, a refused or failed
   * connection, …) instead of failing the stream: wait (backoff with full jitter), open a new
   * connection with the same options, send again the audio no final result has covered, and
   * shift the new connection's timestamps so the stream keeps one timeline. Needs raw audio
   * with `encoding` and `sample_rate`, and no `multichannel`. Non-retryable closes (401, 1008
   * DATA-0000, an abort), drops after `finish()`, and the server's idle close with nothing to
   * replay never reconnect. `Open` and `Close` fire once each; `Reconnecting` and
   * `Reconnected` in between. The same in both faces.
   * @default false
   */
  reconnect?: boolean | ReconnectOptions;
  /**
   * Hard cap on audio bytes buffered once the socket is open (a producer that ignores
   * `send()`'s backpressure): audio that would take the buffer past it is refused with
   * `BufferOverflowError` and nothing already accepted is dropped. Control messages are never
   * refused. At least `highWaterMarkBytes`.
   * @default 16777216 (16 MiB, about 8.7 minutes of 16 kHz linear16), or highWaterMarkBytes if larger
   */
  maxBufferedBytes?: number;
  /**
   * Largest server message accepted, in bytes. A larger one closes the stream with
   * `MessageTooLargeError` as soon as its frame header arrives, before it is buffered.
   * Deepgram's largest real messages (long Results with many words) are about 1.2 MB.
   * @default 16777216 (16 MiB)
   */
  maxMessageBytes?: number;
  /**
   * After the server's close frame (which ends the stream at once: `finish()` resolves, the
   * close report is emitted), how long the socket may take to finish the closing handshake
   * before it is destroyed; a server that keeps TCP open cannot keep the process alive longer.
   * @default 1000
   */
  closeTimeoutMs?: number;
}

/** {@link ClientOptions} with every default filled in. `util.inspect` and JSON show no credential. */
export interface ResolvedClientOptions {
  readonly apiKey: string | undefined;
  readonly accessToken: string | undefined;
  /** The base URL, normalised (`ws:` or `wss:`). */
  readonly url: string;
  readonly allowInsecure: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly authTransport: AuthTransport;
  /** The KeepAlive idle interval in ms, or `undefined` when `keepAlive` is off. */
  readonly keepAliveIntervalMs: number | undefined;
  readonly connectTimeoutMs: number;
  readonly finishTimeoutMs: number;
  readonly maxPendingBytes: number;
  readonly highWaterMarkBytes: number;
  readonly maxBufferedBytes: number;
  readonly maxMessageBytes: number;
  readonly closeTimeoutMs: number;
}

const RESOLVED = Symbol.for("earshot.resolvedClientOptions");
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * True for an object {@link resolveClientOptions} made (from any copy of this package); such
 * an object is used as it is, never resolved again.
 *
 * @example
 * ```ts
 * const resolved = isResolvedClientOptions(input) ? input : resolveClientOptions(input);
 * ```
 */
export function isResolvedClientOptions(value: unknown): value is ResolvedClientOptions {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[RESOLVED] === true;
}

/**
 * True for loopback hosts: 127.0.0.0/8, ::1 and localhost (with its subdomains): the only
 * hosts `ws://` may reach without `allowInsecure`.
 *
 * @example
 * ```ts
 * isLoopbackHost(new URL("ws://127.0.0.1:8080").hostname); // true
 * isLoopbackHost("10.0.0.5"); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function credential(value: unknown, name: string, problems: OptionProblem[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    problems.push({ option: name, message: "must be a string" });
    return undefined;
  }
  // Keys pasted from a terminal or .env often carry a newline, which would break the header.
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function positive(
  options: ClientOptions,
  name: keyof ClientOptions,
  fallback: number,
  problems: OptionProblem[],
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || !Number.isInteger(value)) {
    problems.push({ option: name, message: `must be a positive whole number, not ${String(value)}` });
    return fallback;
  }
  return value;
}

function resolveUrl(options: ClientOptions, problems: OptionProblem[]): string {
  let url: URL;
  try {
    url = new URL((options.url ?? DEFAULT_URL).toString());
  } catch {
    problems.push({ option: "url", message: "is not a valid URL (expected e.g. wss://api.deepgram.com)" });
    return DEFAULT_URL;
  }
  if (url.protocol === "https:") url.protocol = "wss:";
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    problems.push({ option: "url", message: `must use wss:// or ws://, not ${url.protocol}//` });
  }
  if (url.protocol === "ws:" && !isLoopbackHost(url.hostname) && options.allowInsecure !== true) {
    problems.push({
      option: "url",
      message: `ws:// to ${url.hostname} would send the credential unencrypted: use wss://, or set allowInsecure: true`,
    });
  }
  const credentialParams = [...url.searchParams.keys()].filter(isCredentialParam);
  if (credentialParams.length > 0) {
    problems.push({
      option: "url",
      message: `must not carry a credential in its query (${credentialParams.join(", ")}): pass apiKey or accessToken instead`,
    });
  }
  if (url.username !== "" || url.password !== "") {
    problems.push({
      option: "url",
      message: "must not carry a user name or password: pass apiKey or accessToken instead",
    });
    url.username = "";
    url.password = "";
  }
  return url.href;
}

function resolveHeaders(value: unknown, problems: OptionProblem[]): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push({ option: "headers", message: "must be an object of string values" });
    return {};
  }
  const headers: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === "string") headers[name] = item;
    else problems.push({ option: `headers.${name}`, message: "must be a string" });
  }
  return headers;
}

function resolveKeepAlive(value: unknown, problems: OptionProblem[]): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_KEEP_ALIVE_MS;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  problems.push({
    option: "keepAlive",
    message: `must be true, false or an idle interval in ms, not ${String(value)}`,
  });
  return undefined;
}

/** `maxBufferedBytes` must leave room for the high-water mark, or `send()` could never signal backpressure first. */
function resolveMaxBufferedBytes(
  input: ClientOptions,
  highWaterMarkBytes: number,
  problems: OptionProblem[],
): number {
  const fallback = Math.max(DEFAULT_MAX_BUFFERED_BYTES, highWaterMarkBytes);
  const value = positive(input, "maxBufferedBytes", fallback, problems);
  if (input.maxBufferedBytes !== undefined && value < highWaterMarkBytes) {
    problems.push({
      option: "maxBufferedBytes",
      message: `must be at least highWaterMarkBytes (${highWaterMarkBytes}), not ${value}`,
    });
  }
  return value;
}

/** A browser's WebSocket sends no handshake headers: asking for any is a mistake to report, not to drop. */
function headerProblems(input: ClientOptions, authTransport: AuthTransport, problems: OptionProblem[]): void {
  if (authTransport === "header") {
    problems.push({
      option: "authTransport",
      message:
        'cannot be "header" in a browser (it cannot set handshake headers): use "subprotocol", the default there',
    });
  }
  if (input.headers !== undefined && Object.keys(input.headers).length > 0) {
    problems.push({ option: "headers", message: "cannot be sent by a browser's WebSocket: remove them" });
  }
}

/** Deepgram's own hosts always need a credential (unless the caller brings its own header). */
function needsCredential(resolved: ResolvedClientOptions): boolean {
  let hostname: string;
  try {
    hostname = new URL(resolved.url).hostname;
  } catch {
    return false;
  }
  const deepgram = hostname === "deepgram.com" || hostname.endsWith(".deepgram.com");
  return deepgram && !Object.keys(resolved.headers).some((name) => name.toLowerCase() === "authorization");
}

function redactedView(options: ResolvedClientOptions): Record<string, unknown> {
  return {
    ...options,
    apiKey: options.apiKey === undefined ? undefined : REDACTED,
    accessToken: options.accessToken === undefined ? undefined : REDACTED,
  };
}

/**
 * Fills in every default of `options` and checks them, throwing one {@link OptionsError}
 * that lists every problem. `env` is where `DEEPGRAM_API_KEY` is read from (tests pass
 * `{}`). An object this function already resolved is returned as it is.
 *
 * @example
 * ```ts
 * const resolved = resolveClientOptions({ keepAlive: true }); // apiKey from DEEPGRAM_API_KEY
 * resolved.keepAliveIntervalMs; // 4000
 * console.log(resolved); // apiKey: '[redacted]'
 * ```
 */
export function resolveClientOptions(
  options: ClientOptions | ResolvedClientOptions = {},
  env: Readonly<Record<string, string | undefined>> = platform.environment(),
): ResolvedClientOptions {
  if (isResolvedClientOptions(options)) return options;
  const problems: OptionProblem[] = [];
  const input = options as ClientOptions;
  const authTransport = input.authTransport ?? (platform.handshakeHeaders ? "header" : "subprotocol");
  if (authTransport !== "header" && authTransport !== "subprotocol") {
    problems.push({
      option: "authTransport",
      message: `must be "header" or "subprotocol", not ${String(authTransport)}`,
    });
  }
  if (!platform.handshakeHeaders) headerProblems(input, authTransport, problems);
  const connection = {
    apiKey: credential(input.apiKey ?? env.DEEPGRAM_API_KEY, "apiKey", problems),
    accessToken: credential(input.accessToken, "accessToken", problems),
    url: resolveUrl(input, problems),
    allowInsecure: input.allowInsecure === true,
    headers: resolveHeaders(input.headers, problems),
    authTransport,
    keepAliveIntervalMs: resolveKeepAlive(input.keepAlive, problems),
    connectTimeoutMs: positive(input, "connectTimeoutMs", 10_000, problems),
    finishTimeoutMs: positive(input, "finishTimeoutMs", 10_000, problems),
    maxPendingBytes: positive(input, "maxPendingBytes", 8 * 1024 * 1024, problems),
    highWaterMarkBytes: positive(input, "highWaterMarkBytes", 1024 * 1024, problems),
  };
  const resolved: ResolvedClientOptions = {
    ...connection,
    maxBufferedBytes: resolveMaxBufferedBytes(input, connection.highWaterMarkBytes, problems),
    maxMessageBytes: positive(input, "maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES, problems),
    closeTimeoutMs: positive(input, "closeTimeoutMs", 1_000, problems),
  };
  const secrets = [resolved.apiKey, resolved.accessToken];
  if (secrets.some((secret) => secret !== undefined && resolved.url.includes(encodeURIComponent(secret)))) {
    problems.push({
      option: "url",
      message: "contains the credential: pass it as apiKey or accessToken only",
    });
  }
  const urlIsValid = !problems.some((problem) => problem.option === "url");
  if (
    resolved.apiKey === undefined &&
    resolved.accessToken === undefined &&
    urlIsValid &&
    needsCredential(resolved)
  ) {
    problems.push({
      option: "apiKey",
      message: "is missing: set the DEEPGRAM_API_KEY environment variable, or pass apiKey or accessToken",
    });
  }
  if (problems.length > 0) throw new OptionsError(problems, { secrets });
  Object.defineProperty(resolved, RESOLVED, { value: true });
  Object.defineProperty(resolved, INSPECT, {
    value: (_depth: number, inspectOptions: object, inspect: (value: unknown, options: object) => string) =>
      `ResolvedClientOptions ${inspect(redactedView(resolved), inspectOptions)}`,
  });
  Object.defineProperty(resolved, "toJSON", { value: () => redactedView(resolved) });
  return Object.freeze(resolved);
}

/** What the WebSocket handshake carries besides the URL. */
export interface Handshake {
  /** Request headers: the user's `headers`, plus `Authorization` with `authTransport: "header"`. */
  headers: Record<string, string>;
  /** Subprotocols: `["token", key]` / `["bearer", jwt]` with `authTransport: "subprotocol"`, else `[]`. */
  protocols: string[];
}

/**
 * The headers and subprotocols that authenticate a connection: `Authorization: Token <key>`
 * or `Bearer <jwt>` (the access token wins), or the same as subprotocols. With no credential
 * (a local server without auth) only the user's headers are sent.
 *
 * @example
 * ```ts
 * const { headers, protocols } = handshakeFor(resolveClientOptions({ apiKey }));
 * new WebSocket(toListenUrl(resolved.url, options), protocols, { headers });
 * ```
 */
export function handshakeFor(resolved: ResolvedClientOptions): Handshake {
  const headers = { ...resolved.headers };
  const [scheme, secret] =
    resolved.accessToken !== undefined
      ? (["bearer", resolved.accessToken] as const)
      : resolved.apiKey !== undefined
        ? (["token", resolved.apiKey] as const)
        : [undefined, undefined];
  if (scheme === undefined) return { headers, protocols: [] };
  if (resolved.authTransport === "subprotocol") return { headers, protocols: [scheme, secret] };
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === "authorization") delete headers[name];
  }
  headers.Authorization = `${scheme === "bearer" ? "Bearer" : "Token"} ${secret}`;
  return { headers, protocols: [] };
}
