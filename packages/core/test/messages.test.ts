import { readFixture, readFixtures } from "@earshot/testkit";
import { describe, expect, it } from "vitest";
import { parseServerMessage, type ResultsMessage, type ServerMessage } from "../src/index.ts";

/** The message fixtures (close frames and handshake errors are not messages: errors tests use them). */
const messageFixtures = readFixtures("messages").filter(
  (fixture) =>
    /^messages\/(Results|Metadata|SpeechStarted|UtteranceEnd)\./.test(fixture.name) &&
    !fixture.name.endsWith(".fragment.json"),
);
const recordedResponses = readFixtures("python-sdk-recorded").filter((fixture) =>
  fixture.name.endsWith(".response.json"),
);

function expectType<T extends ServerMessage["type"]>(
  message: ServerMessage,
  type: T,
): asserts message is Extract<ServerMessage, { type: T }> {
  expect(message.type, message.type === "Unhandled" ? message.reason : "").toBe(type);
}

describe("every recorded server message parses to its type with every field", () => {
  it("finds the fixtures", () => {
    // 19 files: 2 close frames, 1 handshake error and 1 fragment are not whole messages.
    expect(messageFixtures).toHaveLength(15);
    expect(recordedResponses).toHaveLength(4);
  });

  it.each(messageFixtures.map((fixture) => [fixture.name, fixture.text]))("%s", (name, text) => {
    const expectedType = /^messages\/(\w+)\./.exec(name)?.[1] as ServerMessage["type"];
    const message = parseServerMessage(text);
    expectType(message, expectedType);
    expect(message).toEqual(JSON.parse(text));
  });

  it.each(recordedResponses.map((fixture) => [fixture.name, fixture.text]))("%s", (_name, text) => {
    const message = parseServerMessage(text);
    expectType(message, "Results");
    expect(message).toEqual(JSON.parse(text));
    expect(message.is_final).toBe(true);
    expect(message.channel.alternatives.length).toBeGreaterThan(0);
  });

  it("keeps metadata.extra of a Results sent with extra=example:param", () => {
    const fragment = JSON.parse(readFixture("messages/Results.metadata-with-extra.fragment.json")) as {
      metadata: ResultsMessage["metadata"];
    };
    const base = JSON.parse(readFixture("messages/Results.interim-words.capture.json")) as ResultsMessage;
    const full = { ...base, metadata: fragment.metadata };
    const message = parseServerMessage(JSON.stringify(full));
    expectType(message, "Results");
    expect(message.metadata.extra).toEqual({ example: "param" });
    expect(message).toEqual(full);
  });

  it("types the common fields precisely", () => {
    const message = parseServerMessage(readFixture("messages/Results.final-speech_final.capture.json"));
    expectType(message, "Results");
    const [index, total] = message.channel_index;
    expect([index, total]).toEqual([0, 1]);
    expect(typeof message.channel.alternatives[0]?.transcript).toBe("string");
    expect(message.speech_final).toBe(true);
  });
});

