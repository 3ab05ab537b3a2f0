import diagnosticsChannel from "node:diagnostics_channel";
import { ManualClock } from "@earshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DIAGNOSTICS_CHANNELS,
  type SessionCloseDiagnostic,
  type SessionMessageDiagnostic,
  type SessionOpenDiagnostic,
} from "../src/diagnostics.ts";
import { CallbackError } from "../src/errors.ts";
import { LiveSession } from "../src/session.ts";
import { API_KEY, closeOf, METADATA, RESULTS } from "./session-helpers.ts";
import { startTestServer, type TestServer } from "./session-ws-server.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function session(clock?: ManualClock): LiveSession {
  return new LiveSession({
    options: {},
    client: { url: server.url, apiKey: API_KEY },
    ...(clock ? { clock } : {}),
  });
}

describe("LiveSession events", () => {
  it("delivers every message with its receive time and raw text, unknown types as Unhandled", async () => {
    server.onConnection = (connection) => {
      connection.socket.send(RESULTS);
      connection.socket.send('{"type":"Surprise","x":1}');
      connection.socket.send("not json");
      connection.socket.send(METADATA);
      connection.socket.close(1000);
    };
    const clock = new ManualClock(1_000_000);
    const s = session(clock);
    const received: Array<{ type: string; receivedAt: number; text: string }> = [];
    s.on("message", (message, info) => received.push({ type: message.type, ...info }));
    const closed = closeOf(s);
    await s.connect();
    await closed;
    expect(received.map((m) => m.type)).toEqual(["Results", "Unhandled", "Unhandled", "Metadata"]);
    expect(received[1]?.text).toBe('{"type":"Surprise","x":1}');
    expect(received.every((m) => m.receivedAt === clock.now())).toBe(true);
  });

  it("keeps going when a listener throws, reporting a CallbackError to listenerError", async () => {
    server.onConnection = (connection) => {
      connection.socket.send(RESULTS);
      connection.socket.send(RESULTS);
      connection.socket.close(1000);
    };
    const s = session();
    const failures: CallbackError[] = [];
    let seen = 0;
    s.on("listenerError", (error) => failures.push(error));
    s.on("message", () => {
      throw new Error("user bug");
    });
    s.on("message", () => seen++);
    s.on("open", () => {
      throw new Error("open bug");
    });
    const closed = closeOf(s);
    await s.connect();
    const report = await closed;
    expect(seen).toBe(2);
    expect(report.code).toBe(1000);
    expect(failures.map((f) => f.event)).toEqual(["open", "message", "message"]);
    expect(failures[0]).toBeInstanceOf(CallbackError);
    expect(failures[1]?.cause).toEqual(new Error("user bug"));
  });

  it("turns a throwing listener into a process warning when nobody listens for listenerError", async () => {
    server.onConnection = (connection) => connection.socket.close(1000);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const s = session();
      s.on("close", () => {
        throw new Error("close bug");
      });
      await s.connect();
      for (let i = 0; i < 200 && warnings.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toBeInstanceOf(CallbackError);
      expect((warnings[0] as CallbackError).event).toBe("close");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("emits close exactly once even when abort() races a server close", async () => {
    server.onConnection = (connection) => connection.socket.close(1000);
    const s = session();
    let closes = 0;
    s.on("close", () => closes++);
    const closed = closeOf(s);
    await s.connect();
    s.abort();
    s.abort();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closes).toBe(1);
  });

  it("publishes open, message and close on diagnostics channels while subscribed", async () => {
    server.onConnection = (connection) => {
      connection.socket.send(METADATA);
      connection.socket.close(1000);
    };
    const seen: Array<[string, unknown]> = [];
    const handlers = Object.entries(DIAGNOSTICS_CHANNELS).map(([name, channel]) => {
      const handler = (data: unknown) => seen.push([name, data]);
      diagnosticsChannel.subscribe(channel, handler);
      return [channel, handler] as const;
    });
    try {
      const s = session();
      const closed = closeOf(s);
      await s.connect();
      await closed;
      expect(seen.map(([name]) => name)).toEqual(["open", "message", "close"]);
      const open = seen[0]?.[1] as SessionOpenDiagnostic;
      expect(open.session).toBe(s);
      expect(open.requestId).toBe("11111111-2222-3333-4444-555555555555");
      expect(open.url).not.toContain(API_KEY);
      const message = seen[1]?.[1] as SessionMessageDiagnostic;
      expect(message.message.type).toBe("Metadata");
      expect(typeof message.receivedAt).toBe("number");
      const close = seen[2]?.[1] as SessionCloseDiagnostic;
      expect(close.report.code).toBe(1000);
    } finally {
      for (const [channel, handler] of handlers) diagnosticsChannel.unsubscribe(channel, handler);
    }
  });

  it("leaves no listener behind on the signal after close", async () => {
    const controller = new AbortController();
    const added: string[] = [];
    const removed: string[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((
      type: string,
      ...rest: Parameters<typeof add> extends [string, ...infer R] ? R : never
    ) => {
      added.push(type);
      return add(type, ...rest);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((
      type: string,
      ...rest: Parameters<typeof remove> extends [string, ...infer R] ? R : never
    ) => {
      removed.push(type);
      return remove(type, ...rest);
    }) as typeof signal.removeEventListener;
    server.onConnection = (connection) => connection.socket.close(1000);
    const s = session();
    const closed = closeOf(s);
    await s.connect({ signal });
    await closed;
    expect(added).toEqual(["abort"]);
    expect(removed).toEqual(["abort"]);
  });
});
