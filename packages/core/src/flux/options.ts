/**
 * The query parameters of Flux, `/v2/listen` (docs/protocol.md §8.2), typed, and the URL they make.
 * Names are the wire names, so what you write here is what the server receives.
 */

import { toListenUrl } from "../options/listen-url.ts";
import type { LiveOptions, QueryValue } from "../options/live-options.ts";

/** The path of the Flux endpoint. */
export const FLUX_PATH = "/v2/listen";

/** Flux models. Any other string (a model newer than this package) is accepted too. */
export type FluxModel = "flux-general-en" | "flux-general-multi" | (string & {});

/** Raw audio encodings Flux accepts. Omit `encoding` for containerised audio (WAV, Ogg, WebM). */
export type FluxEncoding = "linear16" | "linear32" | "mulaw" | "alaw" | "opus" | "ogg-opus";

/** Languages `language_hint` can name (`flux-general-multi` only); a region (`pt-BR`) is sent as given. */
export type FluxLanguageHint = "en" | "es" | "fr" | "de" | "hi" | "ru" | "pt" | "ja" | "it" | "nl";

/** What Flux's `redact` can hide. */
export type FluxRedactMode = "numbers" | "aggressive_numbers";

/** The parameters this package knows by name. */
export interface KnownFluxOptions {
  /** The Flux model; required (`model=flux` alone is a documented mistake). */
  model: FluxModel;
  /** Raw audio encoding; omit for containerised audio. Requires `sample_rate`. */
  encoding?: FluxEncoding;
  /** Samples per second of raw audio: 8000, 16000 (advised), 24000, 44100 or 48000. */
  sample_rate?: number;
  /**
   * End-of-turn confidence at which the model ends a turn, 0.5–1.0 (1.0: the model never does;
   * only `eot_timeout_ms` ends turns). @default 0.7 (server side)
   */
  eot_threshold?: number;
  /**
   * Confidence at which an `EagerEndOfTurn` is sent, 0.3–0.9, at most `eot_threshold`.
   * @default unset: no EagerEndOfTurn / TurnResumed events
   */
  eager_eot_threshold?: number;
  /** Milliseconds of silence after speech that end a turn whatever the confidence, 500–60000. @default 5000 (server side) */
  eot_timeout_ms?: number;
  /** Terms to boost, sent as repeated keys (plain terms; `term:0.15` is sent literally). */
  keyterm?: readonly string[];
  /** Expected languages (`flux-general-multi` only); unset: auto-detect. */
  language_hint?: readonly (FluxLanguageHint | (string & {}))[];
  /** Mask profanity. @default false */
  profanity_filter?: boolean;
  /** Write numbers as digits (not for hi, ja). @default false */
  numerals?: boolean;
  /** Redact numbers. */
  redact?: FluxRedactMode | readonly FluxRedactMode[];
  /** Opt out of the Deepgram Model Improvement Program. @default false */
  mip_opt_out?: boolean;
  /** Usage tags. */
  tag?: string | readonly string[];
}

/**
 * Options of one Flux stream: every known parameter, plus any other key, passed through to
 * the URL unchanged. `undefined` values are left out.
 *
 * @example
 * ```ts
 * const options: FluxOptions = {
 *   model: "flux-general-en",
 *   encoding: "linear16",
 *   sample_rate: 16000,
 *   eager_eot_threshold: 0.5,
 *   eot_threshold: 0.7,
 *   keyterm: ["earshot"],
 * };
 * ```
 */
export interface FluxOptions extends KnownFluxOptions {
  [unknown: string]: QueryValue | undefined;
}

/** `eot_threshold` when the query does not set it (docs/protocol.md §8.2 [R]). */
export const DEFAULT_EOT_THRESHOLD = 0.7;
/** `eot_timeout_ms` when the query does not set it (docs/protocol.md §8.2 [R]). */
export const DEFAULT_EOT_TIMEOUT_MS = 5_000;

/**
 * Builds the Flux URL for `options` on `base`: the path `/v2/listen` is added unless `base`
 * already has a path; lists become repeated keys; no credential ever goes in the URL. Validate
 * first ({@link validateFluxOptions}; the Flux clients do).
 *
 * @example
 * ```ts
 * toFluxUrl("wss://api.deepgram.com", { model: "flux-general-en", keyterm: ["a", "b"] }).href;
 * // "wss://api.deepgram.com/v2/listen?model=flux-general-en&keyterm=a&keyterm=b"
 * ```
 */
export function toFluxUrl(base: string | URL, options: FluxOptions): URL {
  const url = new URL(base.toString());
  if (url.pathname === "" || url.pathname === "/") url.pathname = FLUX_PATH;
  // The query encoding is the same as v1's (§8.2: strings, repeated keys), only the names differ.
  return toListenUrl(url, options as Readonly<Record<string, unknown>> as LiveOptions);
}
