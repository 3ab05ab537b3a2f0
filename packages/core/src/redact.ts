/**
 * Secret redaction: the one place that decides how an API key or access token is hidden
 * from error messages, logs and `util.inspect` output.
 */

/** What every hidden secret is replaced with. */
export const REDACTED = "[redacted]";

// Secrets shorter than this are not searched for: replacing every "a" in a message because
// someone configured the key "a" would garble the text and protect nothing.
const MIN_SECRET_LENGTH = 4;

// Credentials that announce themselves, whoever's they are: an Authorization header value
// and the subprotocol pair a browser-style client offers ("token, <key>").
const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  /\b(authorization["']?\s*[:=]\s*\[?\s*["']?)(token|bearer)(\s+)[^\s"',;]+/gi,
  /\b(sec-websocket-protocol["']?\s*[:=]\s*\[?\s*["']?)(token|bearer)(\s*,\s*)[^\s"',;]+/gi,
];

/**
 * Replaces every occurrence of each secret in `text` with `"[redacted]"`, and hides the
 * credential of any `Authorization: Token …` / `Bearer …` header or `token, …` subprotocol
 * that appears in it, even when the secret itself is not known.
 *
 * Secrets shorter than 4 characters are ignored (they would match ordinary text).
 *
 * @example
 * ```ts
 * redactSecrets("bad key abcd1234", ["abcd1234"]); // "bad key [redacted]"
 * redactSecrets("Authorization: Token abcd1234", []); // "Authorization: Token [redacted]"
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first, so a secret that contains another is hidden whole.
  const ordered = secrets
    .filter((secret): secret is string => typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of ordered) out = out.split(secret).join(REDACTED);
  for (const pattern of CREDENTIAL_PATTERNS) {
    out = out.replace(
      pattern,
      (_match, prefix: string, scheme: string, gap: string) => `${prefix}${scheme}${gap}${REDACTED}`,
    );
  }
  return out;
}

/**
 * True when `text` contains any of `secrets` (of the length {@link redactSecrets} hides).
 *
 * @example
 * ```ts
 * if (containsSecret(error.message, [apiKey])) error = redactedCopy(error);
 * ```
 */
export function containsSecret(text: string, secrets: readonly (string | undefined)[]): boolean {
  return secrets.some(
    (secret) => typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH && text.includes(secret),
  );
}
