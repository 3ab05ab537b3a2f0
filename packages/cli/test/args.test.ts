/** `earshot listen` flags → LiveOptions and run settings (no process, no socket). */
import { LISTEN_QUERY_SCHEMA, type ListenParameter } from "@earshot/core";
import { describe, expect, it } from "vitest";
import { extractPassThrough, parseListenArgs } from "../src/args.ts";
import { queryFlags } from "../src/query-flags.ts";
import { listenUsage } from "../src/usage.ts";
import { UsageError } from "../src/usage-error.ts";

describe("parseListenArgs", () => {
  it("maps LiveOptions flags to query parameters, repeatable ones to arrays", () => {
    const args = parseListenArgs([
      "talk.wav",
      "--model",
      "nova-3",
      "--language",
      "en-US",
      "--interim-results",
      "--smart-format",
      "--punctuate",
      "--diarize",
      "--vad-events",
      "--multichannel",
      "--channels",
      "2",
      "--endpointing",
      "300",
      "--utterance-end-ms",
      "1000",
      "--keyterm",
      "earshot",
      "--keyterm",
      "pocketsphinx",
      "--keywords",
      "deepgram:2",
      "--tag",
      "cli",
      "--extra",
      "run:42",
      "--extra",
      "who:me",
    ]);
    expect(args.input).toBe("talk.wav");
    expect(args.options).toEqual({
      model: "nova-3",
      language: "en-US",
      interim_results: true,
      smart_format: true,
      punctuate: true,
      diarize: true,
      vad_events: true,
      multichannel: true,
      channels: 2,
      endpointing: 300,
      utterance_end_ms: 1000,
      keyterm: ["earshot", "pocketsphinx"],
      keywords: ["deepgram:2"],
      tag: ["cli"],
      extra: { run: "42", who: "me" },
    });
  });

  it("passes unknown --x-<name> parameters through, repeated ones as arrays", () => {
    const args = parseListenArgs(["-", "--x-foo", "bar", "--x-new-thing=007", "--x-foo", "baz"]);
    expect(args.input).toBe("-");
    expect(args.options).toEqual({ foo: ["bar", "baz"], new_thing: "007" });
  });

  it("types pass-through values like the options they name", () => {
    const args = parseListenArgs([
      "a.wav",
      "--x-alternatives",
      "2",
      "--x-dictation",
      "true",
      "--x-tag",
      "one",
      "--x-extra",
      "a:1",
      "--extra",
      "b:2",
    ]);
    expect(args.options).toEqual({
      alternatives: 2,
      dictation: true,
      tag: ["one"],
      extra: { a: "1", b: "2" },
    });
  });

  it("takes --no-<flag>, --endpointing false and --redact lists", () => {
    const args = parseListenArgs([
      "a.wav",
      "--no-interim-results",
      "--endpointing",
      "false",
      "--redact",
      "pci",
      "--redact",
      "ssn",
    ]);
    expect(args.options).toEqual({ interim_results: false, endpointing: false, redact: ["pci", "ssn"] });
    expect(parseListenArgs(["a.wav", "--redact", "true"]).options.redact).toBe(true);
  });

  it("defaults: async face, pacing left to the output, embedded pocketsphinx", () => {
    const args = parseListenArgs(["a.wav"]);
    expect(args).toMatchObject({
      face: "async",
      pacing: undefined,
      speed: 1,
      json: false,
      mic: false,
      url: undefined,
      engine: "pocketsphinx",
      inputTimeoutMs: 10_000,
      subtitles: undefined,
      stats: false,
    });
    expect(parseListenArgs(["a.wav", "--vtt", "-", "--stats", "--input-timeout", "2.5"])).toMatchObject({
      subtitles: { format: "vtt", path: "-" },
      stats: true,
      inputTimeoutMs: 2500,
    });
    expect(parseListenArgs(["a.wav", "--url", "ws://localhost:8080"]).url).toBe("ws://localhost:8080");
  });

  it("face, pacing, output and connection flags", () => {
    expect(parseListenArgs(["a.wav", "--threaded", "--fast", "--json"])).toMatchObject({
      face: "threaded",
      pacing: "fast",
      json: true,
    });
    expect(parseListenArgs(["a.wav", "--speed", "2.5"])).toMatchObject({ pacing: "realtime", speed: 2.5 });
    expect(parseListenArgs(["--mic", "--url", "wss://example.com"])).toMatchObject({
      mic: true,
      input: undefined,
      url: "wss://example.com",
    });
    expect(parseListenArgs(["--mic-command", "cat x.raw"])).toMatchObject({
      mic: true,
      micCommand: "cat x.raw",
    });
  });

  it.each([
    [["a.wav", "--bogus"], /Unknown option '--bogus'/],
    [["a.wav", "--sample-rate", "16k"], /--sample-rate must be a positive integer, got '16k'/],
    [["a.wav", "--channels", "0"], /--channels must be a positive integer/],
    [["a.wav", "--endpointing", "soon"], /--endpointing must be milliseconds of silence or 'false'/],
    [["a.wav", "--extra", "novalue"], /--extra must be key:value/],
    [["a.wav", "--threaded", "--async"], /choose one of --threaded and --async/],
    [["a.wav", "--fast", "--realtime"], /choose one of --realtime and --fast/],
    [["a.wav", "--speed", "0"], /--speed must be a positive number/],
    [["a.wav", "--fast", "--speed", "2"], /cannot go with --fast/],
    [[], /listen needs an input/],
    [["a.wav", "b.wav"], /listen takes one input, got 2/],
    [["a.wav", "--mic"], /either an input or --mic/],
    [["a.wav", "--x-foo"], /--x-foo needs a value/],
    [["a.wav", "--engine", "bogus"], /--engine must be one of .*scripted.*, got 'bogus'/],
    [
      ["a.wav", "--url", "ws://example.com:8080"],
      /--url ws:\/\/example.com:8080: unencrypted ws:\/\/ is allowed only to this machine .* use wss:\/\/example.com:8080/,
    ],
    [["a.wav", "--url", "ftp://example.com"], /--url must start with wss:\/\//],
    [["a.wav", "--url", "not a url"], /--url must be a URL/],
    [["a.wav", "--input-timeout", "soon"], /--input-timeout must be a positive number of seconds/],
    [["a.wav", "--srt", "a.srt", "--vtt", "a.vtt"], /choose one of --srt and --vtt/],
    [["a.wav", "--srt", "-", "--json"], /--json and subtitles on stdout/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseListenArgs(argv)).toThrow(UsageError);
    expect(() => parseListenArgs(argv)).toThrow(message);
  });

  it("--help needs no input", () => {
    expect(parseListenArgs(["--help"]).help).toBe(true);
  });
});

/** A value of the parameter's type, as typed on the command line and as it should parse. */
function sample(parameter: ListenParameter): { argv: string[]; parsed: unknown } {
  const flag = `--${parameter.name.replaceAll("_", "-")}`;
  const first = parameter.values?.[0] ?? "x";
  switch (parameter.type) {
    case "boolean":
      return { argv: [flag], parsed: true };
    case "integer":
      return { argv: [flag, "7"], parsed: 7 };
    case "integer-or-false":
      return { argv: [flag, "false"], parsed: false };
    case "boolean-or-enum-list":
      return { argv: [flag, first], parsed: [first] };
    case "record":
      return { argv: [flag, "k:v"], parsed: { k: "v" } };
    case "string-list":
    case "enum-list":
      return { argv: [flag, first, flag, first], parsed: [first, first] };
    default:
      return { argv: [flag, first], parsed: first };
  }
}

describe("query flags from core's schema", () => {
  it("one flag per /v1/listen parameter, no more, no fewer", () => {
    const fromSchema = LISTEN_QUERY_SCHEMA.map((parameter) => parameter.name.replaceAll("_", "-")).sort();
    expect(Object.keys(queryFlags).sort()).toEqual(fromSchema);
    // The ones the CLI used to miss.
    for (const flag of ["dictation", "detect-entities", "mip-opt-out", "diarize-model"])
      expect(fromSchema).toContain(flag);
  });

  it.each(LISTEN_QUERY_SCHEMA.map((parameter) => [parameter.name, parameter] as const))(
    "--%s parses to its query parameter and is in the help",
    (name, parameter) => {
      const { argv, parsed } = sample(parameter);
      expect(parseListenArgs(["a.wav", ...argv]).options[name]).toEqual(parsed);
      expect(listenUsage).toContain(`--${name.replaceAll("_", "-")}`);
    },
  );
});

describe("extractPassThrough", () => {
  it("leaves everything after -- alone", () => {
    expect(extractPassThrough(["--x-a", "1", "--", "--x-b", "2"])).toEqual({
      rest: ["--", "--x-b", "2"],
      passThrough: { a: ["1"] },
    });
  });
});
