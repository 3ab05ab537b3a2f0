import { inspect } from "node:util";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { readFixture } from "@earshot/testkit";
import { describe, expect, it, vi } from "vitest";
import {
  AbortedError,
  AudioChunkError,
  BufferOverflowError,
  CallbackError,
  ConfigureRejectedError,
  ConnectionClosedError,
  ConnectionError,
  deserializeError,
  EarshotError,
  FluxServerError,
  HandshakeError,
  isEarshotError,
  MessageTooLargeError,
  OptionsError,
  parseDeepgramErrorCode,
  type SerializedEarshotError,
  SlowConsumerError,
  StateError,
  serializeError,
  TimeoutError,
  WorkerExitedError,
} from "../src/index.ts";

const KEY = "0123456789abcdef0123456789abcdef01234567";

interface CloseFrameFixture {
  code: number;
  reason: string;
}

function closeFrame(name: string): CloseFrameFixture {
  return JSON.parse(readFixture(`messages/${name}`)) as CloseFrameFixture;
}

/** Every earshot error kind, once, for the table-driven checks. */
function oneOfEach(): EarshotError[] {
  return [
    new OptionsError([{ option: "sample_rate", message: "required with encoding" }]),
    new AudioChunkError("send() takes bytes"),
    new HandshakeError({
      status: 401,
      errCode: "INVALID_AUTH",
      errMsg: "Invalid credentials.",
      requestId: "r-1",
    }),
    new TimeoutError("ERR_CONNECT_TIMEOUT", 10_000),
    new TimeoutError("ERR_FINISH_TIMEOUT", 5_000),
    new ConnectionError("connect ECONNREFUSED 127.0.0.1:9", { cause: new Error("ECONNREFUSED") }),
    new ConnectionClosedError({
      closeCode: 1011,
      reason: closeFrame("CloseFrame.1011-NET-0001.capture.json").reason,
    }),
    new AbortedError(undefined, { cause: "user pressed stop" }),
    new BufferOverflowError(8 * 1024 * 1024),
    new StateError("send() after finish()"),
    new CallbackError("message", { cause: new TypeError("boom") }),
    new WorkerExitedError(1),
    new SlowConsumerError(1000),
    new MessageTooLargeError(16 * 1024 * 1024),
    new TimeoutError("ERR_REPLY_TIMEOUT", 10_000),
    new FluxServerError({ serverCode: "INTERNAL_SERVER_ERROR", description: "oops", requestId: "r-2" }),
    new FluxServerError({ serverCode: "UNPARSABLE_CLIENT_MESSAGE", description: "KeepAlive" }),
    new ConfigureRejectedError({ serverCode: "INVALID_THRESHOLD", description: "eager above eot" }),
    new EarshotError("ERR_CONNECTION_CLOSED", "base", { closeCode: 4000, dgCode: "X-0001" }),
  ];
}

describe("parseDeepgramErrorCode", () => {
  it("reads the code from the link in the recorded NET-0001 and NET-0000 close reasons", () => {
    expect(parseDeepgramErrorCode(closeFrame("CloseFrame.1011-NET-0001.capture.json").reason)).toBe(
      "NET-0001",
    );
    expect(parseDeepgramErrorCode(closeFrame("CloseFrame.1011-NET-0000.observed.json").reason)).toBe(
      "NET-0000",
    );
  });

  it("reads a spelled-out code such as DATA-0000", () => {
    expect(parseDeepgramErrorCode("DATA-0000: The payload cannot be decoded as audio.")).toBe("DATA-0000");
  });

  it("returns undefined when the reason carries no code", () => {
    expect(parseDeepgramErrorCode("")).toBeUndefined();
    expect(parseDeepgramErrorCode("going away")).toBeUndefined();
  });
});

