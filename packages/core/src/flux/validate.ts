/**
 * Checks Flux options before any connection is made (every problem at once), and reads a
 * `/v2/listen` query back into typed options for a server (problems reported, never thrown).
 */
import { type OptionProblem, OptionsError } from "../errors.ts";
import { isCredentialParam } from "../options/validate.ts";
import { checkLanguageHints, checkOneOf, checkRange, checkStrings, FLUX_RANGES, kindOf } from "./checks.ts";
import { DEFAULT_EOT_THRESHOLD, type FluxOptions } from "./options.ts";

const ENCODINGS = ["linear16", "linear32", "mulaw", "alaw", "opus", "ogg-opus"] as const;
const SAMPLE_RATES = [8000, 16000, 24000, 44100, 48000] as const;
const REDACT_MODES = ["numbers", "aggressive_numbers"] as const;
const BOOLEANS = ["profanity_filter", "numerals", "mip_opt_out"] as const;
const NUMBERS = ["sample_rate", "eot_threshold", "eager_eot_threshold", "eot_timeout_ms"] as const;
const LISTS = ["keyterm", "language_hint", "tag", "redact"] as const;
/** Models of `/v1/listen`: on `/v2/listen` they cannot work. */
const V1_MODEL = /^(nova|base|enhanced|whisper)(-|$)/;

const isScalar = (value: unknown): boolean =>
  typeof value === "string" ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value));

function checkModel(model: unknown, problems: OptionProblem[]): void {
  if (model === undefined) {
    problems.push({ option: "model", message: 'is required: use "flux-general-en" or "flux-general-multi"' });
  } else if (typeof model !== "string") {
    problems.push({ option: "model", message: `must be a string, not ${kindOf(model)}` });
  } else if (model === "flux" || V1_MODEL.test(model)) {
    problems.push({
      option: "model",
      message: `"${model}" is not a Flux model: use "flux-general-en" or "flux-general-multi"`,
    });
  }
}

function checkKnown(key: string, value: unknown, problems: OptionProblem[]): boolean {
  switch (key) {
    case "model":
      return true; // checked once, present or not, by checkModel
    case "encoding":
      checkOneOf(key, value, ENCODINGS, problems);
      return true;
    case "sample_rate":
      checkOneOf(key, value, SAMPLE_RATES, problems);
      return true;
    case "eot_threshold":
    case "eager_eot_threshold":
    case "eot_timeout_ms":
      checkRange(key, value, FLUX_RANGES[key], problems);
      return true;
    case "keyterm":
      checkStrings(key, value, problems);
      return true;
    case "tag":
      checkStrings(key, value, problems, { one: true });
      return true;
    case "language_hint":
      checkLanguageHints(key, value, problems);
      return true;
    case "redact":
      // Whether redact repeats is unspecified (§8.2): one mode or a list both pass.
      for (const mode of typeof value === "string" ? [value] : checkStrings(key, value, problems))
        checkOneOf(key, mode, REDACT_MODES, problems);
      return true;
    default:
      if ((BOOLEANS as readonly string[]).includes(key)) {
        if (typeof value !== "boolean")
          problems.push({ option: key, message: `must be true or false, not ${kindOf(value)}` });
        return true;
      }
      return false;
  }
}

function checkUnknown(key: string, value: unknown, problems: OptionProblem[], client: boolean): void {
  if (client && isCredentialParam(key)) {
    problems.push({
      option: key,
      message: "credentials never go in the URL: pass apiKey or accessToken in the client options",
    });
  } else if (Array.isArray(value) ? !value.every(isScalar) : !isScalar(value)) {
    problems.push({
      option: key,
      message: `must be a string, a finite number, a boolean or an array of them, not ${kindOf(value)}`,
    });
  }
}

