/**
 * The Flux control frames (docs/protocol.md §8.4): exactly three text frames exist, `Configure`,
 * `ForceEndTurn` and `CloseStream`. Anything else (v1's `KeepAlive` and `Finalize` included)
 * makes the server answer `UNPARSABLE_CLIENT_MESSAGE` and close, so there is deliberately no
 * JSON KeepAlive here: a Flux socket is kept alive with WebSocket pings.
 */
import { type OptionProblem, OptionsError } from "../errors.ts";
import { CLOSE_STREAM_FRAME } from "../frames.ts";
import { checkLanguageHints, checkRange, checkStrings, FLUX_RANGES, kindOf } from "./checks.ts";
import type { FluxThresholds } from "./message-types.ts";
import { DEFAULT_EOT_THRESHOLD } from "./options.ts";

/** The ForceEndTurn frame, byte-exact: ends the current turn now (`trigger: "manual"`). */
export const FORCE_END_TURN_FRAME = '{"type":"ForceEndTurn"}';

/** The CloseStream frame, byte-exact (the same text as on `/v1/listen`). */
export const FLUX_CLOSE_STREAM_FRAME = CLOSE_STREAM_FRAME;

/** Most keyterms one Configure may set (§8.7). */
export const MAX_CONFIGURE_KEYTERMS = 100;

/**
 * A mid-stream change (§8.7). Every field is optional; what is omitted keeps its value.
 *
 * @example
 * ```ts
 * const change: FluxConfigure = { thresholds: { eot_threshold: 0.8 }, keyterms: ["earshot"] };
 * ```
 */
export interface FluxConfigure {
  /** New thresholds (ranges as in the query; eager ≤ eot). */
  thresholds?: FluxThresholds;
  /** Replaces the whole keyterm list (`[]` clears it); at most 100. */
  keyterms?: readonly string[];
  /** `flux-general-multi`: non-empty replaces, `[]` clears (auto-detect), `null` keeps. */
  language_hints?: readonly string[] | null;
}

const CONFIGURE_KEYS = new Set(["thresholds", "keyterms", "language_hints"]);
const THRESHOLD_KEYS = new Set(Object.keys(FLUX_RANGES));

/**
 * Every problem with a Configure: unknown fields, ranges, at most 100 keyterms, and eager ≤ eot
 * — checked against `inForce` (the values the stream runs with) for whatever the message leaves
 * out. ⚠ §8.7 leaves open whether the server compares with values in force or only within the
 * message; checking against the values in force accepts nothing either reading would refuse.
 *
 * @example
 * ```ts
 * findFluxConfigureProblems({ thresholds: { eager_eot_threshold: 0.8 } }, { eot_threshold: 0.7 });
 * // [{ option: "thresholds.eager_eot_threshold", message: "must not exceed eot_threshold (0.8 > 0.7)" }]
 * ```
 */
export function findFluxConfigureProblems(
  config: FluxConfigure,
  inForce: FluxThresholds = {},
): OptionProblem[] {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return [{ option: "configure", message: `must be an object, not ${kindOf(config)}` }];
  }
  const problems: OptionProblem[] = [];
  for (const key of Object.keys(config)) {
    if (!CONFIGURE_KEYS.has(key)) {
      problems.push({
        option: key,
        message: "cannot change mid-stream (only thresholds, keyterms, language_hints): open a new stream",
      });
    }
  }
  const { thresholds, keyterms, language_hints } = config;
  if (thresholds !== undefined) checkThresholds(thresholds, inForce, problems);
  if (keyterms !== undefined) checkStrings("keyterms", keyterms, problems, { max: MAX_CONFIGURE_KEYTERMS });
  if (language_hints !== undefined && language_hints !== null)
    checkLanguageHints("language_hints", language_hints, problems);
  return problems;
}

function checkThresholds(
  thresholds: FluxThresholds,
  inForce: FluxThresholds,
  problems: OptionProblem[],
): void {
  if (typeof thresholds !== "object" || thresholds === null || Array.isArray(thresholds)) {
    problems.push({ option: "thresholds", message: `must be an object, not ${kindOf(thresholds)}` });
    return;
  }
  let valid = true;
  for (const [key, value] of Object.entries(thresholds)) {
    if (value === undefined) continue;
    if (!THRESHOLD_KEYS.has(key)) {
      problems.push({
        option: `thresholds.${key}`,
        message: `is not a threshold (${[...THRESHOLD_KEYS].join(", ")})`,
      });
      valid = false;
    } else if (
      !checkRange(`thresholds.${key}`, value, FLUX_RANGES[key as keyof typeof FLUX_RANGES], problems)
    ) {
      valid = false;
    }
  }
  if (!valid) return;
  const eager = thresholds.eager_eot_threshold ?? inForce.eager_eot_threshold;
  const eot = thresholds.eot_threshold ?? inForce.eot_threshold ?? DEFAULT_EOT_THRESHOLD;
  if (eager !== undefined && eager > eot) {
    const option =
      thresholds.eager_eot_threshold !== undefined
        ? "thresholds.eager_eot_threshold"
        : "thresholds.eot_threshold";
    problems.push({
      option,
      message: `eager_eot_threshold must not exceed eot_threshold (${eager} > ${eot})`,
    });
  }
}

/**
 * The Configure frame, checked first ({@link findFluxConfigureProblems}).
 *
 * @throws OptionsError listing every problem.
 * @example
 * ```ts
 * fluxConfigureFrame({ keyterms: ["apple"] }); // '{"type":"Configure","keyterms":["apple"]}'
 * ```
 */
export function fluxConfigureFrame(config: FluxConfigure, inForce?: FluxThresholds): string {
  const problems = findFluxConfigureProblems(config, inForce);
  if (problems.length > 0) throw new OptionsError(problems);
  return JSON.stringify({ type: "Configure", ...config });
}
