/**
 * The server side of {@link toListenUrl}: a `/v1/listen` query back to typed live options,
 * with every problem reported (for a 400 answer) instead of thrown.
 */
import type { OptionProblem } from "../errors.ts";
import {
  isBooleanOption,
  isIntegerOption,
  isListOption,
  isStringOption,
  type LiveOptions,
  type QueryScalar,
} from "./live-options.ts";
import { findProblems } from "./validate.ts";

// The number forms toListenUrl writes (String(n) of a finite number), and no others: "1e3",
// " 5", "0x10" and "" stay text, so a pass-through value is never silently rewritten.
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function toNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

function toBoolean(text: string): boolean | undefined {
  return text === "true" ? true : text === "false" ? false : undefined;
}

/** A pass-through value: `true`/`false` and numbers typed, the rest kept as text. */
function toScalar(text: string): QueryScalar {
  return toBoolean(text) ?? toNumber(text) ?? text;
}

function parseExtra(values: readonly string[], problems: OptionProblem[]): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const entry of values) {
    const colon = entry.indexOf(":");
    if (colon <= 0) {
      problems.push({ option: "extra", message: `"${entry}" must be key:value` });
      continue;
    }
    extra[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return extra;
}

function parseOne(key: string, values: readonly string[], problems: OptionProblem[]): unknown {
  // Scalar parameters given more than once: the last value wins, as in most HTTP stacks.
  const last = values[values.length - 1] ?? "";
  if (isListOption(key)) return [...values];
  if (key === "extra") return parseExtra(values, problems);
  if (key === "redact")
    return values.length === 1 && toBoolean(last) !== undefined ? toBoolean(last) : [...values];
  if (isStringOption(key)) return last;
  if (isBooleanOption(key)) {
    const flag = toBoolean(last);
    if (flag === undefined) problems.push({ option: key, message: `must be true or false (got "${last}")` });
    return flag;
  }
  if (isIntegerOption(key) || key === "endpointing") {
    if (key === "endpointing" && last === "false") return false;
    const number = toNumber(last);
    if (number === undefined) problems.push({ option: key, message: `must be a number (got "${last}")` });
    return number;
  }
  return values.length === 1 ? toScalar(last) : values.map(toScalar);
}

/**
 * Reads a `/v1/listen` query into typed {@link LiveOptions}: `"true"`/`"false"` → booleans,
 * numbers → numbers, repeated keys → arrays (known list parameters are always arrays),
 * `extra=key:value` → a record, unknown keys kept. Never throws: `problems` lists everything
 * wrong, including what {@link findLiveOptionProblems} finds in the typed result.
 *
 * @example
 * ```ts
 * const { options, problems } = parseListenQuery(new URL(request.url, "ws://x").searchParams);
 * if (problems.length > 0) refuse(400, problems);
 * ```
 */
export function parseListenQuery(params: URLSearchParams): {
  options: LiveOptions;
  problems: OptionProblem[];
} {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    const values = grouped.get(key);
    if (values === undefined) grouped.set(key, [value]);
    else values.push(value);
  }
  const problems: OptionProblem[] = [];
  const options: LiveOptions = {};
  for (const [key, values] of grouped) {
    const value = parseOne(key, values, problems);
    if (value !== undefined) options[key] = value as LiveOptions[string];
  }
  // Values that failed to parse are already reported and left out; check the rest as a client would.
  const reported = new Set(problems.map((problem) => problem.option));
  for (const problem of findProblems(options, false)) {
    if (!reported.has(problem.option)) problems.push(problem);
  }
  return { options, problems };
}
