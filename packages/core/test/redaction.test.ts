import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  ConnectionError,
  findLiveOptionProblems,
  HandshakeError,
  type LiveOptions,
  OptionsError,
  REDACTED,
  redactSecrets,
  resolveClientOptions,
  serializeError,
  toListenUrl,
} from "../src/index.ts";

const KEY = "5f1c0a7e9b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlYXJzaG90In0.sig-nature_value";

/** Every way a value is commonly shown: console.log, a deep inspect, JSON logs. */
function everyRendering(value: unknown): string {
  return [
    inspect(value),
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect({ nested: { value } }, { depth: Number.POSITIVE_INFINITY }),
    JSON.stringify(value),
    JSON.stringify({ nested: value }),
    String(value),
  ].join("\n");
}

describe("redactSecrets", () => {
  it("replaces every occurrence of each secret", () => {
    expect(redactSecrets(`a ${KEY} b ${KEY}`, [KEY])).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it("hides the longest secret whole when one contains another", () => {
    expect(redactSecrets("abcdefgh", ["abcd", "abcdefgh"])).toBe(REDACTED);
  });

  it("hides Authorization and subprotocol credentials it was not told about", () => {
    expect(redactSecrets("Authorization: Token abc123def", [])).toBe(`Authorization: Token ${REDACTED}`);
    expect(redactSecrets('{"authorization":"Bearer x.y.z"}', [])).toBe(
      `{"authorization":"Bearer ${REDACTED}"}`,
    );
    expect(redactSecrets("Sec-WebSocket-Protocol: token, abc123def", [])).toBe(
      `Sec-WebSocket-Protocol: token, ${REDACTED}`,
    );
    expect(redactSecrets("{ authorization: [ 'Token abc123def' ] }", [])).toBe(
      `{ authorization: [ 'Token ${REDACTED}' ] }`,
    );
  });

  it("ignores undefined and too-short secrets, which would garble ordinary text", () => {
    expect(redactSecrets("a cat sat", [undefined, "", "a", "at"])).toBe("a cat sat");
  });

  it("leaves text without secrets unchanged", () => {
    expect(redactSecrets("connect ECONNREFUSED 127.0.0.1:9", [KEY])).toBe("connect ECONNREFUSED 127.0.0.1:9");
  });
});

describe("resolved client options never show a credential", () => {
  it("in util.inspect, JSON or string form", () => {
    const resolved = resolveClientOptions({ apiKey: KEY, accessToken: JWT, url: "ws://127.0.0.1:9" }, {});
    const shown = everyRendering(resolved);
    expect(shown).not.toContain(KEY);
    expect(shown).not.toContain(JWT);
    expect(inspect(resolved)).toContain(`apiKey: '${REDACTED}'`);
    expect(inspect(resolved)).toContain(`accessToken: '${REDACTED}'`);
    expect(inspect(resolved)).toContain("connectTimeoutMs: 10000");
    // The credential is still there for the handshake.
    expect(resolved.apiKey).toBe(KEY);
  });

  it("from the environment too", () => {
    const resolved = resolveClientOptions({}, { DEEPGRAM_API_KEY: KEY });
    expect(everyRendering(resolved)).not.toContain(KEY);
  });

  it("shows a missing credential as undefined, not as redacted", () => {
    expect(inspect(resolveClientOptions({ url: "ws://127.0.0.1:9" }, {}))).toContain("apiKey: undefined");
  });
});

describe("option errors never show a credential", () => {
  it("when client options are refused", () => {
    let error: unknown;
    try {
      resolveClientOptions(
        { apiKey: KEY, url: `wss://api.deepgram.com/v1/listen/${KEY}`, keepAlive: -1 },
        {},
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OptionsError);
    const shown = everyRendering(error) + JSON.stringify(serializeError(error));
    expect(shown).not.toContain(KEY);
    expect((error as OptionsError).problems.map((problem) => problem.option)).toEqual(["keepAlive", "url"]);
  });

  it("when a credential is put among the live options", () => {
    const problems = findLiveOptionProblems({ token: KEY } as LiveOptions);
    expect(problems).toHaveLength(1);
    expect(JSON.stringify(problems)).not.toContain(KEY);
    expect(everyRendering(new OptionsError(problems))).not.toContain(KEY);
  });

  it("and the listen URL carries none", () => {
    const resolved = resolveClientOptions({ apiKey: KEY }, {});
    expect(toListenUrl(resolved.url, { model: "nova-3" }).href).not.toContain(KEY);
  });
});

describe("connection errors never show a credential", () => {
  it("a refused handshake whose body and headers echo the key", () => {
    const error = HandshakeError.fromResponse({
      status: 401,
      headers: { "dg-error": `Invalid credentials: ${KEY}`, "dg-request-id": "req-1" },
      body: JSON.stringify({
        err_code: "INVALID_AUTH",
        err_msg: `key ${KEY} is not valid`,
        request_id: "req-1",
      }),
      secrets: [KEY],
    });
    expect(everyRendering(error)).not.toContain(KEY);
    expect(error.errMsg).toBe(`key ${REDACTED} is not valid`);
    expect(error.requestId).toBe("req-1");
  });

  it("a socket error whose cause carries the request headers", () => {
    const cause = new Error(`upgrade failed; sent Authorization: Bearer ${JWT}`);
    const error = new ConnectionError("The connection failed.", { cause, secrets: [KEY, JWT] });
    expect(everyRendering(error)).not.toContain(JWT);
    expect(everyRendering(serializeError(error))).not.toContain(JWT);
  });
});
