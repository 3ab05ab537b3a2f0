/**
 * The value checks Flux options and Configure messages share: each appends plain-words
 * problems (what is wrong, what to do) instead of throwing, so every problem is reported at once.
 */
import type { OptionProblem } from "../errors.ts";

/** Plain-words name of what a value is (never the value itself, which may be long). */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** A number within `min`..`max` (inclusive); `integer` also demands a whole number. */
export function checkRange(
  option: string,
  value: unknown,
  range: { readonly min: number; readonly max: number; readonly integer?: boolean },
  problems: OptionProblem[],
): value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.push({ option, message: `must be a finite number, not ${kindOf(value)}` });
    return false;
  }
  if (range.integer === true && !Number.isInteger(value)) {
    problems.push({ option, message: `must be a whole number, not ${value}` });
    return false;
  }
  if (value < range.min || value > range.max) {
    problems.push({ option, message: `must be between ${range.min} and ${range.max} (got ${value})` });
    return false;
  }
  return true;
}

/** One of `allowed`. */
export function checkOneOf(
  option: string,
  value: unknown,
  allowed: readonly (string | number)[],
  problems: OptionProblem[],
): void {
  if (!allowed.includes(value as string | number)) {
    const shown =
      typeof value === "string" ? `"${value}"` : typeof value === "number" ? value : kindOf(value);
    problems.push({ option, message: `must be one of ${allowed.join(", ")} (got ${shown})` });
  }
}

/** A list of non-empty strings (at most `max` of them); `one` also allows a single string. */
export function checkStrings(
  option: string,
  value: unknown,
  problems: OptionProblem[],
  rules: { readonly one?: boolean; readonly max?: number } = {},
): readonly string[] {
  if (rules.one === true && typeof value === "string") value = [value];
  if (!Array.isArray(value)) {
    const what = rules.one === true ? "a string or an array of strings" : "an array of strings";
    problems.push({ option, message: `must be ${what}, not ${kindOf(value)}` });
    return [];
  }
  if (rules.max !== undefined && value.length > rules.max) {
    problems.push({ option, message: `may hold at most ${rules.max} entries (got ${value.length})` });
  }
  const strings: string[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item !== "string") {
      problems.push({ option: `${option}[${index}]`, message: `must be a string, not ${kindOf(item)}` });
    } else if (item.trim() === "") {
      problems.push({ option: `${option}[${index}]`, message: "must not be empty" });
    } else {
      strings.push(item);
    }
  });
  return strings;
}

/** Languages `language_hint` / `language_hints` may name (a region such as `pt-BR` counts as its base). */
export const FLUX_HINT_LANGUAGES = ["en", "es", "fr", "de", "hi", "ru", "pt", "ja", "it", "nl"] as const;

/** Checks language hints against {@link FLUX_HINT_LANGUAGES}. */
export function checkLanguageHints(option: string, value: unknown, problems: OptionProblem[]): void {
  checkStrings(option, value, problems).forEach((hint, index) => {
    const base = hint.split(/[-_]/)[0]?.toLowerCase() ?? "";
    if (!(FLUX_HINT_LANGUAGES as readonly string[]).includes(base)) {
      problems.push({
        option: `${option}[${index}]`,
        message: `"${hint}" is not a supported language; use one of ${FLUX_HINT_LANGUAGES.join(", ")}`,
      });
    }
  });
}

/** Thresholds in Flux (shared by the query and Configure). */
export const FLUX_RANGES = {
  // ⚠ docs/protocol.md §8.2: the configuration page, .NET and Rust give 0.5–0.9, the API reference and
  // the JS types 0.5–1.0 (1.0 = never end on confidence). The wider range is accepted: a server
  // holding the narrower one answers with a clear 400 / ConfigureFailure, while refusing 1.0
  // here would make a documented setting unusable.
  eot_threshold: { min: 0.5, max: 1 },
  eager_eot_threshold: { min: 0.3, max: 0.9 },
  // ⚠ The Configure page and .NET cap this at 10000; the reference and JS types at 60000. Same
  // reasoning: the wider range, the server has the last word.
  eot_timeout_ms: { min: 500, max: 60_000, integer: true },
} as const;
