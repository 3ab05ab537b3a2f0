/**
 * Core's option problems speak of library options (`interim_results: true`, `unchecked: { … }`);
 * a person at the command line needs the flags that set them. This rewrites those names into
 * flags, so a usage error always names something the CLI has.
 */
import { LISTEN_QUERY_SCHEMA } from "@earshot/core";
import { flagOf } from "./query-flags.ts";

/** A name not already part of a flag or a longer word. */
const word = (name: string) => `(?<![-\\w])${name}`;

/**
 * `message` with option names written as the flags that set them.
 *
 * @example
 * inFlagTerms("requires interim_results: true"); // "requires --interim-results"
 */
export function inFlagTerms(message: string): string {
  // The escape hatch of the library is the pass-through flag on the command line.
  let text = message.replace(
    /put it in unchecked: \{ (\w+): \.\.\. \}/g,
    (_, name: string) => `pass it through as --x-${flagOf(name)} <value>`,
  );
  for (const { name } of LISTEN_QUERY_SCHEMA) {
    const flag = `--${flagOf(name)}`;
    text = text
      .replace(new RegExp(`${word(name)}: true\\b`, "g"), flag)
      // "when encoding is set", "(model is …)", "use keyterm instead": only in those phrases,
      // since many names (model, version, search) are also plain words.
      .replace(new RegExp(`${word(name)}(?= is\\b)`, "g"), flag)
      .replace(new RegExp(`(?<=\\buse )${name}(?= instead\\b)`, "g"), flag);
    if (name.includes("_")) text = text.replace(new RegExp(`${word(name)}(?!\\w)`, "g"), flag);
  }
  return text;
}
