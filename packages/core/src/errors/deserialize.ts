/**
 * The way back from {@link serializeError}: a plain object from another thread (or another
 * copy of this package) rebuilt as an instance of the right error class.
 */

import {
  ConnectionClosedError,
  ConnectionError,
  HandshakeError,
  MessageTooLargeError,
  TimeoutError,
} from "./connection-errors.ts";
import {
  EarshotError,
  type EarshotErrorOptions,
  type SerializedCause,
  type SerializedEarshotError,
  type serializeError,
} from "./earshot-error.ts";
import { ConfigureRejectedError, FluxServerError } from "./flux-errors.ts";
import {
  AbortedError,
  AudioChunkError,
  BufferOverflowError,
  CallbackError,
  OptionsError,
  SlowConsumerError,
  StateError,
  WorkerExitedError,
} from "./usage-errors.ts";

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
        data.code === "ERR_FINISH_TIMEOUT" || data.code === "ERR_REPLY_TIMEOUT"
          ? data.code
          : "ERR_CONNECT_TIMEOUT",
        data.timeoutMs ?? 0,
        init,
      );
    case "ConnectionError":
      return new ConnectionError(message, init);
    case "FluxServerError":
      return new FluxServerError({ ...init, serverCode: data.dgCode ?? "", description: data.errMsg ?? "" });
    case "ConfigureRejectedError":
      return new ConfigureRejectedError({ ...init, serverCode: data.dgCode, description: data.errMsg });
    case "ConnectionClosedError":
      return new ConnectionClosedError({
        ...init,
        closeCode: data.closeCode ?? 1006,
        reason: data.reason ?? "",
      });
    case "AbortedError":
      return new AbortedError(message, init);
    case "MessageTooLargeError":
      return new MessageTooLargeError(data.limitBytes ?? 0, message, init);
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
