/**
 * A Flux stream: core's `ReconnectingSession` over `/v2/listen` connections, on one timeline
 * (`FluxTimeline`). Both Flux clients run one: the async one in its own thread, the threaded
 * one on its engine worker.
 */
import type { Clock } from "../clock.ts";
import type { DiagnosticsSink } from "../diagnostics.ts";
import type { ClientOptions } from "../options.ts";
import { ReconnectingSession } from "../reconnect/reconnecting-session.ts";
import { FluxTimeline } from "./flux-timeline.ts";
import type { FluxServerMessage } from "./message-types.ts";
import type { FluxOptions } from "./options.ts";
import { validateFluxOptions } from "./validate.ts";

/** What a Flux stream is made from. */
export interface FluxStreamInit {
  /** The `/v2/listen` query; validated here (`OptionsError` listing every problem). */
  readonly options: FluxOptions;
  /** Connection settings; `reconnect` among them turns reconnecting (with replay) on. */
  readonly client?: ClientOptions;
  /** Time source of timeouts, pings and receive times. @default systemClock */
  readonly clock?: Clock;
  /** Where diagnostics go. @default this thread's diagnostics channels */
  readonly diagnostics?: DiagnosticsSink;
  /** The stream's id in diagnostics. */
  readonly streamId?: string;
  /** See `ReconnectingSessionInit.forwardUnparsed`. @default false */
  readonly forwardUnparsed?: boolean;
}

/**
 * Makes (does not connect) a Flux stream: Flux's messages, pings while idle, and with
 * `reconnect` a replay from the last EndOfTurn, turn indices, audio windows and sequence ids
 * re-based onto one timeline.
 *
 * @throws OptionsError for Flux options that cannot work, or (with `reconnect`) audio that
 *   cannot be replayed (no `encoding`/`sample_rate`).
 * @example
 * ```ts
 * const stream = createFluxStream({ options: { model: "flux-general-en", encoding: "linear16", sample_rate: 16000 } });
 * stream.on("message", (message) => console.log(message.type));
 * await stream.connect();
 * ```
 */
export function createFluxStream(init: FluxStreamInit): ReconnectingSession<FluxServerMessage> {
  validateFluxOptions(init.options);
  return new ReconnectingSession<FluxServerMessage>({
    options: init.options,
    protocol: new FluxTimeline(init.options),
    ...(init.client === undefined ? {} : { client: init.client }),
    ...(init.clock === undefined ? {} : { clock: init.clock }),
    ...(init.diagnostics === undefined ? {} : { diagnostics: init.diagnostics }),
    ...(init.streamId === undefined ? {} : { streamId: init.streamId }),
    ...(init.forwardUnparsed === undefined ? {} : { forwardUnparsed: init.forwardUnparsed }),
  });
}
