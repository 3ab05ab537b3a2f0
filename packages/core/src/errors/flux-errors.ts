/**
 * The two failures only a Flux server (`/v2/listen`, docs/protocol.md §8) reports in a message:
 * a fatal `Error` (the server closes right after it) and a refused `Configure`. Both keep the
 * server's own code in `dgCode` and its text in `errMsg`, the fields a handshake refusal uses,
 * so one `switch (error.dgCode)` serves every server-side code.
 */
import { redactSecrets } from "../redact.ts";
import { defineOptional, EarshotError, type EarshotErrorOptions } from "./earshot-error.ts";

/** What the server said. */
export interface ServerCodeInit extends EarshotErrorOptions {
  /** The message's `code`, e.g. `"UNPARSABLE_CLIENT_MESSAGE"`. */
  readonly serverCode?: string | undefined;
  /** The message's `description`. */
  readonly description?: string | undefined;
}

/**
 * The Flux server sent `Error` and closed the stream (status-less, 1005). Codes seen:
 * `INTERNAL_SERVER_ERROR` (retryable: a new connection may well work) and
 * `UNPARSABLE_CLIENT_MESSAGE` (not retryable: the client sent something Flux does not accept).
 *
 * @example
 * ```ts
 * client.on("error", (error) => {
 *   if (error instanceof FluxServerError) console.error(error.dgCode, error.errMsg);
 * });
 * ```
 */
export class FluxServerError extends EarshotError {
  static override readonly errorName: string = "FluxServerError";
  /** The server's `code`. */
  declare readonly dgCode: string;
  /** The server's `description`. */
  declare readonly errMsg?: string;

  constructor(init: ServerCodeInit & { readonly serverCode: string }) {
    const detail = init.description ? `: ${init.description}` : "";
    const id = init.requestId ? ` (request id ${init.requestId})` : "";
    const retryable = init.serverCode === "INTERNAL_SERVER_ERROR";
    const advice = retryable
      ? "A new connection may work."
      : "The server will answer the same way again: check what the client sends.";
    super(
      "ERR_SERVER_ERROR",
      `The server ended the stream with ${init.serverCode}${detail}. ${advice}${id}`,
      {
        ...init,
        retryable,
        dgCode: init.serverCode,
      },
    );
    defineOptional(this, "errMsg", redactedText(init.description, init));
  }
}

/**
 * The server answered a `Configure` with `ConfigureFailure`: nothing changed, the settings in
 * force before stay, and the stream goes on. The reference sends no code; the documentation's
 * example has `INVALID_THRESHOLD` and a description (§8.5): whichever came is kept.
 *
 * @example
 * ```ts
 * await client.configure({ thresholds: { eot_threshold: 0.9 } }).catch((error) => {
 *   if (error instanceof ConfigureRejectedError) console.warn("kept the old thresholds:", error.dgCode);
 * });
 * ```
 */
export class ConfigureRejectedError extends EarshotError {
  static override readonly errorName: string = "ConfigureRejectedError";
  /** The server's `description`, when it sent one. */
  declare readonly errMsg?: string;

  constructor(init: ServerCodeInit = {}) {
    const code = init.serverCode ? ` (${init.serverCode})` : "";
    const detail = init.description ? `: ${init.description}` : "";
    super(
      "ERR_CONFIGURE_REJECTED",
      `The server refused the Configure${code}${detail}. The settings in force before it stay; the stream goes on.`,
      { ...init, retryable: false, dgCode: init.serverCode },
    );
    defineOptional(this, "errMsg", redactedText(init.description, init));
  }
}

/** A server's text, without any credential it may echo. */
function redactedText(text: string | undefined, init: EarshotErrorOptions): string | undefined {
  return text === undefined ? undefined : redactSecrets(text, init.secrets ?? []);
}
