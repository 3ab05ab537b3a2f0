/**
 * Live options (the `/v1/listen` query) and client options (connection, credentials,
 * limits): types, validation, the URL and the handshake.
 */
export type { OptionProblem } from "./errors.ts";
export {
  type AuthTransport,
  type ClientOptions,
  DEFAULT_KEEP_ALIVE_MS,
  DEFAULT_URL,
  type Handshake,
  handshakeFor,
  isLoopbackHost,
  isResolvedClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from "./options/client-options.ts";
export { LISTEN_PATH, toListenUrl } from "./options/listen-url.ts";
export type {
  AudioEncoding,
  CallbackMethod,
  DeepgramModel,
  KnownLiveOptions,
  LiveOptions,
  QueryScalar,
  QueryValue,
  RedactMode,
} from "./options/live-options.ts";
export { parseListenQuery } from "./options/parse-query.ts";
export { findLiveOptionProblems, validateLiveOptions } from "./options/validate.ts";
