/**
 * Checks live options before any connection is made, and reports every problem at once:
 * a user fixing options one server round-trip at a time is the failure this prevents.
 */
import { type OptionProblem, OptionsError } from "../errors.ts";
import { enumValuesOf } from "./listen-schema.ts";
import {
  INTEGER_OPTIONS,
  isBooleanOption,
  isIntegerOption,
  isListOption,
  isStringOption,
  type LiveOptions,
} from "./live-options.ts";

// Query parameters that would put a credential in the URL, where proxies and logs keep it.
const CREDENTIAL_PARAMS = new Set(["token", "key", "api_key", "apikey", "access_token", "authorization"]);

/** True for a query parameter name that would carry a credential (`token`, `api_key`, …). */
export function isCredentialParam(name: string): boolean {
  return CREDENTIAL_PARAMS.has(name.toLowerCase());
}

// Models known not to be Nova-3 (keyterm is Nova-3 only; custom ids are given the benefit of the doubt).
const NOT_NOVA_3 = /^(nova-2(-|$)|nova$|enhanced(-|$)|base(-|$))/;

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const isQueryScalar = (value: unknown) =>
  typeof value === "string" ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value));

function checkInteger(option: string, value: unknown, min: number, problems: OptionProblem[]): void {
  if (typeof value !== "number") {
    problems.push({ option, message: `must be a number, not ${typeName(value)}` });
  } else if (!Number.isFinite(value)) {
    problems.push({ option, message: `must be a finite number, not ${value}` });
  } else if (!Number.isInteger(value)) {
    problems.push({ option, message: `must be a whole number, not ${value}` });
  } else if (value < min) {
    problems.push({
      option,
      message: min === 0 ? `must not be negative (got ${value})` : `must be at least ${min} (got ${value})`,
    });
  }
}

function checkStringList(option: string, value: unknown, problems: OptionProblem[]): void {
  if (!Array.isArray(value)) {
    problems.push({ option, message: `must be an array of strings, not ${typeName(value)}` });
    return;
  }
  value.forEach((item: unknown, index) => {
    if (typeof item !== "string")
      problems.push({ option: `${option}[${index}]`, message: `must be a string, not ${typeName(item)}` });
  });
}

/** An enum value outside PROTOCOL.md §2 (the client rejects it; `unchecked` sends it anyway). */
function checkEnum(option: string, key: string, value: string, problems: OptionProblem[]): void {
  const values = enumValuesOf(key);
  if (values === undefined || values.includes(value)) return;
  problems.push({
    option,
    message: `must be one of ${values.join(", ")} (got "${value}"); to send another value anyway, put it in unchecked: { ${key}: ... }`,
  });
}

function checkKnown(key: string, value: unknown, problems: OptionProblem[], client: boolean): boolean {
  if (isBooleanOption(key)) {
    if (typeof value !== "boolean")
      problems.push({ option: key, message: `must be true or false, not ${typeName(value)}` });
  } else if (isIntegerOption(key)) {
    checkInteger(key, value, INTEGER_OPTIONS[key], problems);
  } else if (isStringOption(key)) {
    if (typeof value !== "string")
      problems.push({ option: key, message: `must be a string, not ${typeName(value)}` });
    else if (key === "callback_method" || (client && key === "encoding"))
      checkEnum(key, key, value, problems);
  } else if (isListOption(key)) {
    checkStringList(key, value, problems);
  } else if (key === "endpointing") {
    if (value !== false) checkInteger(key, value, 0, problems);
  } else if (key === "redact") {
    if (typeof value !== "boolean") {
      checkStringList(key, value, problems);
      if (client && Array.isArray(value)) {
        value.forEach((item: unknown, index) => {
          if (typeof item === "string") checkEnum(`${key}[${index}]`, key, item, problems);
        });
      }
    }
  } else if (key === "unchecked") {
    checkUnchecked(value, problems, client);
  } else if (key === "extra") {
    checkExtra(value, problems);
  } else {
    return false;
  }
  return true;
}