describe("known types with extra, optional or missing fields", () => {
  const base = JSON.parse(readFixture("messages/Results.docs-getting-started.json")) as Record<
    string,
    unknown
  >;

  it("keeps fields it does not know", () => {
    const message = parseServerMessage(JSON.stringify({ ...base, brand_new: { x: 1 } }));
    expect(message.type).toBe("Results");
    expect((message as unknown as Record<string, unknown>).brand_new).toEqual({ x: 1 });
  });

  it("fills in from_finalize: false for a server that predates it", () => {
    const { from_finalize: _dropped, ...older } = base;
    const message = parseServerMessage(JSON.stringify(older));
    expectType(message, "Results");
    expect(message.from_finalize).toBe(false);
  });

  it("accepts words with speaker, language and languages, and entities", () => {
    const alternatives = [
      {
        transcript: "call 911",
        confidence: 0.9,
        languages: ["en"],
        words: [
          {
            word: "call",
            start: 0,
            end: 0.3,
            confidence: 0.9,
            speaker: 0,
            speaker_confidence: 0.8,
            language: "en",
          },
        ],
      },
    ];
    const entities = [
      { label: "NUMBER", value: "911", raw_value: "nine one one", confidence: 1, start_word: 1, end_word: 2 },
    ];
    const text = JSON.stringify({ ...base, channel: { alternatives }, entities });
    expect(parseServerMessage(text)).toEqual(JSON.parse(text));
  });

  it("parses Error and Warning messages", () => {
    const error = {
      type: "Error",
      variant: "bad_request",
      description: "Invalid JSON",
      message: "x",
      code: "E1",
    };
    expect(parseServerMessage(JSON.stringify(error))).toEqual(error);
    const warning = { type: "Warning", description: "tier is deprecated" };
    expect(parseServerMessage(JSON.stringify(warning))).toEqual(warning);
  });

  it.each([
    [
      "a missing nested field",
      { ...base, metadata: { request_id: "r", model_uuid: "u" } },
      '"metadata.model_info" is missing',
    ],
    [
      "a mistyped word time",
      {
        ...base,
        channel: {
          alternatives: [
            { transcript: "", confidence: 1, words: [{ word: "a", start: "0", end: 1, confidence: 1 }] },
          ],
        },
      },
      '"channel.alternatives[0].words[0].start" must be a number, not a string',
    ],
    [
      "a bad channel pair",
      { ...base, channel_index: [0] },
      '"channel_index" must be a pair [index, total] of integers, not an array',
    ],
    ["a non-boolean is_final", { ...base, is_final: "true" }, '"is_final" must be a boolean, not a string'],
    [
      "extra that is not string→string",
      { ...base, metadata: { ...(base.metadata as object), extra: { a: 1 } } },
      '"metadata.extra.a" must be a string',
    ],
  ])("turns a Results with %s into Unhandled naming the field", (_what, value, reason) => {
    const text = JSON.stringify(value);
    const message = parseServerMessage(text);
    expectType(message, "Unhandled");
    expect(message.raw).toBe(text);
    expect(message.reason).toContain("Results message: ");
    expect(message.reason).toContain(reason);
    expect(message.data).toEqual(value);
  });

  it.each([
    ['{"type":"Metadata","request_id":"r"}', 'Metadata message: "transaction_key" is missing'],
    ['{"type":"UtteranceEnd","channel":[0,1]}', 'UtteranceEnd message: "last_word_end" is missing'],
    ['{"type":"SpeechStarted","channel":[0,1],"timestamp":null}', '"timestamp" must be a number, not null'],
    ['{"type":"Error","variant":"x"}', 'Error message: "description" is missing'],
    ['{"type":"Warning","description":7}', '"description" must be a string, not a number'],
  ])("names the problem in %s", (text, reason) => {
    const message = parseServerMessage(text);
    expectType(message, "Unhandled");
    expect(message.reason).toContain(reason);
  });
});

describe("never throws", () => {
  it.each([
    ["malformed JSON", "{not json", /^not valid JSON/],
    ["empty text", "", /^not valid JSON/],
    ["an array", "[1,2]", /not a JSON object \(got an array\)/],
    ["null", "null", /not a JSON object \(got null\)/],
    ["a number", "42", /not a JSON object \(got number\)/],
    ["no type", '{"channel":[0,1]}', /no string "type" field/],
    ["a non-string type", '{"type":5}', /no string "type" field/],
    ["an unknown type", '{"type":"BrandNew","x":1}', /unknown message type "BrandNew"/],
    ["a prototype key as type", '{"type":"toString"}', /unknown message type "toString"/],
    ["an Unhandled type sent by the server", '{"type":"Unhandled"}', /unknown message type "Unhandled"/],
  ])("%s → Unhandled with the raw text", (_what, text, reason) => {
    const message = parseServerMessage(text);
    expectType(message, "Unhandled");
    expect(message.raw).toBe(text);
    expect(message.reason).toMatch(reason);
  });

  it("keeps the parsed value of an unknown type for the application", () => {
    const message = parseServerMessage('{"type":"BrandNew","x":1}');
    expectType(message, "Unhandled");
    expect(message.data).toEqual({ type: "BrandNew", x: 1 });
  });

  it("handles a non-string argument from untyped callers", () => {
    const message = parseServerMessage(Buffer.from("{}") as unknown as string);
    expectType(message, "Unhandled");
    expect(message.reason).toBe("expected text, got object");
  });
});
