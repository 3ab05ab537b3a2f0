/**
 * Applies the time- and byte-triggered parts of a {@link FaultPlan} to one session: dropping
 * the TCP connection, closing with a chosen code, pausing reads.
 */
import type { FaultPlan } from "../server-options.ts";
import type { SessionTimers } from "./timers.ts";

export interface FaultActions {
  /** Destroy the TCP socket without a close frame. */
  drop(): void;
  close(code: number, reason: string): void;
  /** Stop reading from the socket (until the server's resumeReading()). */
  pause(): void;
}

export class FaultInjector {
  readonly #plan: FaultPlan;
  readonly #actions: FaultActions;
  #closeDone = false;
  #paused = false;

  constructor(plan: FaultPlan | undefined, actions: FaultActions) {
    this.#plan = plan ?? {};
    this.#actions = actions;
  }

  /** Schedules the time-triggered faults; called once the session is open. */
  opened(timers: SessionTimers): void {
    const { dropAfterMs, closeWith } = this.#plan;
    if (dropAfterMs !== undefined) timers.after(dropAfterMs, () => this.#actions.drop());
    if (closeWith !== undefined) {
      if (closeWith.afterMs !== undefined) timers.after(closeWith.afterMs, () => this.#close());
      else if (closeWith.afterBytes === undefined) this.#close();
    }
  }

  /** Checks the byte-triggered faults after `total` audio bytes have arrived. */
  audioReceived(total: number): void {
    const { dropAfterBytes, closeWith, stopReadingAfterBytes } = this.#plan;
    if (dropAfterBytes !== undefined && total >= dropAfterBytes) {
      this.#actions.drop();
      return;
    }
    if (closeWith?.afterBytes !== undefined && total >= closeWith.afterBytes) this.#close();
    if (stopReadingAfterBytes !== undefined && total >= stopReadingAfterBytes && !this.#paused) {
      this.#paused = true;
      this.#actions.pause();
    }
  }

  #close(): void {
    if (this.#closeDone || this.#plan.closeWith === undefined) return;
    this.#closeDone = true;
    this.#actions.close(this.#plan.closeWith.code, this.#plan.closeWith.reason);
  }
}
