/**
 * Zero-cost observability, as undici does it: `node:diagnostics_channel` channels that a
 * session publishes to only while someone subscribes, so an unobserved session pays one
 * property read per event. In a browser the same channel objects live in the page (subscribe
 * through them: there is no `node:diagnostics_channel` to look them up by name).
 *
 * @example
 * ```ts
 * import diagnostics_channel from "node:diagnostics_channel";
 * import { DIAGNOSTICS_CHANNELS, type SessionMessageDiagnostic } from "@earshot/core";
 * diagnostics_channel.subscribe(DIAGNOSTICS_CHANNELS.message, (data) => {
 *   const { message, receivedAt } = data as SessionMessageDiagnostic;
 *   console.log(message.type, receivedAt);
 * });
 * ```
 */
import { type DiagnosticsChannel, platform } from "#platform";
import type { ServerMessage } from "./messages.ts";
import type { CloseReport } from "./session/close-report.ts";

/** The channel names. */
export const DIAGNOSTICS_CHANNELS = {
  open: "earshot:session:open",
  message: "earshot:session:message",
  close: "earshot:session:close",
} as const;

/** Published on `earshot:session:open` when a session's socket opens. */
export interface SessionOpenDiagnostic {
  /** The session that opened (its public surface). */
  readonly session: object;
  /** The listen URL, with no credentials in it (the key never goes in the URL). */
  readonly url: string;
  readonly requestId: string | undefined;
  /** Clock milliseconds at open. */
  readonly openedAt: number;
}

/** Published on `earshot:session:message` for every server message. */
export interface SessionMessageDiagnostic {
  readonly session: object;
  readonly message: ServerMessage;
  /** Clock milliseconds when the frame was received. */
  readonly receivedAt: number;
}

/** Published on `earshot:session:close` with the session's one close report. */
export interface SessionCloseDiagnostic {
  readonly session: object;
  readonly report: CloseReport;
}

export type { DiagnosticsChannel, DiagnosticsListener } from "#platform";

/**
 * The diagnostics channel called `name`: Node's `diagnostics_channel.channel(name)`, or in a
 * browser the page's own channel of that name (the same object for the same name).
 *
 * @example
 * ```ts
 * const channel = diagnosticsChannel("earshot:session:close");
 * channel.subscribe((data) => console.log((data as SessionCloseDiagnostic).report.code));
 * ```
 */
export function diagnosticsChannel(name: string): DiagnosticsChannel {
  return platform.diagnosticsChannel(name);
}

/** The channel objects (exported for `hasSubscribers` checks and `subscribe`). */
export const sessionOpenChannel: DiagnosticsChannel = diagnosticsChannel(DIAGNOSTICS_CHANNELS.open);
export const sessionMessageChannel: DiagnosticsChannel = diagnosticsChannel(DIAGNOSTICS_CHANNELS.message);
export const sessionCloseChannel: DiagnosticsChannel = diagnosticsChannel(DIAGNOSTICS_CHANNELS.close);

/**
 * Surfaces an error that no listener took, without throwing into the caller: a process
 * warning in Node (`process.emitWarning`), `console.warn` in a browser.
 *
 * @example
 * ```ts
 * queueMicrotask(() => emitWarning(new Error("a handler threw")));
 * ```
 */
export function emitWarning(error: Error): void {
  platform.emitWarning(error);
}
