/**
 * Usage errors name flags, not library options: core's option problems (taken from core itself,
 * so a change of wording there is caught here) rewritten in the CLI's terms.
 */
import { findLiveOptionProblems, LISTEN_QUERY_SCHEMA, type LiveOptions } from "@earshot/core";
import { describe, expect, it } from "vitest";
import { inFlagTerms } from "../src/flag-wording.ts";

const wording = (options: LiveOptions) =>
  findLiveOptionProblems(options).map((problem) => inFlagTerms(problem.message));

describe("inFlagTerms", () => {
  it.each([
    [{ encoding: "bogus", sample_rate: 16_000 }, /pass it through as --x-encoding <value>$/],
    [{ utterance_end_ms: 1000 }, /^requires --interim-results$/],
    [{ encoding: "linear16" }, /^is required when --encoding is set \(--encoding is "linear16"\)$/],
    [{ model: "nova-3", keywords: ["earshot:2"] }, /\(--model is "nova-3"\): use --keyterm instead$/],
    [{ model: "nova-2", keyterm: ["earshot"] }, /\(--model is "nova-2"\): use --keywords instead$/],
  ] as [LiveOptions, RegExp][])("%j", (options, expected) => {
    const [message] = wording(options);
    expect(message).toMatch(expected);
  });

  it("no library name is left in any of those messages", () => {
    const snakeCase = LISTEN_QUERY_SCHEMA.map((parameter) => parameter.name).filter((name) =>
      name.includes("_"),
    );
    const messages = [
      { encoding: "bogus" },
      { utterance_end_ms: 1000, model: "nova-3", keywords: ["a"] },
      { model: "nova-2", keyterm: ["a"], diarize_model: "bogus" },
    ].flatMap((options) => wording(options as LiveOptions));
    expect(messages.length).toBeGreaterThanOrEqual(5);
    for (const message of messages) {
      expect(message).not.toMatch(/unchecked|: true\b/);
      for (const name of snakeCase) expect(message).not.toMatch(new RegExp(`(?<![-\\w])${name}`));
    }
  });

  it("leaves plain words alone (a model named in prose is not a flag)", () => {
    expect(inFlagTerms("is not supported by Nova-3 models")).toBe("is not supported by Nova-3 models");
    expect(inFlagTerms("pass it through as --x-sample-rate")).toBe("pass it through as --x-sample-rate");
  });
});
