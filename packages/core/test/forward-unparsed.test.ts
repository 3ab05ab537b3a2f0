/**
 * The threaded engine's one parse: its stream hands frames on unparsed (the application thread
 * parses every message anyway), but only frames that mean nothing to the stream, and only while
 * nothing on the engine reads messages (reconnect, diagnostics).
 */
import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLIENT_DIAGNOSTICS_CHANNELS, DIAGNOSTICS_CHANNELS } from "../src/diagnostics.ts";
import { createFluxStream } from "../src/flux/flux-stream.ts";
import { ReconnectingSession } from "../src/reconnect/reconnecting-session.ts";
import { API_KEY, METADATA, RESULTS } from "./session-helpers.ts";
import { startTestServer, type TestServer } from "./session-ws-server.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

interface Heard {
  parsed: string[];
  unparsed: string[];
  error?: string;
}

function hear<M extends { readonly type: string }>(stream: ReconnectingSession<M>): Promise<Heard> {
  const heard: Heard = { parsed: [], unparsed: [] };
  stream.on("message", (message) => heard.parsed.push(message.type));
  stream.on("unparsed", ({ text }) => heard.unparsed.push(text));
  return new Promise((resolve) =>
    stream.on("close", (report) => {
      if (report.error !== undefined) heard.error = report.error.code;
      resolve(heard);
    }),
  );
}

const liveStream = (extra: { reconnect?: boolean; forwardUnparsed?: boolean } = {}) =>
  new ReconnectingSession({
    options: { encoding: "linear16", sample_rate: 16000 },
    client: { url: server.url, apiKey: API_KEY, reconnect: extra.reconnect ?? false },
    ...(extra.forwardUnparsed === undefined ? {} : { forwardUnparsed: extra.forwardUnparsed }),
  });

describe("forwardUnparsed", () => {
  it("/v1/listen: every frame is handed on as its text, none parsed", async () => {
    server.onConnection = (connection) => {
      connection.socket.send(RESULTS);
      connection.socket.send("not json");
      connection.socket.send(METADATA);
      connection.socket.close(1000);
    };
    const stream = liveStream({ forwardUnparsed: true });
    const heard = hear(stream);
    await stream.connect();
    expect(await heard).toEqual({ parsed: [], unparsed: [RESULTS, "not json", METADATA] });
  });

  it("is off by default, and with reconnect (replay and re-basing read every message)", async () => {
    for (const extra of [{}, { reconnect: true, forwardUnparsed: true }]) {
      server.onConnection = (connection) => {
        connection.socket.send(RESULTS);
        connection.socket.send(METADATA);
        connection.socket.close(1000);
      };
      const stream = liveStream(extra);
      const heard = hear(stream);
      await stream.connect();
      expect(await heard).toEqual({ parsed: ["Results", "Metadata"], unparsed: [] });
    }
  });

  it("parses while diagnostics read messages: the client's result diagnostic or the session message channel", async () => {
    for (const channel of [CLIENT_DIAGNOSTICS_CHANNELS.result, DIAGNOSTICS_CHANNELS.message]) {
      const listener = () => {};
      diagnosticsChannel.subscribe(channel, listener);
      try {
        server.onConnection = (connection) => {
          connection.socket.send(RESULTS);
          connection.socket.close(1000);
        };
        const stream = liveStream({ forwardUnparsed: true });
        const heard = hear(stream);
        await stream.connect();
        expect(await heard, channel).toEqual({ parsed: ["Results"], unparsed: [] });
      } finally {
        diagnosticsChannel.unsubscribe(channel, listener);
      }
    }
  });

  it("Flux: TurnInfo is handed on, a fatal Error is parsed and fails the stream", async () => {
    const turn = JSON.stringify({
      type: "TurnInfo",
      event: "StartOfTurn",
      turn_index: 0,
      audio_window_start: 0,
      audio_window_end: 0.4,
      transcript: "hi",
      words: [{ word: "hi", confidence: 0.9 }],
      end_of_turn_confidence: 0.1,
      sequence_id: 1,
    });
    const fatal = JSON.stringify({
      type: "Error",
      code: "INTERNAL",
      description: "it broke",
      sequence_id: 2,
    });
    server.onConnection = (connection) => {
      connection.socket.send(turn);
      connection.socket.send(fatal);
      connection.socket.close(1011);
    };
    const stream = createFluxStream({
      options: { model: "flux-general-en", encoding: "linear16", sample_rate: 16000 },
      client: { url: server.url, apiKey: API_KEY },
      forwardUnparsed: true,
    });
    const heard = hear(stream);
    await stream.connect().catch(() => undefined);
    const { parsed, unparsed, error } = await heard;
    expect(unparsed).toEqual([turn]);
    expect(parsed).toEqual(["Error"]);
    expect(error).toBe("ERR_SERVER_ERROR");
  });
});
