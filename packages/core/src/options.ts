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
export { assertKnownOptions, CLIENT_OPTION_NAMES, nearestName } from "./options/known-options.ts";
export {
  AUDIO_ENCODINGS,
  enumValuesOf,
  LISTEN_QUERY_SCHEMA,
  type ListenParameter,
  type ListenParameterType,
  REDACT_MODES,
} from "./options/listen-schema.ts";
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
