import { describe, expect, it } from "vitest";
import {
  AUDIO_ENCODINGS,
  assertKnownOptions,
  CLIENT_OPTION_NAMES,
  findLiveOptionProblems,
  LISTEN_QUERY_SCHEMA,
  OptionsError,
  REDACT_MODES,
  toListenUrl,
} from "../src/index.ts";

describe("the /v1/listen parameter schema", () => {
  it("lists every known parameter once, with its type and the enums of PROTOCOL.md §2", () => {
    const names = LISTEN_QUERY_SCHEMA.map((parameter) => parameter.name);
    expect(new Set(names).size).toBe(names.length);
    expect(LISTEN_QUERY_SCHEMA.find((p) => p.name === "encoding")).toEqual({
      name: "encoding",
      type: "enum",
      values: AUDIO_ENCODINGS,
    });
    expect(LISTEN_QUERY_SCHEMA.find((p) => p.name === "redact")).toMatchObject({
      type: "boolean-or-enum-list",
      values: REDACT_MODES,
    });
    expect(LISTEN_QUERY_SCHEMA.find((p) => p.name === "sample_rate")).toEqual({
      name: "sample_rate",
      type: "integer",
      min: 1,
    });
    expect(names).toContain("interim_results");
    expect(names).toContain("keyterm");
  });

  it("validation refuses enum values outside the schema (encoding mp3, redact bogus)", () => {
    expect(findLiveOptionProblems({ encoding: "mp3" as never, sample_rate: 16_000 })).toEqual([
      expect.objectContaining({
        option: "encoding",
        message: expect.stringContaining("must be one of linear16"),
      }),
    ]);
    expect(findLiveOptionProblems({ redact: ["pci", "bogus" as never] })).toEqual([
      expect.objectContaining({ option: "redact[1]", message: expect.stringContaining("unchecked") }),
    ]);
    expect(findLiveOptionProblems({ redact: true })).toEqual([]);
  });

  it("unchecked is the escape hatch: sent as given, winning over the same key", () => {
    const options = { encoding: "linear16", sample_rate: 8000, unchecked: { encoding: "newcodec" } } as const;
    expect(findLiveOptionProblems(options)).toEqual([]);
    const url = toListenUrl("ws://127.0.0.1:1", options);
    expect(url.searchParams.getAll("encoding")).toEqual(["newcodec"]);
    expect(url.searchParams.has("unchecked")).toBe(false);
  });
});

describe("unknown client options", () => {
  it("throw OptionsError naming the nearest known option", () => {
    const thrown = (() => {
      try {
        assertKnownOptions({ keepalive: true, url: "ws://127.0.0.1:1" }, CLIENT_OPTION_NAMES);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(OptionsError);
    expect((thrown as OptionsError).problems).toEqual([
      { option: "keepalive", message: "is not a client option; did you mean keepAlive?" },
    ]);
  });

  it("list the known names when nothing is close", () => {
    expect(() => assertKnownOptions({ zzzzzzzzzz: 1 }, ["apiKey"])).toThrow(/known: apiKey/);
    // Plain JavaScript can pass anything: it is named, not crashed on.
    for (const value of [null, "wss://api.deepgram.com", 5, []]) {
      expect(() => assertKnownOptions(value as never, ["apiKey"])).toThrow(
        /options: must be an object of client options/,
      );
    }
  });
});