describe("ConnectionClosedError", () => {
  it("carries closeCode, reason and the parsed dgCode of a recorded NET-0001 close, and is retryable", () => {
    const frame = closeFrame("CloseFrame.1011-NET-0001.capture.json");
    const error = new ConnectionClosedError({
      closeCode: frame.code,
      reason: frame.reason,
      requestId: "req-9",
    });
    expect(error).toMatchObject({
      code: "ERR_CONNECTION_CLOSED",
      closeCode: 1011,
      reason: frame.reason,
      dgCode: "NET-0001",
      requestId: "req-9",
      retryable: true,
    });
    expect(error.message).toContain("keepAlive");
    expect(error.message).toContain("req-9");
  });

  it("treats a recorded NET-0000 server timeout as retryable", () => {
    const frame = closeFrame("CloseFrame.1011-NET-0000.observed.json");
    const error = new ConnectionClosedError({ closeCode: frame.code, reason: frame.reason });
    expect(error.dgCode).toBe("NET-0000");
    expect(error.retryable).toBe(true);
  });

  it("treats 1008 DATA-0000 as permanent and says what to check", () => {
    const error = new ConnectionClosedError({ closeCode: 1008, reason: "DATA-0000: could not decode" });
    expect(error.dgCode).toBe("DATA-0000");
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/encoding, sample_rate and channels/);
  });

  it("treats a 1006 drop as retryable with no dgCode", () => {
    const error = new ConnectionClosedError({ closeCode: 1006, reason: "" });
    expect(error.retryable).toBe(true);
    expect(error.dgCode).toBeUndefined();
    expect(Object.keys(error)).not.toContain("dgCode");
  });
});

describe("HandshakeError", () => {
  it("carries status, dg-error, err_code, err_msg and request id from the recorded 401", () => {
    const fixture = JSON.parse(readFixture("messages/HandshakeError.401.observed.json")) as {
      status: number;
      body: { err_code: string; err_msg: string; request_id: string };
    };
    const error = HandshakeError.fromResponse({
      status: fixture.status,
      statusText: "Unauthorized",
      headers: { "dg-error": fixture.body.err_msg, "content-type": "application/json" },
      body: JSON.stringify(fixture.body),
    });
    expect(error).toMatchObject({
      code: "ERR_HANDSHAKE_REFUSED",
      status: 401,
      statusText: "Unauthorized",
      dgError: "Invalid credentials.",
      errCode: "INVALID_AUTH",
      errMsg: "Invalid credentials.",
      requestId: "019f5990-aa76-7d53-a2ca-a90ec21c5919",
      retryable: false,
    });
    expect(error.message).toContain("HTTP 401");
    expect(error.message).toContain("Check the API key");
    expect(error.message).toContain("019f5990-aa76-7d53-a2ca-a90ec21c5919");
  });

  it("prefers the dg-request-id header and ignores a body that is not JSON", () => {
    const error = HandshakeError.fromResponse({
      status: 502,
      headers: { "dg-request-id": ["hdr-id"] },
      body: "<html>Bad Gateway</html>",
    });
    expect(error.requestId).toBe("hdr-id");
    expect(error.errCode).toBeUndefined();
    expect(error.retryable).toBe(true);
  });

  it.each([
    [400, false],
    [401, false],
    [402, false],
    [403, false],
    [404, false],
    [408, true],
    [429, true],
    [500, true],
    [503, true],
  ])("status %i → retryable %s", (status, retryable) => {
    expect(new HandshakeError({ status }).retryable).toBe(retryable);
  });
});

