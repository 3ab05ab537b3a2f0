/**
 * Any failure → the one line the CLI prints after `earshot: `. Multi-line messages (an options
 * list) are folded onto one line, the API key is redacted whatever produced the text, and a
 * socket error's code (ECONNREFUSED…) is added when the message does not already say it.
 */
import { redactSecrets } from "@earshot/core";

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * One line, no secrets, no trailing full stop doubled.
 *
 * @example
 * describeError(new Error("bad\n  - model: unknown"), ["key"]); // "bad - model: unknown"
 */
export function describeError(error: unknown, secrets: readonly string[]): string {
  let text = error instanceof Error ? error.message : String(error);
  const code = causeCode(error);
  if (code !== undefined && !text.includes(code)) text = `${text.replace(/\.\s*$/, "")} (${code})`;
  const oneLine = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
  return redactSecrets(oneLine === "" ? "unknown error" : oneLine, secrets);
}
