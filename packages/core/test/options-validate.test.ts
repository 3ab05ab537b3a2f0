import { describe, expect, it } from "vitest";
import {
  EarshotError,
  findLiveOptionProblems,
  type LiveOptions,
  OptionsError,
  validateLiveOptions,
} from "../src/index.ts";

/** Options as an untyped caller (plain JavaScript, parsed JSON) might pass them. */
function untyped(value: Record<string, unknown>): LiveOptions {
  return value as LiveOptions;
}

function caught(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("findLiveOptionProblems", () => {
  it("accepts a complete, correct set", () => {
    expect(
      findLiveOptionProblems({
        model: "nova-3",
        encoding: "linear16",
        sample_rate: 16000,
        channels: 1,
        interim_results: true,
        utterance_end_ms: 1000,
        endpointing: 0,
        keyterm: ["earshot"],
        redact: ["pci"],
        extra: { a: "b" },
        callback_method: "POST",
        something_new: ["x", 1, true],
      }),
    ).toEqual([]);
  });

  it("accepts a custom model id with keyterm, and a non-Nova-3 model with keywords", () => {
    expect(findLiveOptionProblems({ model: "3f0c4c49-custom", keyterm: ["x"] })).toEqual([]);
    expect(findLiveOptionProblems({ model: "nova-2-meeting", keywords: ["x:2"] })).toEqual([]);
  });

  it("requires sample_rate with encoding", () => {
    expect(findLiveOptionProblems({ encoding: "mulaw" })).toEqual([
      { option: "sample_rate", message: 'is required when encoding is set (encoding is "mulaw")' },
    ]);
  });

  it("requires interim_results for utterance_end_ms", () => {
    const problem = { option: "utterance_end_ms", message: "requires interim_results: true" };
    expect(findLiveOptionProblems({ utterance_end_ms: 1000 })).toEqual([problem]);
    expect(findLiveOptionProblems({ utterance_end_ms: 1000, interim_results: false })).toEqual([problem]);
  });

  it("refuses keywords with a Nova-3 model and keyterm with an older one", () => {
    expect(findLiveOptionProblems({ model: "nova-3-medical", keywords: ["a"] })).toEqual([
      {
        option: "keywords",
        message: 'is not supported by Nova-3 models (model is "nova-3-medical"): use keyterm instead',
      },
    ]);
    expect(findLiveOptionProblems({ model: "nova-2", keyterm: ["a"] })).toEqual([
      {
        option: "keyterm",
        message: 'works with Nova-3 models only (model is "nova-2"): use keywords instead',
      },
    ]);
  });

  it.each([
    ["a fraction", { sample_rate: 16000.5 }, "sample_rate", "must be a whole number, not 16000.5"],
    [
      "a negative number",
      { utterance_end_ms: -1, interim_results: true },
      "utterance_end_ms",
      "must not be negative (got -1)",
    ],
    ["zero channels", { channels: 0 }, "channels", "must be at least 1 (got 0)"],
    ["NaN", { sample_rate: Number.NaN }, "sample_rate", "must be a finite number, not NaN"],
    [
      "Infinity",
      { endpointing: Number.POSITIVE_INFINITY },
      "endpointing",
      "must be a finite number, not Infinity",
    ],
    ["endpointing: true", { endpointing: true }, "endpointing", "must be a number, not a boolean"],
    ["a numeric string", { channels: "2" }, "channels", "must be a number, not a string"],
    [
      "a boolean as text",
      { interim_results: "true" },
      "interim_results",
      "must be true or false, not a string",
    ],
    ["a model that is not text", { model: 3 }, "model", "must be a string, not a number"],
    [
      "a bad callback method",
      { callback_method: "PATCH" },
      "callback_method",
      'must be one of POST, GET, PUT, DELETE (got "PATCH"); to send another value anyway, put it in unchecked: { callback_method: ... }',
    ],
    ["a keyterm string", { keyterm: "earshot" }, "keyterm", "must be an array of strings, not a string"],
    ["a non-string keyterm member", { keyterm: ["a", 2] }, "keyterm[1]", "must be a string, not a number"],
    ["a non-string redact member", { redact: ["pci", null] }, "redact[1]", "must be a string, not null"],
    ["extra as a list", { extra: ["a:b"] }, "extra", "must be an object of string values, not an array"],
    ["a non-string extra value", { extra: { n: 1 } }, "extra.n", "must be a string, not a number"],
    [
      "an extra key with a colon",
      { extra: { "a:b": "c" } },
      "extra.a:b",
      'keys must be non-empty and contain no ":" (sent as extra=key:value)',
    ],
    [
      "an unknown key holding an object",
      { brand_new: { a: 1 } },
      "brand_new",
      "must be a string, a finite number, a boolean or an array of them, not an object",
    ],
    [
      "an unknown list with an object",
      { brand_new: ["a", {}] },
      "brand_new[1]",
      "must be a string, a finite number or a boolean, not an object",
    ],
    [
      "an unknown non-finite number",
      { weight: Number.NaN },
      "weight",
      "must be a string, a finite number, a boolean or an array of them, not NaN",
    ],
  ])("reports %s", (_what, options, option, message) => {
    expect(findLiveOptionProblems(untyped(options))).toEqual([{ option, message }]);
  });

  it.each(["token", "key", "api_key", "access_token", "Authorization"])(
    "refuses to put a credential in the URL as %s",
    (key) => {
      const [problem] = findLiveOptionProblems(untyped({ [key]: "secret-value" }));
      expect(problem?.option).toBe(key);
      expect(problem?.message).toMatch(/credentials never go in the URL/);
      expect(JSON.stringify(problem)).not.toContain("secret-value");
    },
  );

  it("ignores undefined values", () => {
    expect(findLiveOptionProblems({ model: undefined, encoding: undefined, keyterm: undefined })).toEqual([]);
  });

  it("reports a non-object", () => {
    expect(findLiveOptionProblems(null as unknown as LiveOptions)).toEqual([
      { option: "options", message: "must be an object, not null" },
    ]);
  });
});

describe("validateLiveOptions", () => {
  it("returns quietly for good options", () => {
    expect(() => validateLiveOptions({ model: "nova-3", interim_results: true })).not.toThrow();
  });

  it("reports EVERY problem at once in one OptionsError", () => {
    const options = untyped({
      model: "nova-3",
      encoding: "linear16",
      channels: -2,
      endpointing: 1.5,
      utterance_end_ms: 1000,
      keywords: ["a"],
      keyterm: ["ok", 7],
      punctuate: "yes",
      smart_format: Number.POSITIVE_INFINITY,
      extra: { id: 9 },
    });
    const error = caught(() => validateLiveOptions(options));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toBeInstanceOf(EarshotError);
    const { problems, code, message } = error as OptionsError;
    expect(code).toBe("ERR_INVALID_OPTIONS");
    expect(problems.map((problem) => problem.option)).toEqual([
      "channels",
      "endpointing",
      "keyterm[1]",
      "punctuate",
      "smart_format",
      "extra.id",
      "sample_rate",
      "utterance_end_ms",
      "keywords",
    ]);
    expect(message).toContain("9 problems");
    for (const problem of problems) expect(message).toContain(`${problem.option}: ${problem.message}`);
  });
});