describe("retryable and codes", () => {
  it("gives each kind its stable code and verdict", () => {
    expect(oneOfEach().map((error) => [error.name, error.code, error.retryable])).toEqual([
      ["OptionsError", "ERR_INVALID_OPTIONS", false],
      ["AudioChunkError", "ERR_INVALID_AUDIO", false],
      ["HandshakeError", "ERR_HANDSHAKE_REFUSED", false],
      ["TimeoutError", "ERR_CONNECT_TIMEOUT", true],
      ["TimeoutError", "ERR_FINISH_TIMEOUT", false],
      ["ConnectionError", "ERR_CONNECTION_FAILED", true],
      ["ConnectionClosedError", "ERR_CONNECTION_CLOSED", true],
      ["AbortedError", "ERR_ABORTED", false],
      ["BufferOverflowError", "ERR_BUFFER_OVERFLOW", false],
      ["StateError", "ERR_INVALID_STATE", false],
      ["CallbackError", "ERR_CALLBACK_FAILED", false],
      ["WorkerExitedError", "ERR_WORKER_EXITED", true],
      ["SlowConsumerError", "ERR_SLOW_CONSUMER", false],
      ["MessageTooLargeError", "ERR_MESSAGE_TOO_LARGE", false],
      ["TimeoutError", "ERR_REPLY_TIMEOUT", false],
      ["FluxServerError", "ERR_SERVER_ERROR", true],
      ["FluxServerError", "ERR_SERVER_ERROR", false],
      ["ConfigureRejectedError", "ERR_CONFIGURE_REJECTED", false],
      ["EarshotError", "ERR_CONNECTION_CLOSED", false],
    ]);
  });

  it("keeps the cause (ES2022)", () => {
    const cause = new TypeError("boom");
    const error = new CallbackError("message", { cause });
    expect(error.cause).toBe(cause);
    expect(error.event).toBe("message");
  });

  it("lists every option problem in the message", () => {
    const error = new OptionsError([
      { option: "sample_rate", message: "is required with encoding" },
      { option: "channels", message: "must be a positive integer" },
    ]);
    expect(error.message).toContain("2 problems");
    expect(error.message).toContain("sample_rate: is required with encoding");
    expect(error.message).toContain("channels: must be a positive integer");
    expect(Object.isFrozen(error.problems)).toBe(true);
  });
});

describe("instanceof across copies and threads", () => {
  it("matches its own class and the base, not a sibling", () => {
    const error = new HandshakeError({ status: 401 });
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error).toBeInstanceOf(EarshotError);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof ConnectionClosedError).toBe(false);
    expect(isEarshotError(error)).toBe(true);
    expect(isEarshotError(new Error("plain"))).toBe(false);
    expect(isEarshotError(null)).toBe(false);
  });

  it("matches errors made by a second copy of the module, both ways", async () => {
    // After resetModules the loader evaluates the sources again: a separate copy of every
    // class, as when two versions of the package sit in node_modules.
    vi.resetModules();
    const copy = await import("../src/errors.ts");
    expect(copy.HandshakeError).not.toBe(HandshakeError);
    const foreign = new copy.HandshakeError({ status: 429 });
    expect(Object.getPrototypeOf(foreign)).not.toBe(HandshakeError.prototype);
    expect(foreign instanceof HandshakeError).toBe(true);
    expect(foreign instanceof EarshotError).toBe(true);
    expect(foreign instanceof ConnectionClosedError).toBe(false);
    expect(isEarshotError(foreign)).toBe(true);
    expect(new HandshakeError({ status: 401 }) instanceof copy.HandshakeError).toBe(true);
    expect(new StateError("x") instanceof copy.EarshotError).toBe(true);
    expect(new StateError("x") instanceof copy.HandshakeError).toBe(false);
  });

  it("matches an error made by another copy of the class (same brand, other prototype)", () => {
    // A second copy of the package: a structurally identical class that is not this one.
    const foreign = Object.create(Error.prototype) as Error;
    Object.defineProperty(foreign, Symbol.for("earshot.error"), { value: "HandshakeError" });
    expect(foreign instanceof HandshakeError).toBe(true);
    expect(foreign instanceof EarshotError).toBe(true);
    expect(foreign instanceof ConnectionClosedError).toBe(false);
    expect(isEarshotError(foreign)).toBe(true);
  });

  it("does not let a user's own subclass claim every branded error of its parent's kind", () => {
    class MyError extends StateError {}
    expect(new StateError("x") instanceof MyError).toBe(false);
    expect(new MyError("x") instanceof MyError).toBe(true);
    expect(new MyError("x") instanceof StateError).toBe(true);
  });

  it("round-trips every kind through serializeError → postMessage → deserializeError", () => {
    const { port1, port2 } = new MessageChannel();
    try {
      for (const original of oneOfEach()) {
        port1.postMessage(serializeError(original));
        const received = receiveMessageOnPort(port2)?.message as SerializedEarshotError;
        const rebuilt = deserializeError(received);
        expect(rebuilt.constructor).toBe(original.constructor);
        expect(rebuilt).toBeInstanceOf(EarshotError);
        expect(serializeError(rebuilt)).toEqual(serializeError(original));
        expect(rebuilt.message).toBe(original.message);
        expect(rebuilt.stack).toBe(original.stack);
      }
    } finally {
      port1.close();
      port2.close();
    }
  });

  it("rebuilds causes: earshot errors as their class, others as plain errors with name and code", () => {
    const inner = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const outer = new AbortedError("stopped", { cause: new ConnectionError("failed", { cause: inner }) });
    const rebuilt = deserializeError(
      JSON.parse(JSON.stringify(serializeError(outer))) as SerializedEarshotError,
    );
    expect(rebuilt.cause).toBeInstanceOf(ConnectionError);
    const rebuiltInner = (rebuilt.cause as ConnectionError).cause as Error & { code?: string };
    expect(rebuiltInner).toBeInstanceOf(Error);
    expect(rebuiltInner.message).toBe("connect ECONNREFUSED");
    expect(rebuiltInner.code).toBe("ECONNREFUSED");
  });

  it("serializes a foreign value as an unexpected error with it as the cause", () => {
    const data = serializeError(new RangeError("out of range"));
    expect(data).toMatchObject({
      code: "ERR_INVALID_STATE",
      message: "Unexpected error: out of range",
      cause: { name: "RangeError", message: "out of range" },
    });
    expect(serializeError("text").cause).toEqual({ name: "string", message: "text" });
  });

  it("JSON.stringify gives the serialized form", () => {
    const error = new BufferOverflowError(1024);
    expect(JSON.parse(JSON.stringify(error))).toEqual(serializeError(error));
  });
});

