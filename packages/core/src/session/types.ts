/** The public types of a `LiveSession`: its states, events and construction options. */
import type { Clock } from "../clock.ts";
import type { CallbackError, EarshotError } from "../errors.ts";
import type { ServerMessage } from "../messages.ts";
import type { ClientOptions, LiveOptions, ResolvedClientOptions } from "../options.ts";
import type { CloseReport } from "./close-report.ts";

/** Where a session is in its life. */
export type SessionState = "idle" | "connecting" | "open" | "closing" | "closed";

/** What a `message` event tells besides the message. */
export interface MessageInfo {
  /** The clock's time when the frame was received (epoch ms with the system clock). */
  readonly receivedAt: number;
  /** The frame's raw text. */
  readonly text: string;
  /**
   * True when the message is not what `text` says any more: a reconnecting stream re-based its
   * timestamps (or sequence numbers) onto the stream's own timeline. @default false
   */
  readonly rebased?: boolean;
}

/** The events of a `LiveSession` and their arguments (`M`: the endpoint's message union). */
export interface LiveSessionEventMap<M = ServerMessage> {
  /** The socket opened (after the server's 101). */
  open: [info: { requestId: string | undefined }];
  /** A server message arrived. Unknown or malformed messages arrive as `Unhandled`. */
  message: [message: M, info: MessageInfo];
  /**
   * A server frame handed on unparsed, instead of `message`: only after `forwardUnparsed(true)`
   * (the threaded engine, whose application thread parses every message anyway).
   */
  unparsed: [info: MessageInfo];
  /**
   * A listener threw; the session went on. `error.cause` is what it threw. Without a
   * `listenerError` listener the error becomes a process warning (`process.emitWarning`).
   */
  listenerError: [error: CallbackError];
  /** How the session ended: exactly once, always the last event. */
  close: [report: CloseReport];
}

/** What a `LiveSession` is made from. */
export interface LiveSessionInit {
  /** The stream's query parameters; validated by the constructor. */
  readonly options: LiveOptions;
  /** Connection settings; see `ClientOptions` for the defaults. */
  readonly client?: ClientOptions | ResolvedClientOptions;
  /** Time source for timeouts, keepalive and receive times. @default systemClock */
  readonly clock?: Clock;
}

/**
 * What differs between `/v1/listen` and Flux's `/v2/listen` for one socket: where it goes, how
 * frames are read, how an idle socket is kept open, and which message ends the stream badly.
 * The Flux stream supplies one (see `flux/flux-wire.ts`); a plain `LiveSession` uses v1's.
 */
export interface SessionWire<M> {
  /** The URL to open, options already validated; never holds a credential. */
  readonly url: URL;
  /** Reads one text frame; never throws (anything unknown comes back as an `Unhandled` message). */
  parse(text: string): M;
  /**
   * Idle milliseconds after which a WebSocket ping is sent (Flux, §8.8): set, pings replace v1's
   * KeepAlive text frames, which Flux treats as fatal. Unset: the client's `keepAlive` option.
   */
  readonly pingIntervalMs?: number;
  /**
   * Throws (an `OptionsError` naming what to do) for a control frame the endpoint would treat as
   * fatal, before it is queued: Flux takes only Configure, ForceEndTurn and CloseStream (§8.4).
   */
  checkControl?(frame: string): void;
  /** The error a message means for the stream (Flux's fatal `Error`): it becomes the close report's error. */
  failure?(message: M, context: WireContext): EarshotError | undefined;
  /**
   * True when the frame means nothing to the session itself (no failure, nothing it keeps), so
   * a session told to (`LiveSession.forwardUnparsed`) may hand it on without parsing it. Unset:
   * every frame is parsed.
   */
  mayForwardUnparsed?(text: string): boolean;
}

/** What a wire's `failure` may put in the error it makes. */
export interface WireContext {
  readonly requestId: string | undefined;
  /** Credentials the error must never show. */
  readonly secrets: readonly (string | undefined)[];
}

/** What a `LiveSession` for another endpoint is made from (the Flux stream's connections). */
export interface WireSessionInit<M> {
  /** Builds the wire from the resolved client options (validating the endpoint's options first). */
  readonly wire: (client: ResolvedClientOptions) => SessionWire<M>;
  readonly client?: ClientOptions | ResolvedClientOptions;
  readonly clock?: Clock;
}
