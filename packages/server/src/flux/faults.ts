/** Faults only a Flux (`/v2/listen`) session knows (docs/protocol.md §8.10's test knobs). */

/**
 * Flux faults, under {@link FaultPlan.flux}. The plan's other faults (drop, closeWith,
 * responseDelayMs, sendAfterOpen, stopReadingAfterBytes, refuseWith) apply to Flux sessions too.
 *
 * @example
 * ```ts
 * // A fatal Error at the start of the second turn, then the status-less close.
 * const server = await startServer({ faults: { flux: { errorAtTurn: 1 } } });
 * ```
 */
export interface FluxFaultPlan {
  /** At this turn's StartOfTurn, send `Error INTERNAL_SERVER_ERROR` and close without a status. */
  errorAtTurn?: number;
  /** Answer no Configure (its sequence_id is still used up, so a client sees the gap). */
  dropConfigureReplies?: boolean;
  /**
   * Destroy the TCP socket (no close frame) when a request of this type arrives, before
   * it is handled: the request is left unanswered by a connection that drops.
   */
  dropAtRequest?: "Configure" | "ForceEndTurn";
}
