/**
 * Close codes and reason texts as the real service sends them (docs/protocol.md §5). The NET-0001
 * text is byte-for-byte the one in fixtures/deepgram/messages/CloseFrame.1011-NET-0001.capture.json.
 */

/** 1011 after the inactivity timeout. */
export const NET_0001_REASON =
  "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001";

/** Close code for internal errors and timeouts. */
export const CLOSE_INTERNAL_ERROR = 1011;
/** Close code for payloads that cannot be decoded. */
export const CLOSE_POLICY_VIOLATION = 1008;
/** Close code when the server shuts down. */
export const CLOSE_GOING_AWAY = 1001;

/** A close reason may be at most 123 bytes (RFC 6455 §5.5). */
const MAX_REASON_BYTES = 123;

/** `DATA-0000: <detail>`, cut to fit a close frame. */
export function dataErrorReason(detail: string): string {
  return fitReason(`DATA-0000: ${detail}`);
}

/** Cuts `reason` to at most 123 UTF-8 bytes without splitting a character. */
export function fitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let cut = reason;
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES) cut = cut.slice(0, -1);
  return cut;
}