describe("secrets never shown", () => {
  it("redacts a known key from the message, fields and cause of every kind", () => {
    const secrets = [KEY];
    const cause = new Error(`request failed with header Authorization: Token ${KEY}`);
    const errors = [
      new ConnectionError(`connect failed for ${KEY}`, { cause, secrets }),
      new HandshakeError({ status: 400, errMsg: `bad key ${KEY}`, dgError: `bad ${KEY}`, secrets }),
      new ConnectionClosedError({ closeCode: 1011, reason: `echo ${KEY}`, secrets }),
      new AbortedError(`aborted ${KEY}`, { cause, secrets }),
      new StateError(`state ${KEY}`, { cause, secrets }),
    ];
    for (const error of errors) {
      const shown = [
        error.message,
        String(error.stack),
        inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        JSON.stringify(error),
        JSON.stringify(serializeError(error)),
      ].join("\n");
      expect(shown).not.toContain(KEY);
      expect(shown).toContain("[redacted]");
    }
  });

  it("replaces a cause that holds the key in an object (e.g. request headers), or as text", () => {
    const cause = Object.assign(new Error("socket hang up"), {
      code: "ECONNRESET",
      request: { headers: { authorization: `Token ${KEY}` } },
    });
    const error = new ConnectionError("reset", { cause, secrets: [KEY] });
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(KEY);
    expect((error.cause as Error & { code?: string }).code).toBe("ECONNRESET");
    const plain = new ConnectionError("reset", {
      cause: { headers: { authorization: `Token ${KEY}` } },
      secrets: [KEY],
    });
    expect(inspect(plain, { depth: Number.POSITIVE_INFINITY })).not.toContain(KEY);
    expect(new AbortedError("x", { cause: `stopped ${KEY}`, secrets: [KEY] }).cause).toBe(
      "stopped [redacted]",
    );
  });

  it("keeps a cause that reveals nothing as the same object", () => {
    const cause = new Error("ECONNRESET");
    expect(new ConnectionError("reset", { cause, secrets: [KEY] }).cause).toBe(cause);
  });

  it("rewrites a revealing cause into a redacted copy that keeps its name and code", () => {
    const cause = Object.assign(new TypeError(`bad ${KEY}`), { code: "E_X" });
    const redacted = new ConnectionError("x", { cause, secrets: [KEY] }).cause as Error & { code?: string };
    expect(redacted).not.toBe(cause);
    expect(redacted.name).toBe("TypeError");
    expect(redacted.code).toBe("E_X");
    expect(redacted.message).toBe("bad [redacted]");
  });
});
