/**
 * What core needs from the runtime it runs on, as one small interface with two
 * implementations: `node.ts` (the `ws` package, `node:diagnostics_channel`, `process`,
 * `node:util`) and `browser.ts` (the platform's `WebSocket`, nothing from Node). The
 * package's `#platform` import picks one by export condition (`browser` → browser.ts), so a
 * browser bundle never sees a Node built-in.
 */
import type { HandshakeError } from "../errors.ts";
import type { Handshake } from "../options/client-options.ts";
import type { FrameSink } from "../session/send-queue.ts";

/** Receives a published message and the channel's name. */
export type DiagnosticsListener = (message: unknown, name: string | symbol) => void;

/**
 * A named diagnostics channel (the part of Node's `diagnostics_channel.Channel` core uses). In
 * Node it is the real channel; in the browser a small in-page stand-in with the same methods.
 */
export interface DiagnosticsChannel {
  readonly name: string | symbol;
  /** Whether anyone listens: publishers check this first, so an unobserved event costs nothing. */
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
  subscribe(listener: DiagnosticsListener): void;
  unsubscribe(listener: DiagnosticsListener): void;
}

/** What a session hears from its socket; `close` is always the last call. */
export interface SocketEvents {
  /** The handshake answered with this `dg-request-id` (Node only: browsers hide the headers). */
  requestId(id: string): void;
  /** The socket opened. */
  open(): void;
  /** A message arrived, as text (a binary frame is decoded as UTF-8 too). */
  message(text: string): void;
  /** The upgrade was refused and the refusal has been read (Node only: browsers hide the status). */
  refused(error: HandshakeError): void;
  /** The connection failed; `close` follows. */
  error(cause: unknown): void;
  /**
   * The stream is over: in Node as soon as the server's close frame arrives (the socket then
   * finishes the closing handshake on its own, within `closeTimeoutMs`), else when it closed.
   */
  close(code: number, reason: string): void;
}

/** The limits a socket is opened with. */
export interface SocketLimits {
  /** Largest message accepted (Node: checked from the frame header, before buffering). */
  readonly maxMessageBytes: number;
  /** How long the closing handshake may take after a close frame before the socket is destroyed. */
  readonly closeTimeoutMs: number;
}

/** One client socket, as a session drives it. */
export interface SessionSocket {
  /** Bytes handed to the socket and not yet sent. */
  readonly bufferedAmount: number;
  /**
   * Where frames go once the socket is open. `done` is called (at least) once a frame that
   * took the buffer to `highWaterMark` has left, while `waiting()` says someone waits.
   */
  sink(highWaterMark: number, waiting: () => boolean): FrameSink;
  /** Reports a refusal whose body is still arriving, now; false when there is none. */
  cutRefusal(): boolean;
  /** Stops reading from the socket (TCP backpressure); a no-op where the runtime cannot. */
  pause(): void;
  /** Reads again after {@link SessionSocket.pause}. */
  resume(): void;
  /**
   * Sends a WebSocket ping frame (Flux keeps an idle socket open this way, §8.8); a no-op where
   * the runtime cannot (browsers) or once the socket is not open.
   */
  ping(): void;
  /** Closes at once, without a close handshake; `close` follows. */
  terminate(): void;
  /** Stops every event (a late error is swallowed, never thrown). */
  detach(): void;
}

/** The runtime services core uses. */
export interface Platform {
  /** Whether the handshake can carry headers (browsers allow subprotocols only). */
  readonly handshakeHeaders: boolean;
  /**
   * Opens a client socket to `url`; throws synchronously when the runtime refuses the URL or
   * the subprotocols.
   */
  openSocket(
    url: URL,
    handshake: Handshake,
    secrets: readonly (string | undefined)[],
    events: SocketEvents,
    limits: SocketLimits,
  ): SessionSocket;
  /** The diagnostics channel called `name` (the same object for the same name). */
  diagnosticsChannel(name: string): DiagnosticsChannel;
  /** Surfaces an error nobody listens for without throwing (Node: a process warning). */
  emitWarning(error: Error): void;
  /** Where defaults such as `DEEPGRAM_API_KEY` are read from (empty in the browser). */
  environment(): Readonly<Record<string, string | undefined>>;
  /** `value` as text, as deep as a debugger would show it (to find secrets before they leak). */
  inspectDeep(value: unknown): string;
}
