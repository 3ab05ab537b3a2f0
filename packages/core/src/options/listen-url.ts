/**
 * Live options → the `/v1/listen` URL: every value a string, booleans `true`/`false`, lists
 * as repeated keys (never comma-joined), `extra` as repeated `key:value`, unknown keys kept.
 */
import type { LiveOptions } from "./live-options.ts";

/** The path of the live transcription endpoint. */
export const LISTEN_PATH = "/v1/listen";

function appendValue(params: URLSearchParams, key: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) appendValue(params, key, item);
  } else if (typeof value === "object" && value !== null) {
    // `extra` (and any other record): one `key=name:value` per entry.
    for (const [name, item] of Object.entries(value)) {
      if (item !== undefined) params.append(key, `${name}:${String(item)}`);
    }
  } else {
    params.append(key, String(value));
  }
}

/**
 * Builds the listen URL for `options` on `base`. The path `/v1/listen` is added unless `base`
 * already has a path; a query already on `base` is kept. Values are written as given:
 * validate first ({@link validateLiveOptions}; a `LiveSession` does). No credential is ever
 * put in the URL: authentication travels in a header or subprotocol ({@link handshakeFor}).
 *
 * @example
 * ```ts
 * toListenUrl("wss://api.deepgram.com", { model: "nova-3", keyterm: ["a", "b"], endpointing: false }).href;
 * // "wss://api.deepgram.com/v1/listen?model=nova-3&keyterm=a&keyterm=b&endpointing=false"
 * ```
 */
export function toListenUrl(base: string | URL, options: LiveOptions): URL {
  const url = new URL(base.toString());
  if (url.pathname === "" || url.pathname === "/") url.pathname = LISTEN_PATH;
  const { unchecked, ...checked } = options;
  for (const [key, value] of Object.entries(checked)) {
    if (unchecked === undefined || !Object.hasOwn(unchecked, key)) appendValue(url.searchParams, key, value);
  }
  for (const [key, value] of Object.entries(unchecked ?? {})) appendValue(url.searchParams, key, value);
  return url;
}
