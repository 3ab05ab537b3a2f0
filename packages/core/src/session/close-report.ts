/**
 * The one close report a session emits: how the socket ended and, when it ended badly, the
 * typed error that says why.
 */
import { ConnectionClosedError, type EarshotError, parseDeepgramErrorCode } from "../errors.ts";
import { redactSecrets } from "../redact.ts";

/** How a session ended. Emitted exactly once, as the session's last event. */
export interface CloseReport {
  /** The WebSocket close code; 1006 when the socket ended without a close frame (or never opened). */
  readonly code: number;
  /** The close reason text (empty when none was sent), with any credential in it redacted. */
  readonly reason: string;
  /** Deepgram's error code parsed from the reason, e.g. `"NET-0001"`, `"DATA-0000"`. */
  readonly dgCode?: string;
  /** The stream's `dg-request-id`, when the server sent one. */
  readonly requestId?: string;
  /** True when close frames were exchanged (the code is not 1006). */
  readonly wasClean: boolean;
  /** Why the session failed; absent after a normal end (1000 after CloseStream). */
  readonly error?: EarshotError;
}

/** Close code for a socket that ended without a close frame (RFC 6455 §7.1.5). */
export const ABNORMAL_CLOSURE = 1006;

/**
 * Builds the report. `error` is the failure the session already knew about (abort, timeout,
 * refusal, socket error); without one, any close but a normal one becomes a
 * `ConnectionClosedError` carrying the code, reason and Deepgram code.
 */
export function buildCloseReport(init: {
  code: number;
  reason: string;
  requestId: string | undefined;
  error: EarshotError | undefined;
  /** Whether the client asked to end the stream (CloseStream sent): 1005 (no code) then counts as normal. */
  finishing: boolean;
  secrets: readonly (string | undefined)[];
}): CloseReport {
  const { code, requestId } = init;
  // A server may echo what it was sent, credential included: the report is logged and published.
  const reason = redactSecrets(init.reason, init.secrets);
  const dgCode = parseDeepgramErrorCode(reason);
  const normal = code === 1000 || (code === 1005 && init.finishing);
  const error =
    init.error ??
    (normal
      ? undefined
      : new ConnectionClosedError({ closeCode: code, reason, requestId, secrets: init.secrets }));
  return {
    code,
    reason,
    ...(dgCode === undefined ? {} : { dgCode }),
    ...(requestId === undefined ? {} : { requestId }),
    wasClean: code !== ABNORMAL_CLOSURE,
    ...(error === undefined ? {} : { error }),
  };
}
