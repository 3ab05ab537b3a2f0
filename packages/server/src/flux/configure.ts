/**
 * A Flux `Configure` (docs/protocol.md §8.7) checked with core's rules and applied to the settings in
 * force: the answer is the ConfigureSuccess (every value now in force) or the ConfigureFailure
 * (the previous settings stay).
 */
import { type FluxConfigure, findFluxConfigureProblems } from "@earshot/core";
import type { TurnSettings } from "./end-of-turn.ts";

export type ConfigureOutcome =
  | { readonly ok: true; readonly settings: TurnSettings }
  | { readonly ok: false; readonly code: string; readonly description: string };

/** Applies `message` (the parsed Configure frame, `type` included) to `current`. */
export function applyConfigure(
  message: Record<string, unknown>,
  current: TurnSettings,
  multilingual: boolean,
): ConfigureOutcome {
  const { type: _type, ...change } = message;
  const config = change as FluxConfigure;
  const problems = findFluxConfigureProblems(config, {
    eot_threshold: current.eotThreshold,
    eager_eot_threshold: current.eagerThreshold,
    eot_timeout_ms: current.eotTimeoutMs,
  });
  if (!multilingual && Array.isArray(config.language_hints) && config.language_hints.length > 0) {
    problems.push({ option: "language_hints", message: "works with flux-general-multi only" });
  }
  if (problems.length > 0) {
    const thresholds = problems.some((problem) => problem.option.startsWith("thresholds"));
    return {
      ok: false,
      code: thresholds ? "INVALID_THRESHOLD" : "INVALID_CONFIGURE",
      description: problems.map((problem) => `${problem.option} ${problem.message}`).join("; "),
    };
  }
  const thresholds = config.thresholds ?? {};
  return {
    ok: true,
    settings: {
      eotThreshold: thresholds.eot_threshold ?? current.eotThreshold,
      eagerThreshold: thresholds.eager_eot_threshold ?? current.eagerThreshold,
      eotTimeoutMs: thresholds.eot_timeout_ms ?? current.eotTimeoutMs,
      keyterms: config.keyterms === undefined ? current.keyterms : [...config.keyterms],
      // Omitted or null keeps the hints; [] clears them (auto-detect).
      languageHints:
        config.language_hints === undefined || config.language_hints === null
          ? current.languageHints
          : [...config.language_hints],
    },
  };
}

/** The ConfigureSuccess fields: every value in force. */
export function configureSuccessFields(
  settings: TurnSettings,
  multilingual: boolean,
): Record<string, unknown> {
  const thresholds: Record<string, number> = {};
  if (settings.eagerThreshold !== undefined) thresholds.eager_eot_threshold = settings.eagerThreshold;
  thresholds.eot_threshold = settings.eotThreshold;
  thresholds.eot_timeout_ms = settings.eotTimeoutMs;
  const fields: Record<string, unknown> = { thresholds, keyterms: settings.keyterms };
  if (multilingual) fields.language_hints = settings.languageHints ?? [];
  return fields;
}
