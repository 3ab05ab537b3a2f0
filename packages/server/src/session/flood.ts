/**
 * The `flood` fault: many Results as fast as the client takes them. The server stays bounded
 * by never queueing more than a high-water mark in the socket: past it, the next message is
 * sent with a write callback and the flood waits for it (i.e. until the client has read that
 * far), so a client that stops reading applies real TCP backpressure to the server.
 */
import { WebSocket } from "ws";
import type { SessionTimers } from "./timers.ts";

/** Bytes the flood lets queue in the socket before it waits. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** Messages between yields to the event loop, so other sessions keep running. */
const BATCH = 256;

export interface FloodInit {
  readonly ws: WebSocket;
  readonly count: number;
  readonly intervalMs: number | undefined;
  readonly timers: SessionTimers;
  /** The text of the i-th message. */
  readonly message: (index: number) => string;
  readonly active: () => boolean;
  /** Resolves when the session closes (a pending write callback may never come before it). */
  readonly closed: Promise<void>;
}

/** Sends the flood; resolves when done or when the session closed. */
export async function flood(init: FloodInit): Promise<void> {
  const { ws, count, intervalMs, timers, message, active, closed } = init;
  for (let index = 0; index < count; index++) {
    if (!active() || ws.readyState !== WebSocket.OPEN) return;
    const text = message(index);
    if (ws.bufferedAmount >= HIGH_WATER_BYTES) {
      await Promise.race([new Promise<void>((resolve) => ws.send(text, () => resolve())), closed]);
    } else {
      ws.send(text);
    }
    if (intervalMs !== undefined && intervalMs > 0) {
      if (!(await timers.sleep(intervalMs))) return;
    } else if ((index + 1) % BATCH === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
