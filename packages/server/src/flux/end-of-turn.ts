/**
 * The local server's stand-in for Flux's end-of-turn model (docs/protocol.md §8.10 [L]): a
 * confidence from trailing silence, and the thresholds a stream runs with.
 */
import { DEFAULT_EOT_THRESHOLD, DEFAULT_EOT_TIMEOUT_MS, type FluxOptions } from "@earshot/core";

/** The thresholds and keyterms in force for one stream (set by the query, changed by Configure). */
export interface TurnSettings {
  eotThreshold: number;
  /** Unset: no EagerEndOfTurn / TurnResumed. */
  eagerThreshold: number | undefined;
  eotTimeoutMs: number;
  keyterms: string[];
  /** `flux-general-multi` only. */
  languageHints: string[] | undefined;
}

/** The settings a validated query asks for. */
export function settingsFromQuery(options: FluxOptions): TurnSettings {
  return {
    eotThreshold: options.eot_threshold ?? DEFAULT_EOT_THRESHOLD,
    eagerThreshold: options.eager_eot_threshold,
    eotTimeoutMs: options.eot_timeout_ms ?? DEFAULT_EOT_TIMEOUT_MS,
    keyterms: [...(options.keyterm ?? [])],
    languageHints: options.language_hint === undefined ? undefined : [...options.language_hint],
  };
}

/** Seconds of silence at which the confidence reaches 1 − 1/e (the curve's time constant). */
const SILENCE_TIME_CONSTANT = 0.4;
/** Never certain: a model's confidence stays below 1, so `eot_threshold = 1.0` never fires on it. */
const MAX_CONFIDENCE = 0.99;

/**
 * `c = min(0.99, 1 − e^(−s / 0.4 s))`: 0.5 after 0.28 s of silence, 0.7 after 0.48 s, 0.9 after
 * 0.92 s. §8.10's optional bump for a sentence-final word is left out: pocketsphinx writes no
 * punctuation, so the bump would make the two engines disagree on the same audio.
 */
export function endOfTurnConfidence(silenceSeconds: number): number {
  const confidence = Math.min(
    MAX_CONFIDENCE,
    1 - Math.exp(-Math.max(0, silenceSeconds) / SILENCE_TIME_CONSTANT),
  );
  return Math.round(confidence * 10_000) / 10_000;
}
