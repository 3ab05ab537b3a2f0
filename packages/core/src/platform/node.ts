/**
 * Core's runtime services in Node: sockets from the `ws` package (headers, the handshake
 * response, write callbacks), `node:diagnostics_channel`, process warnings and `util.inspect`.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { inspect } from "node:util";
import { readRefusal } from "../session/handshake.ts";
import { createSocket, rawDataToText, requestIdOf, socketSink } from "../session/socket.ts";
import type { Platform, SessionSocket } from "./types.ts";

export type {
  DiagnosticsChannel,
  DiagnosticsListener,
  SessionSocket,
  SocketEvents,
  SocketLimits,
} from "./types.ts";

export const platform: Platform = {
  handshakeHeaders: true,

  openSocket(url, handshake, secrets, events, limits): SessionSocket {
    const ws = createSocket(url, handshake, limits, (code, reason) => events.close(code, reason));
    let refusal: { cut(): void } | undefined;
    // The upgraded TCP socket ws writes to (the public way to it is the upgrade's response).
    let tcp: Socket | undefined;
    let corked = false;
    const uncork = (): void => {
      corked = false;
      tcp?.uncork();
    };
    /**
     * Frames written in one tick of the event loop go to the kernel in one write at its end (the
     * cork-until-next-tick idiom of Node's stream docs): a burst of 20 ms audio frames, as the
     * threaded engine or sendFrom() moves them, then costs one system call, not one each.
     * Measured with `pnpm bench --only send`: the threaded face 1.34× → 0.43× raw ws's time.
     */
    const corkThisTick = (): void => {
      if (corked || tcp === undefined) return;
      corked = true;
      tcp.cork();
      process.nextTick(uncork);
    };
    ws.on("upgrade", (response) => {
      tcp = response.socket;
      const id = requestIdOf(response);
      if (id !== undefined) events.requestId(id);
    });
    ws.on("unexpected-response", (_request, response) => {
      const id = requestIdOf(response);
      if (id !== undefined) events.requestId(id);
      refusal = readRefusal(response, secrets, (error) => events.refused(error));
    });
    ws.on("open", () => events.open());
    ws.on("message", (data) => events.message(rawDataToText(data)));
    ws.on("error", (error) => events.error(error));
    ws.on("close", (code, reason) => events.close(code, reason.toString("utf8")));
    return {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      sink(highWaterMark, waiting) {
        const frames = socketSink(ws, highWaterMark, waiting);
        return {
          write(data, done) {
            corkThisTick();
            frames.write(data, done);
          },
        };
      },
      cutRefusal() {
        if (refusal === undefined) return false;
        refusal.cut();
        return true;
      },
      ping() {
        // ws throws when the socket is not open; a ping is pointless then anyway.
        if (ws.readyState === ws.OPEN) ws.ping();
      },
      // terminate() destroys the TCP socket at once (while connecting it aborts the request);
      // ws then emits "close".
      terminate: () => ws.terminate(),
      pause: () => ws.pause(),
      resume: () => ws.resume(),
      detach() {
        ws.removeAllListeners();
        // A late error from a socket already closed must not become an uncaught exception.
        ws.on("error", () => {});
      },
    };
  },

  diagnosticsChannel: (name) => diagnosticsChannel.channel(name),

  emitWarning: (error) => process.emitWarning(error),

  environment: () => process.env,

  inspectDeep: (value) => inspect(value, { depth: 6, showHidden: false, customInspect: false }),
};
