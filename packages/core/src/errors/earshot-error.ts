/**
 * The base of the error tree: stable codes, the `Symbol.for` brand that makes `instanceof`
 * work across package copies and threads, secret redaction of messages and causes, and the
 * plain-object form errors take to cross a thread boundary.
 */
import { platform } from "#platform";
import { containsSecret, redactSecrets } from "../redact.ts";

/** The stable code of every {@link EarshotError}. Match on these, never on messages. */
export type EarshotErrorCode =
  | "ERR_INVALID_OPTIONS"
  | "ERR_INVALID_AUDIO"
  | "ERR_HANDSHAKE_REFUSED"
  | "ERR_CONNECT_TIMEOUT"
  | "ERR_FINISH_TIMEOUT"
  | "ERR_REPLY_TIMEOUT"
  | "ERR_CONNECTION_FAILED"
  | "ERR_CONNECTION_CLOSED"
  | "ERR_ABORTED"
  | "ERR_BUFFER_OVERFLOW"
  | "ERR_INVALID_STATE"
  | "ERR_CALLBACK_FAILED"
  | "ERR_WORKER_EXITED"
  | "ERR_ENGINE_LOAD"
  | "ERR_SLOW_CONSUMER"
  | "ERR_MESSAGE_TOO_LARGE"
  | "ERR_SERVER_ERROR"
  | "ERR_CONFIGURE_REJECTED";

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

/** Defines an enumerable own field only when it has a value, so inspect output stays clean. @internal */
export function defineOptional(target: object, key: string, value: unknown): void {
  if (value !== undefined) Object.defineProperty(target, key, { value, enumerable: true });
}

/**
 * A cause that would reveal a secret, anywhere `util.inspect` would look (its message, stack,
 * or an object it holds such as request headers), is replaced: an Error by a plain Error with
 * the same name and code and a redacted message and stack, anything else by redacted text.
 */
function redactCause(cause: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof cause === "string") return redactSecrets(cause, secrets);
  if (typeof cause !== "object" || cause === null || !secrets.some(Boolean)) return cause;
  const shown = platform.inspectDeep(cause);
  if (!containsSecret(shown, secrets)) return cause;
  if (!(cause instanceof Error)) return redactSecrets(shown, secrets);
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
 * True for any earshot error, from this copy of the package or another, or rebuilt by
 * {@link deserializeError}.
 *
 * @example
 * ```ts
 * client.on("error", (error) => {
 *   if (isEarshotError(error) && error.code === "ERR_CONNECTION_CLOSED") reconnect();
 * });
 * ```
 */
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
