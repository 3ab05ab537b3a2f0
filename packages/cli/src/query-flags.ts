/**
 * The `earshot listen` flags for `/v1/listen` query parameters, generated from core's schema
 * (`LISTEN_QUERY_SCHEMA`): one flag per parameter, the kebab-case of its name, typed by the
 * schema — so a parameter added to core gets its flag without a change here.
 */
import { LISTEN_QUERY_SCHEMA, type ListenParameter } from "@earshot/core";
import { UsageError } from "./usage-error.ts";

/** `sample_rate` → `sample-rate`. */
export const flagOf = (name: string): string => name.replaceAll("_", "-");

type FlagConfig = { type: "boolean" } | { type: "string"; multiple?: true };

const repeatable = new Set(["string-list", "enum-list", "boolean-or-enum-list", "record"]);

function configOf(parameter: ListenParameter): FlagConfig {
  if (parameter.type === "boolean") return { type: "boolean" };
  return repeatable.has(parameter.type) ? { type: "string", multiple: true } : { type: "string" };
}

/** The parseArgs configuration of every query flag, by flag name. */
export const queryFlags: Readonly<Record<string, FlagConfig>> = Object.fromEntries(
  LISTEN_QUERY_SCHEMA.map((parameter) => [flagOf(parameter.name), configOf(parameter)]),
);

function integer(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(
      min === 1
        ? `--${flag} must be a positive integer, got '${text}'`
        : `--${flag} must be a whole number ≥ ${min}, got '${text}'`,
    );
  }
  return value;
}

/** `key:value` pairs → a record (`--extra`). */
export function parseExtra(pairs: readonly string[]): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const pair of pairs) {
    const colon = pair.indexOf(":");
    if (colon <= 0) throw new UsageError(`--extra must be key:value, got '${pair}'`);
    extra[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  return extra;
}

function optionValue(parameter: ListenParameter, value: unknown): unknown {
  const flag = flagOf(parameter.name);
  switch (parameter.type) {
    case "boolean":
    case "string":
    case "enum":
      return value;
    case "integer":
      return integer(flag, value as string, parameter.min ?? 0);
    case "string-list":
    case "enum-list":
      return [...(value as string[])];
    case "integer-or-false":
      if (value === "false") return false;
      if (!/^\d+$/.test(value as string)) {
        throw new UsageError(
          `--${flag} must be milliseconds of silence or 'false', got '${value as string}'`,
        );
      }
      return Number(value);
    case "boolean-or-enum-list": {
      const values = value as string[];
      if (values.length === 1 && (values[0] === "true" || values[0] === "false")) return values[0] === "true";
      return [...values];
    }
    case "record":
      return parseExtra(value as string[]);
  }
}

/**
 * The query parameters the parsed flags set (enum values are checked later, with the other
 * option problems, by core's validation).
 */
export function queryOptionsOf(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const parameter of LISTEN_QUERY_SCHEMA) {
    const flag = flagOf(parameter.name);
    // util.parseArgs reads `--no-delay` as the negation of a `--delay` flag, even though
    // `no-delay` is the option defined: that is the flag itself, set.
    const negated = flag.startsWith("no-") && values[flag.slice(3)] === false;
    const value = values[flag] ?? (negated ? true : undefined);
    if (value !== undefined) options[parameter.name] = optionValue(parameter, value);
  }
  return options;
}
