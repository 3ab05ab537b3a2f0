/**
 * The flags of `earshot listen --flux` (Flux, `/v2/listen`): the switch itself and the Flux
 * parameters `/v1/listen` has no flag for. Every other query flag (`--model`, `--encoding`,
 * `--sample-rate`, `--keyterm`, `--tag`, `--numerals`, …) and `--x-<name>` work as they do on
 * `/v1/listen`; what Flux cannot take is refused before connecting, by core's Flux checks.
 */
import type { FluxOptions } from "@earshot/core";
import { UsageError } from "./usage-error.ts";

/** The flags `--flux` adds to `earshot listen`. */
export const fluxFlags = {
  flux: { type: "boolean" },
  "eot-threshold": { type: "string" },
  "eager-eot-threshold": { type: "string" },
  "eot-timeout-ms": { type: "string" },
  "language-hint": { type: "string", multiple: true },
} as const;

/** The Flux parameters given by their own flags. */
export type FluxQuery = Pick<
  FluxOptions,
  "eot_threshold" | "eager_eot_threshold" | "eot_timeout_ms" | "language_hint"
>;

const NUMBER_FLAGS = ["eot-threshold", "eager-eot-threshold", "eot-timeout-ms"] as const;
/** Outputs built from `Results`: Flux sends turns instead. */
const RESULTS_ONLY = ["stats", "srt", "vtt", "speakers"] as const;

/**
 * The Flux part of parsed `earshot listen` flags: `undefined` without `--flux`.
 *
 * @throws UsageError for a Flux flag without `--flux`, a flag `--flux` cannot serve, or a number
 *   that is not one.
 * @example
 * ```ts
 * fluxQueryOf({ flux: true, "eot-threshold": "0.8" }); // { eot_threshold: 0.8 }
 * ```
 */
export function fluxQueryOf(values: Readonly<Record<string, unknown>>): FluxQuery | undefined {
  const given = Object.keys(fluxFlags).filter((flag) => flag !== "flux" && values[flag] !== undefined);
  if (values.flux !== true) {
    if (given.length > 0) throw new UsageError(`--${given[0]} works with --flux only`);
    return undefined;
  }
  for (const flag of RESULTS_ONLY) {
    if (values[flag] !== undefined && values[flag] !== false)
      throw new UsageError(`--${flag} does not work with --flux (Flux sends turns, not results)`);
  }
  const query: Record<string, unknown> = {};
  for (const flag of NUMBER_FLAGS) {
    const text = values[flag];
    if (typeof text !== "string") continue;
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value))
      throw new UsageError(`--${flag} must be a number, got '${text}'`);
    query[flag.replaceAll("-", "_")] = value;
  }
  const hints = values["language-hint"];
  if (Array.isArray(hints)) query.language_hint = hints;
  return query as FluxQuery;
}
