// What every contender adapter shares: the key the server ignores, the live options as a query.

/**
 * @typedef {object} OpenArgs
 * @property {string} url the benchmark server's ws:// base url
 * @property {Record<string, string | number>} live the live options (encoding, sample_rate, …)
 * @property {(message: { type: string } & Record<string, unknown>) => void} onMessage every
 *   server message, parsed (Results and Metadata at least)
 * @property {(close: { code: number, error?: string }) => void} onClose once, at the end
 * @property {number} [keepAliveMs] the client's own idle KeepAlive interval, where it has one
 * @property {boolean} [reconnect] the client's own reconnect, where it has one
 * @property {number} [expectMessages] how many messages the run expects (sizes buffers that
 *   would otherwise refuse a flood on purpose)
 * @property {"listen" | "flux"} [endpoint] `/v1/listen` (default) or Flux's `/v2/listen`; on
 *   Flux, `onMessage` gets every TurnInfo (and `live` holds the Flux query)
 *
 * @typedef {object} Connection
 * @property {(frame: Uint8Array) => void} send queue one frame now, do not wait
 * @property {(frames: Uint8Array[]) => Promise<void>} sendAll every frame, the client's own way
 * @property {() => void} keepAlive
 * @property {() => Promise<void>} finish CloseStream, then resolves once the stream has ended
 */

export const API_KEY = "bench-key-0123456789abcdef";
export const closeStreamText = '{"type":"CloseStream"}';

/** The Flux turn events a client reports to `onMessage` (each a TurnInfo message). */
export const FLUX_TURN_EVENTS = ["StartOfTurn", "Update", "EagerEndOfTurn", "TurnResumed", "EndOfTurn"];

/** @param {Record<string, string | number>} live */
export const listenQuery = (live) =>
  new URLSearchParams(Object.entries(live).map(([key, value]) => [key, String(value)])).toString();
