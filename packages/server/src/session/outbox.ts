/**
 * Everything the server sends to one client goes through here, so a fault plan's
 * `responseDelayMs` delays every message while keeping their order, and a close can wait until
 * every message before it has been handed to the socket.
 */
import { WebSocket } from "ws";
import type { SessionTimers } from "./timers.ts";

export class Outbox {
  readonly #ws: WebSocket;
  readonly #delayMs: number;
  readonly #timers: SessionTimers;
  #pending = 0;
  #idle: Array<() => void> = [];

  constructor(ws: WebSocket, delayMs: number, timers: SessionTimers) {
    this.#ws = ws;
    this.#delayMs = delayMs;
    this.#timers = timers;
  }

  /** Sends a message (objects as JSON), after the configured delay. */
  send(message: object | string): void {
    const text = typeof message === "string" ? message : JSON.stringify(message);
    if (this.#delayMs <= 0) {
      this.#write(text);
      return;
    }
    this.#pending++;
    // Timers of equal delay fire in the order they were set, so order is kept.
    this.#timers.after(this.#delayMs, () => {
      this.#write(text);
      this.#settle();
    });
  }

  /** Resolves once every message sent so far has been handed to the socket (or dropped by a close). */
  whenSent(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Drops what is still delayed (the session closed) and releases waiters. */
  cancel(): void {
    this.#pending = 0;
    this.#releaseWaiters();
  }

  #write(text: string): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(text);
  }

  #settle(): void {
    this.#pending = Math.max(0, this.#pending - 1);
    if (this.#pending === 0) this.#releaseWaiters();
  }

  #releaseWaiters(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }
}
