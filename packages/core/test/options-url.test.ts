import { readFixtures } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { type LiveOptions, parseListenQuery, toListenUrl } from "../src/index.ts";

const BASE = "wss://api.deepgram.com";

function query(options: LiveOptions): string {
  return toListenUrl(BASE, options).search;
}

describe("toListenUrl", () => {
  it("adds /v1/listen to a bare base and keeps a base that has a path or a query", () => {
    expect(toListenUrl(BASE, {}).href).toBe("wss://api.deepgram.com/v1/listen");
    expect(toListenUrl("ws://127.0.0.1:1234/", { model: "nova-3" }).href).toBe(
      "ws://127.0.0.1:1234/v1/listen?model=nova-3",
    );
    expect(toListenUrl(new URL("wss://proxy.example/dg/listen?route=a"), { tag: ["x"] }).href).toBe(
      "wss://proxy.example/dg/listen?route=a&tag=x",
    );
  });

  it("writes booleans as true/false and numbers as digits, in key order", () => {
    expect(query({ interim_results: true, punctuate: false, sample_rate: 16000, channels: 2 })).toBe(
      "?interim_results=true&punctuate=false&sample_rate=16000&channels=2",
    );
  });

  it("repeats keys for arrays, never comma-joined", () => {
    expect(query({ keyterm: ["earshot", "Deepgram API"], search: ["a,b"] })).toBe(
      "?keyterm=earshot&keyterm=Deepgram+API&search=a%2Cb",
    );
    const params = toListenUrl(BASE, { keyterm: ["earshot", "Deepgram API"] }).searchParams;
    expect(params.getAll("keyterm")).toEqual(["earshot", "Deepgram API"]);
  });

  it("writes extra as repeated extra=key:value", () => {
    const params = toListenUrl(BASE, { extra: { call_id: "42", note: "a:b" } }).searchParams;
    expect(params.getAll("extra")).toEqual(["call_id:42", "note:a:b"]);
  });

  it("writes endpointing=false, redact=true and a redact list", () => {
    expect(query({ endpointing: false })).toBe("?endpointing=false");
    expect(query({ endpointing: 300 })).toBe("?endpointing=300");
    expect(query({ redact: true })).toBe("?redact=true");
    expect(query({ redact: ["pci", "ssn"] })).toBe("?redact=pci&redact=ssn");
  });

  it("skips undefined and keeps unknown keys as given", () => {
    expect(query({ model: undefined, brand_new: "x", flag: true, level: 3, modes: ["a", 1, false] })).toBe(
      "?brand_new=x&flag=true&level=3&modes=a&modes=1&modes=false",
    );
  });

  it("writes the legacy names", () => {
    expect(
      query({ alternatives: 2, tier: "enhanced", diarize_version: "2021-07-14.0", vad_turnoff: 500 }),
    ).toBe("?alternatives=2&tier=enhanced&diarize_version=2021-07-14.0&vad_turnoff=500");
  });

  it("encodes what needs encoding", () => {
    const url = toListenUrl(BASE, {
      callback: "https://example.com/hook?a=1&b=2",
      replace: ["colour:color"],
    });
    expect(url.searchParams.get("callback")).toBe("https://example.com/hook?a=1&b=2");
    expect(url.searchParams.getAll("replace")).toEqual(["colour:color"]);
  });
});

