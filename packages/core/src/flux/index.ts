/**
 * Flux, Deepgram's turn-based streaming API (`/v2/listen`, docs/protocol.md §8): options and their
 * checks, the message union and its parser, the three control frames, and the turn tracker.
 */
export { FLUX_HINT_LANGUAGES, FLUX_RANGES } from "./checks.ts";
export {
  type FluxEvent,
  type FluxEventMap,
  FluxEvents,
  type FluxHandler,
  type FluxReconnectedInfo,
} from "./flux-events.ts";
export { DEFAULT_REPLY_TIMEOUT_MS, type ReplyState } from "./flux-requests.ts";
export { createFluxStream, type FluxStreamInit } from "./flux-stream.ts";
export { DEFAULT_FLUX_PING_INTERVAL_MS } from "./flux-wire.ts";
export {
  FLUX_CLOSE_STREAM_FRAME,
  type FluxConfigure,
  FORCE_END_TURN_FRAME,
  findFluxConfigureProblems,
  fluxConfigureFrame,
  MAX_CONFIGURE_KEYTERMS,
} from "./frames.ts";
export type {
  FluxConfigureFailureMessage,
  FluxConfigureSuccessMessage,
  FluxConnectedMessage,
  FluxErrorMessage,
  FluxServerMessage,
  FluxServerMessageType,
  FluxThresholds,
  FluxTurnEvent,
  FluxTurnInfoMessage,
  FluxTurnTrigger,
  FluxWarningMessage,
  FluxWord,
} from "./message-types.ts";
export { parseFluxMessage } from "./messages.ts";
export {
  DEFAULT_EOT_THRESHOLD,
  DEFAULT_EOT_TIMEOUT_MS,
  FLUX_PATH,
  type FluxEncoding,
  type FluxLanguageHint,
  type FluxModel,
  type FluxOptions,
  type FluxRedactMode,
  type KnownFluxOptions,
  toFluxUrl,
} from "./options.ts";
export {
  type FluxCurrentTurn,
  type FluxObservation,
  type FluxProtocolWarning,
  type FluxRule,
  type FluxTurn,
  type FluxTurnState,
  FluxTurnTracker,
  type FluxTurnTrackerOptions,
} from "./turn-tracker.ts";
export { findFluxOptionProblems, parseFluxQuery, validateFluxOptions } from "./validate.ts";
