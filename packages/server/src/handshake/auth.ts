/**
 * Credentials as Deepgram accepts them (docs/protocol.md §1): `Authorization: Token <key>` or
 * `Bearer <jwt>` (scheme case-insensitive), or, where headers cannot be set, the subprotocols
 * `["token", <key>]` / `["bearer", <jwt>]`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The subprotocol names that announce a credential. */
const AUTH_SUBPROTOCOLS = new Set(["token", "bearer"]);

/** The secret a request presents, if any. */
export function readCredential(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === "string") {
    const match = /^\s*(token|bearer)\s+(\S+)\s*$/i.exec(header);
    if (match !== null) return match[2];
  }
  const protocols = offeredSubprotocols(request);
  const index = protocols.findIndex((name) => AUTH_SUBPROTOCOLS.has(name.toLowerCase()));
  if (index >= 0) return protocols[index + 1];
  return undefined;
}

/** The `Sec-WebSocket-Protocol` values a client offered, in order. */
export function offeredSubprotocols(request: IncomingMessage): string[] {
  const header = request.headers["sec-websocket-protocol"];
  if (typeof header !== "string") return [];
  return header
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

/**
 * The subprotocol to echo in the 101: the auth scheme (`token`/`bearer`) as offered, as the
 * real API does, else the first one offered (a WebSocket client fails the handshake if the
 * server picks none of the protocols it offered).
 */
export function chooseSubprotocol(offered: ReadonlySet<string>): string | false {
  for (const name of offered) if (AUTH_SUBPROTOCOLS.has(name.toLowerCase())) return name;
  for (const name of offered) return name;
  return false;
}

/** Compares digests in constant time, so response timing does not leak how much of a key matched. */
export function isAcceptedKey(secret: string | undefined, keys: readonly string[]): boolean {
  if (secret === undefined) return false;
  const presented = digest(secret);
  let accepted = false;
  for (const key of keys) accepted = timingSafeEqual(presented, digest(key)) || accepted;
  return accepted;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
