/**
 * Core's runtime services in a web page: the platform's `WebSocket` (credentials as
 * subprotocols, since a page cannot set handshake headers; backpressure read from
 * `bufferedAmount`), an in-page diagnostics channel, `console.warn` for warnings. Nothing here
 * imports a Node built-in, and nothing reads `process` or `Buffer`.
 */
import type { DiagnosticsChannel, DiagnosticsListener, Platform, SessionSocket } from "./types.ts";

export type {
  DiagnosticsChannel,
  DiagnosticsListener,
  SessionSocket,
  SocketEvents,
  SocketLimits,
} from "./types.ts";

/** The WHATWG `WebSocket`, as far as a session uses it (declared here: core builds without the DOM lib). */
interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  onopen: (() => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onerror: (() => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
  send(data: string | ArrayBufferView): void;
  close(): void;
}
type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

const OPEN = 1;
/** How often a session waiting for the send buffer to drain re-reads `bufferedAmount`: the browser has no drain event. */
const DRAIN_POLL_MS = 10;
/** What `close` reports after `terminate()`, as `ws` does: the connection ended without a close frame from the server. */
const ABNORMAL_CLOSURE = 1006;

const utf8 = new TextDecoder();

function textOf(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return utf8.decode(new Uint8Array(data));
  if (ArrayBuffer.isView(data))
    return utf8.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return String(data);
}

function webSocketConstructor(): WebSocketConstructor {
  const ctor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (ctor === undefined) throw new TypeError("this runtime has no global WebSocket");
  return ctor;
}

function openSocket(
  url: URL,
  protocols: string[],
  events: Parameters<Platform["openSocket"]>[3],
  maxMessageBytes: number,
): SessionSocket {
  const ws = new (webSocketConstructor())(url.href, protocols);
  ws.binaryType = "arraybuffer";
  let detached = false;
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  const detach = (): void => {
    detached = true;
    clearTimeout(drainTimer);
    drainTimer = undefined;
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
  };
  ws.onopen = () => events.open();
  ws.onmessage = (event) => {
    const text = textOf(event.data);
    // The browser has already buffered it; refusing it still keeps it from the application.
    if (text.length > maxMessageBytes) {
      events.error(
        Object.assign(new RangeError("Max payload size exceeded"), {
          code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH",
        }),
      );
      return;
    }
    events.message(text);
  };
  // The event carries no detail by design (a refused upgrade looks like an unreachable host).
  ws.onerror = () =>
    events.error(
      new Error(
        "the browser reported a WebSocket error (it gives no reason: a refused upgrade looks the same)",
      ),
    );
  ws.onclose = (event) => events.close(event.code, event.reason);
  return {
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    sink(highWaterMark, waiting) {
      // Polls only while the buffer is at the mark or someone waits for it to drain.
      const poll = (done: () => void): void => {
        drainTimer = setTimeout(() => {
          drainTimer = undefined;
          if (detached || ws.readyState !== OPEN) return;
          done();
          if (waiting() || ws.bufferedAmount >= highWaterMark) poll(done);
        }, DRAIN_POLL_MS);
      };
      return {
        write(data, done) {
          ws.send(data);
          if (drainTimer === undefined && (waiting() || ws.bufferedAmount >= highWaterMark)) poll(done);
        },
      };
    },
    cutRefusal: () => false,
    // A browser's WebSocket cannot stop reading: the application's own bounds apply instead.
    pause: () => {},
    resume: () => {},
    // A page cannot send ping frames: a Flux stream in a browser stays open by sending audio.
    ping: () => {},
    terminate() {
      // close() would wait for the server's close frame; like ws's terminate(), this ends the
      // session now and reports the close itself, on a later microtask as an event would come.
      detach();
      ws.close();
      queueMicrotask(() => events.close(ABNORMAL_CLOSURE, ""));
    },
    detach,
  };
}

/** A diagnostics channel that lives in the page (subscribers are called synchronously, in order). */
class PageChannel implements DiagnosticsChannel {
  readonly #listeners = new Set<DiagnosticsListener>();
  constructor(readonly name: string) {}

  get hasSubscribers(): boolean {
    return this.#listeners.size > 0;
  }

  publish(message: unknown): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(message, this.name);
      } catch (error) {
        // As in Node: a subscriber's error surfaces as an uncaught error, not in the publisher.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  subscribe(listener: DiagnosticsListener): void {
    this.#listeners.add(listener);
  }

  unsubscribe(listener: DiagnosticsListener): boolean {
    return this.#listeners.delete(listener);
  }
}

const channels = new Map<string, PageChannel>();

/** Every string reachable from `value` (own properties, Map/Set entries, an Error's message and stack), `depth` levels deep. */
function inspectDeep(value: unknown, depth = 6): string {
  const parts: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (item: unknown, level: number): void => {
    if (typeof item !== "object" || item === null) {
      if (typeof item !== "function") parts.push(String(item));
      return;
    }
    if (seen.has(item) || level > depth) return;
    seen.add(item);
    if (item instanceof Error) parts.push(item.name, item.message, item.stack ?? "");
    if (item instanceof Map || item instanceof Set) {
      for (const entry of item) walk(entry, level + 1);
    }
    for (const key of Object.getOwnPropertyNames(item)) {
      parts.push(key);
      try {
        walk((item as Record<string, unknown>)[key], level + 1);
      } catch {
        // A throwing getter shows nothing, as in a debugger.
      }
    }
  };
  walk(value, 0);
  return parts.join("\n");
}

export const platform: Platform = {
  handshakeHeaders: false,

  openSocket(url, handshake, _secrets, events, limits) {
    if (Object.keys(handshake.headers).length > 0) {
      throw new TypeError(
        'a browser cannot send WebSocket handshake headers (use authTransport: "subprotocol")',
      );
    }
    return openSocket(url, handshake.protocols, events, limits.maxMessageBytes);
  },

  diagnosticsChannel(name) {
    let channel = channels.get(name);
    if (channel === undefined) {
      channel = new PageChannel(name);
      channels.set(name, channel);
    }
    return channel;
  },

  emitWarning: (error) => console.warn(error),

  environment: () => ({}),

  inspectDeep: (value) => inspectDeep(value),
};
