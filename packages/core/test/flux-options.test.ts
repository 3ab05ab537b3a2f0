import { describe, expect, it } from "vitest";
import {
  type FluxOptions,
  findFluxOptionProblems,
  OptionsError,
  parseFluxQuery,
  toFluxUrl,
  validateFluxOptions,
} from "../src/index.ts";

const base: FluxOptions = { model: "flux-general-en", encoding: "linear16", sample_rate: 16000 };

describe("FluxOptions → the /v2/listen URL", () => {
  it("adds the path, repeats list keys and keeps unknown keys", () => {
    const url = toFluxUrl("wss://api.deepgram.com", {
      ...base,
      eager_eot_threshold: 0.5,
      keyterm: ["earshot", "Flux"],
      tag: "a",
      some_new_flag: true,
    });
    expect(url.pathname).toBe("/v2/listen");
    expect(url.searchParams.getAll("keyterm")).toEqual(["earshot", "Flux"]);
    expect(url.searchParams.get("eager_eot_threshold")).toBe("0.5");
    expect(url.searchParams.get("some_new_flag")).toBe("true");
  });

  it("round-trips through the server's parser", () => {
    const options: FluxOptions = {
      model: "flux-general-multi",
      encoding: "mulaw",
      sample_rate: 8000,
      eot_threshold: 0.8,
      eager_eot_threshold: 0.4,
      eot_timeout_ms: 3000,
      keyterm: ["a"],
      language_hint: ["en", "pt-BR"],
      numerals: true,
      redact: ["numbers"],
      tag: ["t"],
    };
    const { options: parsed, problems } = parseFluxQuery(toFluxUrl("ws://x", options).searchParams);
    expect(problems).toEqual([]);
    expect(parsed).toEqual(options);
  });
});

describe("Flux options are checked before connecting, ranges included", () => {
  it("accepts the documented values at both ends of each range", () => {
    for (const [eot, eager, timeout] of [
      [0.5, 0.3, 500],
      [1, 0.9, 60_000],
    ] as const) {
      expect(
        findFluxOptionProblems({
          ...base,
          eot_threshold: eot,
          eager_eot_threshold: eager,
          eot_timeout_ms: timeout,
        }),
      ).toEqual([]);
    }
    for (const rate of [8000, 16000, 24000, 44100, 48000]) {
      expect(findFluxOptionProblems({ ...base, sample_rate: rate })).toEqual([]);
    }
    expect(findFluxOptionProblems({ model: "flux-general-en" })).toEqual([]); // containerised audio
  });

  it("reports every problem at once, naming the option and what to do", () => {
    const problems = findFluxOptionProblems({
      model: "flux",
      encoding: "flac" as never,
      eot_threshold: 0.45,
      eager_eot_threshold: 0.95,
      eot_timeout_ms: 499.5,
      keyterm: ["ok", ""],
      redact: ["pci" as never],
      numerals: "yes" as never,
      language_hint: ["en"],
      token: "secret",
    });
    const byOption = Object.fromEntries(problems.map((problem) => [problem.option, problem.message]));
    expect(byOption.model).toContain("flux-general-en");
    expect(byOption.encoding).toContain("linear16");
    expect(byOption.eot_threshold).toBe("must be between 0.5 and 1 (got 0.45)");
    expect(byOption.eager_eot_threshold).toBe("must be between 0.3 and 0.9 (got 0.95)");
    expect(byOption.eot_timeout_ms).toBe("must be a whole number, not 499.5");
    expect(byOption["keyterm[1]"]).toBe("must not be empty");
    expect(byOption.redact).toContain("numbers, aggressive_numbers");
    expect(byOption.numerals).toContain("true or false");
    expect(byOption.language_hint).toContain("flux-general-multi only");
    expect(byOption.token).toContain("credentials never go in the URL");
  });

  it("needs a model, a sample_rate with an encoding, and eager ≤ eot (the default 0.7 when unset)", () => {
    const options = { encoding: "linear16", eager_eot_threshold: 0.8 } as unknown as FluxOptions;
    expect(findFluxOptionProblems(options).map((problem) => problem.option)).toEqual([
      "model",
      "sample_rate",
      "eager_eot_threshold",
    ]);
    expect(findFluxOptionProblems({ ...base, eager_eot_threshold: 0.8, eot_threshold: 0.9 })).toEqual([]);
    expect(findFluxOptionProblems({ ...base, model: "nova-3" })[0]?.message).toContain("not a Flux model");
  });

  it("validateFluxOptions throws one OptionsError", () => {
    expect(() => validateFluxOptions({ ...base, sample_rate: 11025 })).toThrow(OptionsError);
    expect(() => validateFluxOptions(base)).not.toThrow();
  });

  it("the server's parser reports unreadable values without throwing", () => {
    const { problems } = parseFluxQuery(
      new URLSearchParams("model=flux-general-en&eot_threshold=high&numerals=1"),
    );
    expect(problems.map((problem) => problem.option)).toEqual(["eot_threshold", "numerals"]);
    const missing = parseFluxQuery(new URLSearchParams("language_hint="));
    expect(missing.problems.map((problem) => problem.option)).toEqual([
      "model",
      "language_hint[0]",
      "language_hint",
    ]);
  });
});
