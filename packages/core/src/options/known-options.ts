/**
 * Unknown client options are refused, naming the nearest known one: a misspelt option that is
 * silently ignored (`keepalive: true` for `keepAlive`) fails much later, far from its cause.
 */
import { OptionsError } from "../errors.ts";
import type { ClientOptions } from "./client-options.ts";

/** Every `ClientOptions` key; each face adds its own. */
export const CLIENT_OPTION_NAMES = [
  "apiKey",
  "accessToken",
  "url",
  "allowInsecure",
  "headers",
  "authTransport",
  "keepAlive",
  "connectTimeoutMs",
  "finishTimeoutMs",
  "maxPendingBytes",
  "highWaterMarkBytes",
  "reconnect",
  "maxBufferedBytes",
  "maxMessageBytes",
  "closeTimeoutMs",
] as const;

/** Fails to compile when a `ClientOptions` key is missing above (the list would refuse a real option). */
type UnlistedClientOption = Exclude<keyof ClientOptions, (typeof CLIENT_OPTION_NAMES)[number]>;
const everyClientOptionListed: [UnlistedClientOption] extends [never] ? true : UnlistedClientOption = true;
void everyClientOptionListed;

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The known name closest to `name` (case-insensitive edit distance), if any is reasonably close. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Throws one `OptionsError` listing every key of `options` not in `known`, each with the
 * nearest known name when there is one (or naming `options` when it is no object at all).
 *
 * @example
 * ```ts
 * assertKnownOptions({ keepalive: true }, CLIENT_OPTION_NAMES); // OptionsError: keepalive: unknown client option; did you mean keepAlive?
 * ```
 */
export function assertKnownOptions(options: object, known: readonly string[]): void {
  // Plain JavaScript callers can pass anything: null, a URL string, an array.
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const what = options === null ? "null" : Array.isArray(options) ? "an array" : `a ${typeof options}`;
    throw new OptionsError([
      {
        option: "options",
        message: `must be an object of client options (e.g. { url, apiKey }), not ${what}`,
      },
    ]);
  }
  const problems = Object.keys(options)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const nearest = nearestName(key, known);
      return {
        option: key,
        message:
          nearest === undefined
            ? `is not a client option (known: ${known.join(", ")})`
            : `is not a client option; did you mean ${nearest}?`,
      };
    });
  if (problems.length > 0) throw new OptionsError(problems);
}