describe("parseListenQuery", () => {
  it("types values back: booleans, numbers, lists, extra, endpointing=false, unknown keys", () => {
    const { options, problems } = parseListenQuery(
      new URLSearchParams(
        "model=nova-3&interim_results=true&punctuate=false&sample_rate=16000&encoding=linear16&keyterm=a&keyterm=b&extra=k:v&extra=x:1:2&endpointing=false&brand_new=7&free=text&many=1&many=two",
      ),
    );
    expect(problems).toEqual([]);
    expect(options).toEqual({
      model: "nova-3",
      interim_results: true,
      punctuate: false,
      sample_rate: 16000,
      encoding: "linear16",
      keyterm: ["a", "b"],
      extra: { k: "v", x: "1:2" },
      endpointing: false,
      brand_new: 7,
      free: "text",
      many: [1, "two"],
    });
  });

  it("gives a known list an array even for one value, and redact a boolean or a list", () => {
    expect(parseListenQuery(new URLSearchParams("tag=only")).options).toEqual({ tag: ["only"] });
    expect(parseListenQuery(new URLSearchParams("redact=true")).options).toEqual({ redact: true });
    expect(parseListenQuery(new URLSearchParams("redact=pci&redact=ssn")).options).toEqual({
      redact: ["pci", "ssn"],
    });
    expect(parseListenQuery(new URLSearchParams("redact=numbers")).options).toEqual({ redact: ["numbers"] });
  });

  it("reads spaces written as + or %20", () => {
    expect(
      parseListenQuery(new URLSearchParams("keyterm=New+York&keyterm=Los%20Angeles")).options.keyterm,
    ).toEqual(["New York", "Los Angeles"]);
  });

  it("keeps text that only looks like a number in other notations", () => {
    expect(parseListenQuery(new URLSearchParams("a=1e3&b=0x10&c=007&d=")).options).toEqual({
      a: "1e3",
      b: "0x10",
      c: "007",
      d: "",
    });
  });

  it("returns every problem instead of throwing", () => {
    const { options, problems } = parseListenQuery(
      new URLSearchParams(
        "encoding=mulaw&interim_results=yes&channels=two&utterance_end_ms=1000&extra=novalue&endpointing=-5&model=nova-3&keywords=hello:2",
      ),
    );
    expect(problems).toEqual([
      { option: "interim_results", message: 'must be true or false (got "yes")' },
      { option: "channels", message: 'must be a number (got "two")' },
      { option: "extra", message: '"novalue" must be key:value' },
      { option: "endpointing", message: "must not be negative (got -5)" },
      { option: "sample_rate", message: 'is required when encoding is set (encoding is "mulaw")' },
      { option: "utterance_end_ms", message: "requires interim_results: true" },
      {
        option: "keywords",
        message: 'is not supported by Nova-3 models (model is "nova-3"): use keyterm instead',
      },
    ]);
    expect(options).not.toHaveProperty("interim_results");
    expect(options).not.toHaveProperty("channels");
  });

  it("does not refuse a query that carries a credential-looking key (that is the client's rule)", () => {
    expect(parseListenQuery(new URLSearchParams("token=abc")).problems).toEqual([]);
  });

  it("is the inverse of toListenUrl", () => {
    const cases: LiveOptions[] = [
      {},
      {
        model: "nova-3",
        language: "en-US",
        encoding: "linear16",
        sample_rate: 48000,
        channels: 2,
        multichannel: true,
        interim_results: true,
        punctuate: true,
        smart_format: false,
        numerals: true,
        profanity_filter: false,
        dictation: true,
        filler_words: false,
        detect_entities: true,
        mip_opt_out: true,
        diarize: true,
        diarize_model: "latest",
        endpointing: 300,
        utterance_end_ms: 1000,
        vad_events: true,
        no_delay: true,
        keyterm: ["earshot", "New York"],
        redact: ["pci", "numbers", "aggressive_numbers", "ssn"],
        search: ["hello"],
        tag: ["a", "b"],
        replace: ["colour:color"],
        extra: { call_id: "42", url: "https://x/y" },
        callback: "https://example.com/hook?x=1",
        callback_method: "PUT",
        version: "latest",
        alternatives: 2,
        tier: "enhanced",
        diarize_version: "2021-07-14.0",
        vad_turnoff: 500,
        brand_new: true,
        weight: 0.5,
        list: ["a", 2, false],
      },
      { model: "nova-2-phonecall", keywords: ["earshot:2"], endpointing: false, redact: true },
    ];
    for (const options of cases) {
      const url = toListenUrl(BASE, options);
      const parsed = parseListenQuery(url.searchParams);
      expect(parsed.problems).toEqual([]);
      expect(parsed.options).toEqual(options);
      expect(toListenUrl(BASE, parsed.options).href).toBe(url.href);
    }
  });

  it("reads back the options the Python SDK's recorded tests sent", () => {
    const recorded = readFixtures("python-sdk-recorded").filter((fixture) =>
      fixture.name.endsWith(".options.json"),
    );
    expect(recorded).toHaveLength(4);
    for (const fixture of recorded) {
      const options = JSON.parse(fixture.text) as LiveOptions;
      const parsed = parseListenQuery(toListenUrl(BASE, options).searchParams);
      expect(parsed.problems, fixture.name).toEqual([]);
      expect(parsed.options, fixture.name).toEqual(options);
    }
  });
});