function checkCombinations(options: FluxOptions, problems: OptionProblem[]): void {
  if (options.encoding !== undefined && options.sample_rate === undefined) {
    problems.push({
      option: "sample_rate",
      message: `is required when encoding is set (encoding is "${options.encoding}")`,
    });
  }
  const eager = options.eager_eot_threshold;
  // Against the threshold in force: the query's, else the server's default. Both readings of
  // "must be ≤ eot_threshold" (§8.2) agree on this case; a pair the server would refuse is caught here.
  const eot = options.eot_threshold ?? DEFAULT_EOT_THRESHOLD;
  const outOfRange = problems.some((problem) => problem.option.includes("eot_threshold"));
  if (!outOfRange && typeof eager === "number" && typeof eot === "number" && eager > eot) {
    problems.push({
      option: "eager_eot_threshold",
      message: `must not exceed eot_threshold (${eager} > ${eot}${options.eot_threshold === undefined ? ", the default" : ""})`,
    });
  }
  if (options.language_hint !== undefined && options.model !== "flux-general-multi") {
    problems.push({
      option: "language_hint",
      message: `works with flux-general-multi only (model is ${JSON.stringify(options.model)})`,
    });
  }
}

/** The checks behind {@link findFluxOptionProblems}; `client` adds "no credential in the query". @internal */
export function findFluxProblems(options: FluxOptions, client: boolean): OptionProblem[] {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return [{ option: "options", message: `must be an object, not ${kindOf(options)}` }];
  }
  const problems: OptionProblem[] = [];
  checkModel(options.model, problems);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!checkKnown(key, value, problems)) checkUnknown(key, value, problems, client);
  }
  checkCombinations(options, problems);
  return problems;
}

/**
 * Every problem with Flux `options` (ranges included); an empty array means they can be sent.
 * Parameters of `/v1/listen` that Flux lacks (`language`, `endpointing`, …) are passed through
 * like any unknown parameter: what the server does with them is unspecified (§8.2).
 *
 * @example
 * ```ts
 * findFluxOptionProblems({ model: "flux-general-en", eot_threshold: 0.4 });
 * // [{ option: "eot_threshold", message: "must be between 0.5 and 1 (got 0.4)" }]
 * ```
 */
export function findFluxOptionProblems(options: FluxOptions): OptionProblem[] {
  return findFluxProblems(options, true);
}

/**
 * Throws one {@link OptionsError} listing every problem with Flux `options`.
 *
 * @example
 * ```ts
 * validateFluxOptions({ model: "flux-general-en", eager_eot_threshold: 0.8 }); // throws: exceeds eot_threshold 0.7
 * ```
 */
export function validateFluxOptions(options: FluxOptions): void {
  const problems = findFluxOptionProblems(options);
  if (problems.length > 0) throw new OptionsError(problems);
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function readNumber(key: string, text: string, problems: OptionProblem[]): number | undefined {
  if (NUMBER.test(text)) return Number(text);
  problems.push({ option: key, message: `must be a number (got "${text}")` });
  return undefined;
}

function readOne(key: string, values: readonly string[], problems: OptionProblem[]): unknown {
  const last = values[values.length - 1] ?? "";
  if ((LISTS as readonly string[]).includes(key)) return [...values];
  if ((NUMBERS as readonly string[]).includes(key)) return readNumber(key, last, problems);
  if ((BOOLEANS as readonly string[]).includes(key)) {
    if (last === "true" || last === "false") return last === "true";
    problems.push({ option: key, message: `must be true or false (got "${last}")` });
    return undefined;
  }
  if (key === "model" || key === "encoding") return last;
  return values.length === 1 ? last : [...values];
}

/**
 * Reads a `/v2/listen` query into typed {@link FluxOptions} for a server: numbers and booleans
 * typed, list parameters always arrays, unknown keys kept as text. Never throws: `problems`
 * lists everything a client-side check would find, for a 400 answer.
 *
 * @example
 * ```ts
 * const { options, problems } = parseFluxQuery(new URL(request.url, "ws://x").searchParams);
 * ```
 */
export function parseFluxQuery(params: URLSearchParams): { options: FluxOptions; problems: OptionProblem[] } {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const problems: OptionProblem[] = [];
  const options = {} as FluxOptions;
  for (const [key, values] of grouped) {
    const value = readOne(key, values, problems);
    if (value !== undefined) options[key] = value as FluxOptions[string];
  }
  const reported = new Set(problems.map((problem) => problem.option));
  for (const problem of findFluxProblems(options, false)) {
    if (!reported.has(problem.option)) problems.push(problem);
  }
  return { options, problems };
}
