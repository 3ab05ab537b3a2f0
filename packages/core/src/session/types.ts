/** The public types of a `LiveSession`: its states, events and construction options. */
import type { Clock } from "../clock.ts";
import type { CallbackError } from "../errors.ts";
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
}

/** The events of a `LiveSession` and their arguments. */
export interface LiveSessionEventMap {
  /** The socket opened (after the server's 101). */
  open: [info: { requestId: string | undefined }];
  /** A server message arrived. Unknown or malformed messages arrive as `Unhandled`. */
  message: [message: ServerMessage, info: MessageInfo];
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
