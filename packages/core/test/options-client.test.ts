import { describe, expect, it } from "vitest";
import {
  type ClientOptions,
  DEFAULT_KEEP_ALIVE_MS,
  handshakeFor,
  isLoopbackHost,
  isResolvedClientOptions,
  OptionsError,
  resolveClientOptions,
} from "../src/index.ts";

const KEY = "dg-key-0123456789abcdef";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
/** An environment with a key, for tests about other options against Deepgram's own host. */
const ENV = { DEEPGRAM_API_KEY: KEY };

function problemsOf(options: ClientOptions, env: Record<string, string | undefined> = {}): string[] {
  try {
    resolveClientOptions(options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionsError);
    return (error as OptionsError).problems.map((problem) => `${problem.option}: ${problem.message}`);
  }
  return [];
}

describe("resolveClientOptions", () => {
  it("fills in the documented defaults", () => {
    const resolved = resolveClientOptions({}, { DEEPGRAM_API_KEY: KEY });
    expect({ ...resolved }).toEqual({
      apiKey: KEY,
      accessToken: undefined,
      url: "wss://api.deepgram.com/",
      allowInsecure: false,
      headers: {},
      authTransport: "header",
      keepAliveIntervalMs: undefined,
      connectTimeoutMs: 10_000,
      finishTimeoutMs: 10_000,
      maxPendingBytes: 8 * 1024 * 1024,
      highWaterMarkBytes: 1024 * 1024,
      maxBufferedBytes: 16 * 1024 * 1024,
      maxMessageBytes: 16 * 1024 * 1024,
      closeTimeoutMs: 1_000,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it("reads the key from DEEPGRAM_API_KEY in the env it is given, and an explicit key wins", () => {
    expect(resolveClientOptions({}, { DEEPGRAM_API_KEY: KEY }).apiKey).toBe(KEY);
    expect(resolveClientOptions({ apiKey: "explicit-key" }, { DEEPGRAM_API_KEY: KEY }).apiKey).toBe(
      "explicit-key",
    );
    expect(
      resolveClientOptions({ url: "ws://127.0.0.1:9" }, { DEEPGRAM_API_KEY: "" }).apiKey,
    ).toBeUndefined();
  });

  it("asks for a key when Deepgram's own service would refuse the connection without one", () => {
    const missing =
      "apiKey: is missing: set the DEEPGRAM_API_KEY environment variable, or pass apiKey or accessToken";
    expect(problemsOf({})).toEqual([missing]);
    expect(problemsOf({ url: "wss://api.eu.deepgram.com" })).toEqual([missing]);
    expect(problemsOf({ accessToken: JWT })).toEqual([]);
    expect(problemsOf({ headers: { Authorization: "Token from-a-vault" } })).toEqual([]);
    expect(problemsOf({ url: "ws://127.0.0.1:9" })).toEqual([]);
    expect(problemsOf({ url: "wss://stt.example.com" })).toEqual([]);
  });

  it("refuses a URL that carries a credential", () => {
    expect(problemsOf({ apiKey: KEY, url: "wss://api.deepgram.com/?api_key=abc&Token=def" })).toEqual([
      "url: must not carry a credential in its query (api_key, Token): pass apiKey or accessToken instead",
    ]);
    expect(problemsOf({ apiKey: KEY, url: `wss://api.deepgram.com/${KEY}/` })).toEqual([
      "url: contains the credential: pass it as apiKey or accessToken only",
    ]);
  });

  it("trims a pasted key's whitespace", () => {
    expect(resolveClientOptions({ apiKey: ` ${KEY}\n` }, {}).apiKey).toBe(KEY);
  });

  it("turns keepAlive into an idle interval", () => {
    expect(resolveClientOptions({ keepAlive: true }, ENV).keepAliveIntervalMs).toBe(DEFAULT_KEEP_ALIVE_MS);
    expect(DEFAULT_KEEP_ALIVE_MS).toBe(4000);
    expect(resolveClientOptions({ keepAlive: 2500 }, ENV).keepAliveIntervalMs).toBe(2500);
    expect(resolveClientOptions({ keepAlive: false }, ENV).keepAliveIntervalMs).toBeUndefined();
  });

  it("maps http(s) to ws(s) and keeps a path", () => {
    expect(resolveClientOptions({ url: "https://api.eu.deepgram.com" }, ENV).url).toBe(
      "wss://api.eu.deepgram.com/",
    );
    expect(resolveClientOptions({ url: new URL("http://localhost:8080/custom") }, {}).url).toBe(
      "ws://localhost:8080/custom",
    );
  });

  it("allows ws:// to loopback hosts only, unless allowInsecure", () => {
    for (const url of [
      "ws://127.0.0.1:1",
      "ws://127.1.2.3",
      "ws://[::1]:9",
      "ws://localhost",
      "ws://dev.localhost",
    ]) {
      expect(resolveClientOptions({ url }, {}).url.startsWith("ws://")).toBe(true);
    }
    expect(problemsOf({ url: "ws://10.0.0.5:8080" })).toEqual([
      "url: ws:// to 10.0.0.5 would send the credential unencrypted: use wss://, or set allowInsecure: true",
    ]);
    expect(problemsOf({ url: "ws://128.0.0.1" })).toHaveLength(1);
    expect(resolveClientOptions({ url: "ws://10.0.0.5:8080", allowInsecure: true }, {}).url).toBe(
      "ws://10.0.0.5:8080/",
    );
  });

  it("returns an already resolved object as it is", () => {
    const resolved = resolveClientOptions({ apiKey: KEY }, {});
    expect(isResolvedClientOptions(resolved)).toBe(true);
    expect(isResolvedClientOptions({ ...resolved })).toBe(false);
    expect(resolveClientOptions(resolved, { DEEPGRAM_API_KEY: "other-key" })).toBe(resolved);
  });

  it("reports every problem at once", () => {
    const options = {
      url: "ftp://user:pw@example.com",
      authTransport: "query",
      keepAlive: -1,
      connectTimeoutMs: 0,
      finishTimeoutMs: Number.NaN,
      maxPendingBytes: 1.5,
      highWaterMarkBytes: "big",
      maxBufferedBytes: 0,
      maxMessageBytes: -1,
      closeTimeoutMs: 2.5,
      headers: { "x-ok": "1", "x-bad": 2 },
      apiKey: 42,
    } as unknown as ClientOptions;
    expect(problemsOf(options)).toEqual([
      'authTransport: must be "header" or "subprotocol", not query',
      "apiKey: must be a string",
      "url: must use wss:// or ws://, not ftp://",
      "url: must not carry a user name or password: pass apiKey or accessToken instead",
      "headers.x-bad: must be a string",
      "keepAlive: must be true, false or an idle interval in ms, not -1",
      "connectTimeoutMs: must be a positive whole number, not 0",
      "finishTimeoutMs: must be a positive whole number, not NaN",
      "maxPendingBytes: must be a positive whole number, not 1.5",
      "highWaterMarkBytes: must be a positive whole number, not big",
      "maxBufferedBytes: must be a positive whole number, not 0",
      "maxMessageBytes: must be a positive whole number, not -1",
      "closeTimeoutMs: must be a positive whole number, not 2.5",
    ]);
  });

  it("keeps maxBufferedBytes at or above the high-water mark", () => {
    expect(problemsOf({ url: "ws://127.0.0.1:9", highWaterMarkBytes: 4096, maxBufferedBytes: 1024 })).toEqual(
      ["maxBufferedBytes: must be at least highWaterMarkBytes (4096), not 1024"],
    );
    // Unset, it follows a high-water mark raised past its default.
    const raised = resolveClientOptions(
      { url: "ws://127.0.0.1:9", highWaterMarkBytes: 32 * 1024 * 1024 },
      {},
    );
    expect(raised.maxBufferedBytes).toBe(32 * 1024 * 1024);
  });

  it("reports a URL that does not parse", () => {
    expect(problemsOf({ url: "not a url" })).toEqual([
      "url: is not a valid URL (expected e.g. wss://api.deepgram.com)",
    ]);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["[::1]", true],
    ["::1", true],
    ["LOCALHOST", true],
    ["a.localhost", true],
    ["localhost.example.com", false],
    ["0.0.0.0", false],
    ["10.0.0.1", false],
    ["api.deepgram.com", false],
  ])("%s → %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe("handshakeFor", () => {
  it("sends the API key as Authorization: Token", () => {
    expect(handshakeFor(resolveClientOptions({ apiKey: KEY, headers: { "x-trace": "1" } }, {}))).toEqual({
      headers: { "x-trace": "1", Authorization: `Token ${KEY}` },
      protocols: [],
    });
  });

  it("sends an access token as Bearer, winning over the key", () => {
    expect(
      handshakeFor(resolveClientOptions({ apiKey: KEY, accessToken: JWT }, {})).headers.Authorization,
    ).toBe(`Bearer ${JWT}`);
  });

  it("replaces a user Authorization header of any case with the credential", () => {
    const { headers } = handshakeFor(
      resolveClientOptions({ apiKey: KEY, headers: { authorization: "Basic x" } }, {}),
    );
    expect(headers).toEqual({ Authorization: `Token ${KEY}` });
  });

  it("offers subprotocols instead, with no Authorization header", () => {
    expect(handshakeFor(resolveClientOptions({ apiKey: KEY, authTransport: "subprotocol" }, {}))).toEqual({
      headers: {},
      protocols: ["token", KEY],
    });
    expect(
      handshakeFor(resolveClientOptions({ accessToken: JWT, authTransport: "subprotocol" }, {})).protocols,
    ).toEqual(["bearer", JWT]);
  });

  it("sends no credential when there is none (a local server without auth)", () => {
    expect(handshakeFor(resolveClientOptions({ url: "ws://127.0.0.1:1" }, {}))).toEqual({
      headers: {},
      protocols: [],
    });
  });
});
