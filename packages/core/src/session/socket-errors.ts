/**
 * How a socket error reads, for the error the session reports. Runtime-neutral (no `ws`
 * import), so the browser build shares it.
 */

/** The code `ws` gives a received message over `maxPayload` (the browser platform uses it too). */
const TOO_LARGE_CODE = "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";

/**
 * A message over the size limit, a frame the protocol forbids (`ws` receiver errors, whose
 * codes start with `WS_ERR_`: invalid UTF-8, a bad opcode, …), or a network failure.
 */
export function classifySocketError(error: unknown): "too-large" | "protocol" | "network" {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === TOO_LARGE_CODE) return "too-large";
  return typeof code === "string" && code.startsWith("WS_ERR_") ? "protocol" : "network";
}