function checkExtra(value: unknown, problems: OptionProblem[]): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push({ option: "extra", message: `must be an object of string values, not ${typeName(value)}` });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === "" || key.includes(":")) {
      problems.push({
        option: `extra.${key}`,
        message: 'keys must be non-empty and contain no ":" (sent as extra=key:value)',
      });
    }
    if (typeof item !== "string")
      problems.push({ option: `extra.${key}`, message: `must be a string, not ${typeName(item)}` });
  }
}

function checkUnchecked(value: unknown, problems: OptionProblem[], client: boolean): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push({
      option: "unchecked",
      message: `must be an object of query values, not ${typeName(value)}`,
    });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) checkUnknown(`unchecked.${key}`, item, problems, client);
  }
}

function checkUnknown(key: string, value: unknown, problems: OptionProblem[], client: boolean): void {
  if (client && isCredentialParam(key)) {
    problems.push({
      option: key,
      message: "credentials never go in the URL: pass apiKey or accessToken in the client options",
    });
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      if (!isQueryScalar(item)) {
        problems.push({
          option: `${key}[${index}]`,
          message: `must be a string, a finite number or a boolean, not ${typeName(item)}`,
        });
      }
    });
  } else if (!isQueryScalar(value)) {
    problems.push({
      option: key,
      message: `must be a string, a finite number, a boolean or an array of them, not ${typeName(value)}`,
    });
  }
}

function checkCombinations(options: LiveOptions, problems: OptionProblem[]): void {
  if (options.encoding !== undefined && options.sample_rate === undefined) {
    problems.push({
      option: "sample_rate",
      message: `is required when encoding is set (encoding is "${String(options.encoding)}")`,
    });
  }
  if (options.utterance_end_ms !== undefined && options.interim_results !== true) {
    problems.push({ option: "utterance_end_ms", message: "requires interim_results: true" });
  }
  const model = typeof options.model === "string" ? options.model : undefined;
  if (model?.startsWith("nova-3") && options.keywords !== undefined) {
    problems.push({
      option: "keywords",
      message: `is not supported by Nova-3 models (model is "${model}"): use keyterm instead`,
    });
  }
  if (model !== undefined && NOT_NOVA_3.test(model) && options.keyterm !== undefined) {
    problems.push({
      option: "keyterm",
      message: `works with Nova-3 models only (model is "${model}"): use keywords instead`,
    });
  }
}

/**
 * Every problem with `options`, in the order of their keys, then problems of combinations.
 * An empty array means the options can be sent.
 *
 * @example
 * ```ts
 * findLiveOptionProblems({ encoding: "linear16", channels: 1.5 });
 * // [{ option: "channels", message: "must be a whole number, not 1.5" },
 * //  { option: "sample_rate", message: 'is required when encoding is set (encoding is "linear16")' }]
 * ```
 */
export function findLiveOptionProblems(options: LiveOptions): OptionProblem[] {
  return findProblems(options, true);
}

/**
 * The checks behind {@link findLiveOptionProblems}. `client` adds the client-only rule that no
 * credential goes in the query; a server reading a query someone else built skips it.
 * @internal
 */
export function findProblems(options: LiveOptions, client: boolean): OptionProblem[] {
  const problems: OptionProblem[] = [];
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return [{ option: "options", message: `must be an object, not ${typeName(options)}` }];
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!checkKnown(key, value, problems, client)) checkUnknown(key, value, problems, client);
  }
  checkCombinations(options, problems);
  return problems;
}

/**
 * Throws one {@link OptionsError} listing every problem with `options`; returns quietly when
 * there is none.
 *
 * @example
 * ```ts
 * validateLiveOptions({ model: "nova-3", keyterm: ["earshot"] }); // fine
 * validateLiveOptions({ utterance_end_ms: 1000 }); // throws: requires interim_results: true
 * ```
 */
export function validateLiveOptions(options: LiveOptions): void {
  const problems = findLiveOptionProblems(options);
  if (problems.length > 0) throw new OptionsError(problems);
}
