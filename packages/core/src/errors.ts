/**
 * One error tree for everything earshot throws or reports. Every error has a stable `code`
 * string and a `retryable` verdict; `instanceof` works across duplicate package copies and
 * across threads because it checks a `Symbol.for` brand, not only the prototype chain.
 */
export {
  ConnectionClosedError,
  type ConnectionClosedErrorInit,
  ConnectionError,
  HandshakeError,
  type HandshakeErrorInit,
  MessageTooLargeError,
  parseDeepgramErrorCode,
  type TimeoutCode,
  TimeoutError,
} from "./errors/connection-errors.ts";
export { deserializeError } from "./errors/deserialize.ts";
export {
  EarshotError,
  type EarshotErrorCode,
  type EarshotErrorOptions,
  isEarshotError,
  type OptionProblem,
  type SerializedCause,
  type SerializedEarshotError,
  serializeError,
} from "./errors/earshot-error.ts";
export { ConfigureRejectedError, FluxServerError, type ServerCodeInit } from "./errors/flux-errors.ts";
export {
  AbortedError,
  AudioChunkError,
  BufferOverflowError,
  CallbackError,
  EngineLoadError,
  OptionsError,
  SlowConsumerError,
  StateError,
  WorkerExitedError,
} from "./errors/usage-errors.ts";
