/**
 * One Flux connection's wire (docs/protocol.md §8): the `/v2/listen` URL, Flux's parser, WebSocket
 * pings for an idle socket (a JSON KeepAlive would be fatal, §8.4), and the server's `Error`
 * message turned into the stream's typed error.
 */
import { FluxServerError, OptionsError } from "../errors.ts";
import type { ResolvedClientOptions } from "../options.ts";
import type { SessionWire } from "../session/types.ts";
import type { FluxServerMessage } from "./message-types.ts";
import { parseFluxMessage } from "./messages.ts";
import { type FluxOptions, toFluxUrl } from "./options.ts";

/**
 * Idle milliseconds before a Flux connection pings, unless the client's `keepAlive` gives a
 * number. The server closes after 60 s without a frame (§8.8); integrations ping every 20–30 s.
 */
export const DEFAULT_FLUX_PING_INTERVAL_MS = 20_000;

/**
 * The wire of a Flux connection for validated `options`.
 *
 * @example
 * ```ts
 * const session = new LiveSession({ wire: fluxWire({ model: "flux-general-en" }), client: { url } });
 * ```
 */
export function fluxWire(
  options: FluxOptions,
): (client: ResolvedClientOptions) => SessionWire<FluxServerMessage> {
  return (client) => ({
    url: toFluxUrl(client.url, options),
    parse: parseFluxMessage,
    pingIntervalMs: client.keepAliveIntervalMs ?? DEFAULT_FLUX_PING_INTERVAL_MS,
    checkControl: refuseForeignControl,
    failure: (message, context) =>
      message.type === "Error"
        ? new FluxServerError({
            serverCode: message.code,
            description: message.description,
            requestId: context.requestId,
            secrets: context.secrets,
          })
        : undefined,
    // Only an Error means something to the session (its failure, above); a frame without the
    // word is certainly none (a frame with it is parsed, even if it is a TurnInfo quoting it).
    mayForwardUnparsed: (text) => !text.includes('"Error"'),
  });
}

/** The only text frames Flux accepts (§8.4), by the start of their JSON as core's encoders write it. */
const FLUX_CONTROL = /^\{"type":"(Configure|ForceEndTurn|CloseStream)"[,}]/;

/**
 * Refuses, before it is sent, a control frame Flux would answer with `UNPARSABLE_CLIENT_MESSAGE`
 * and a close: v1's KeepAlive and Finalize above all (python#649: a JSON KeepAlive kills a Flux
 * socket).
 */
function refuseForeignControl(frame: string): void {
  if (FLUX_CONTROL.test(frame)) return;
  const type = /^\{"type":"([^"]*)"/.exec(frame)?.[1] ?? "this message";
  throw new OptionsError([
    {
      option: "control",
      message: `Flux (/v2/listen) accepts only Configure, ForceEndTurn and CloseStream; ${type} would end the stream (an idle Flux stream is kept open with WebSocket pings)`,
    },
  ]);
}
