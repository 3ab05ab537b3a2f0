/**
 * The options a caller gives {@link startServer}, and the fault plan a test uses to make the
 * server misbehave on purpose.
 */
import type { IncomingMessage } from "node:http";
import type { Clock } from "@earshot/core";
import type { EngineFactory } from "./engine.ts";
import type { FluxFaultPlan } from "./flux/faults.ts";

/**
 * Ways to make one session (or every session) misbehave, for reliability tests. Byte counts
 * are bytes of audio (binary frame payloads) received from the client.
 *
 * @example
 * ```ts
 * // Drop the TCP connection (no close frame) once 32 000 bytes of audio have arrived.
 * const server = await startServer({ faults: { dropAfterBytes: 32_000 } });
 * ```
 */
export interface FaultPlan {
  /** Refuse the WebSocket upgrade with this HTTP status (and optional `err_code` / `err_msg`). */
  refuseWith?: { status: number; errCode?: string; errMsg?: string };
  /** Destroy the TCP socket (no close frame) once this many audio bytes have arrived. */
  dropAfterBytes?: number;
  /** Destroy the TCP socket (no close frame) this many ms after the session opened. */
  dropAfterMs?: number;
  /** Close with this code and reason: after `afterMs` ms, after `afterBytes` audio bytes, or at once if neither. */
  closeWith?: { code: number; reason: string; afterMs?: number; afterBytes?: number };
  /** Delay every message the server sends by this many ms (order is kept). */
  responseDelayMs?: number;
  /** After `CloseStream`, wait this many ms before flushing the last finals (then Metadata, then 1000). */
  finalDelayMs?: number;
  /** Raw text frames sent right after the session opens (malformed JSON, unknown types, …). */
  sendAfterOpen?: string[];
  /** Stop reading from the TCP socket once this many audio bytes have arrived, so the client meets real backpressure; {@link LocalServer.resumeReading} resumes. */
  stopReadingAfterBytes?: number;
  /** Send `count` Results messages as fast as the socket takes them (or one per `intervalMs`), right after open. */
  flood?: { count: number; intervalMs?: number };
  /** After `CloseStream`, send this many final Results (as fast as the client reads) before the last finals, Metadata and 1000. */
  finalsOnClose?: number;
  /** Faults of Flux (`/v2/listen`) sessions only. */
  flux?: FluxFaultPlan;
  /** Answer the upgrade with a plain `200 OK` (as a proxy or captive portal would), not a WebSocket. */
  answerWithoutUpgrade?: boolean;
  /** Frames written straight to the TCP socket after open, bypassing every check (invalid UTF-8, …); `dataBase64` is the payload. */
  rawFramesAfterOpen?: { kind: "text" | "binary"; dataBase64: string }[];
  /** This many tiny text frames (`{"type":"Tick","n":i}`) right after open, in one write. */
  tinyFrames?: number;
  /** One text message of this many bytes right after open (an oversized message). */
  largeMessageBytes?: number;
  /** Ignore CloseStream: the stream stays open and nothing is flushed (the client's finish times out). */
  ignoreCloseStream?: boolean;
  /** Ignore Finalize: its reply never comes (the stream goes on). */
  ignoreFinalize?: boolean;
  /** After CloseStream, close 1000 without sending Metadata. */
  omitMetadata?: boolean;
  /** With its close frame, stop reading and never end TCP (the client must tear the socket down). */
  keepTcpOpenAfterClose?: boolean;
  /** Right after its close frame, write this many Results frames anyway (a broken server or proxy). */
  resultsAfterClose?: number;
  /** Once this many audio bytes have arrived, write half of a frame, then reset the TCP connection (RST). */
  resetMidFrameAfterBytes?: number;
  /** Once this many audio bytes have arrived, reset the TCP connection (RST, no close frame, no FIN). */
  resetAfterBytes?: number;
}

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Accepted API keys / tokens. Unset: no authentication required. */
  apiKeys?: readonly string[];
  /** The recognizer. @default scriptedEngine() with its default script */
  engine?: EngineFactory;
  /** Close a session with 1011 NET-0001 after this long without any frame from the client (pings count on `/v2/listen`). @default 10_000 on /v1/listen, 60_000 on /v2/listen */
  inactivityTimeoutMs?: number;
  /**
   * Sessions allowed at once; an upgrade beyond it is refused with 429, as the real API does
   * when a project runs too many streams. @default Infinity
   */
  maxConcurrentSessions?: number;
  /** Faults for every session, or a function choosing them per upgrade request. */
  faults?: FaultPlan | ((request: IncomingMessage) => FaultPlan | undefined);
  /**
   * Where session timers come from (inactivity timeout, fault delays), so a test can drive
   * them with a fake clock. @default core's `systemClock` (real, unref'd timers)
   */
  clock?: Clock;
}

/** A running local server. */
export interface LocalServer {
  /** Base URL for clients, e.g. `"ws://127.0.0.1:40123"` (clients add `/v1/listen`). */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Resumes reading on every session paused by {@link FaultPlan.stopReadingAfterBytes}. */
  resumeReading(): void;
  /** Sessions currently open. */
  readonly sessionCount: number;
  /** Closes every session (1001), stops listening and closes the engine. */
  close(): Promise<void>;
}
