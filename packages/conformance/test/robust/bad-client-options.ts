/**
 * Client options that cannot work, each with the option its error must name, and the
 * callback errors a subject's throwing handlers caused: the bad-input suite's construction and
 * callback checks.
 */
import { type EarshotError, isEarshotError, OptionsError } from "@earshot/core";
import { payloads } from "../faces/face.ts";
import type { Verdict } from "./misuse-judges.ts";
import type { FaceName, MisuseSubject } from "./misuse-subject.ts";

/** A client option that cannot work, and the option name its error must name. */
export interface BadClientOptions {
  readonly name: string;
  readonly options: unknown;
  readonly names: string;
  readonly face?: FaceName;
}

/** Client options that cannot work; the error must name the option. */
export const BAD_CLIENT_OPTIONS: readonly BadClientOptions[] = [
  { name: "null", options: null, names: "options" },
  { name: "a string", options: "wss://api.deepgram.com", names: "options" },
  { name: "a number", options: 5, names: "options" },
  { name: "a misspelt option", options: { keepalive: true }, names: "keepAlive" },
  { name: "an ftp url", options: { url: "ftp://example.com" }, names: "url" },
  { name: "ws:// to a remote host", options: { url: "ws://example.com" }, names: "url" },
  { name: "a numeric url", options: { url: 5 }, names: "url" },
  { name: "a numeric apiKey", options: { apiKey: 42 }, names: "apiKey" },
  { name: "a negative connectTimeoutMs", options: { connectTimeoutMs: -1 }, names: "connectTimeoutMs" },
  { name: "a fractional connectTimeoutMs", options: { connectTimeoutMs: 1.5 }, names: "connectTimeoutMs" },
  { name: "a string maxPendingBytes", options: { maxPendingBytes: "1" }, names: "maxPendingBytes" },
  { name: "highWaterMarkBytes 0", options: { highWaterMarkBytes: 0 }, names: "highWaterMarkBytes" },
  {
    name: "maxBufferedBytes under highWaterMarkBytes",
    options: { maxBufferedBytes: 10, highWaterMarkBytes: 100 },
    names: "maxBufferedBytes",
  },
  { name: "a negative maxMessageBytes", options: { maxMessageBytes: -1 }, names: "maxMessageBytes" },
  { name: "a NaN closeTimeoutMs", options: { closeTimeoutMs: Number.NaN }, names: "closeTimeoutMs" },
  { name: "keepAlive 'yes'", options: { keepAlive: "yes" }, names: "keepAlive" },
  { name: "reconnect 'yes'", options: { reconnect: "yes" }, names: "reconnect" },
  { name: "reconnect attempts 0", options: { reconnect: { attempts: 0 } }, names: "attempts" },
  { name: "a misspelt reconnect option", options: { reconnect: { attemps: 2 } }, names: "attempts" },
  {
    name: "a negative replayMaxSeconds",
    options: { reconnect: { replayMaxSeconds: -1 } },
    names: "replayMaxSeconds",
  },
  {
    name: "a negative initialDelayMs",
    options: { reconnect: { initialDelayMs: -5 } },
    names: "initialDelayMs",
  },
  { name: "a reconnect random that is no function", options: { reconnect: { random: 5 } }, names: "random" },
  { name: "headers as a string", options: { headers: "x-a: b" }, names: "headers" },
  { name: "authTransport 'cookie'", options: { authTransport: "cookie" }, names: "authTransport" },
  {
    name: "negative iterator bounds",
    options: { iteratorBounds: { maxMessages: -1 } },
    names: "maxMessages",
    face: "async",
  },
  { name: "a negative ringBytes", options: { ringBytes: -1 }, names: "ringBytes", face: "threaded" },
  { name: "a string ringBytes", options: { ringBytes: "big" }, names: "ringBytes", face: "threaded" },
  {
    name: "a negative sendTimeoutMs",
    options: { sendTimeoutMs: -1 },
    names: "sendTimeoutMs",
    face: "threaded",
  },
  {
    name: "maxBufferedEvents 0",
    options: { maxBufferedEvents: 0 },
    names: "maxBufferedEvents",
    face: "threaded",
  },
  { name: "poolSize 0", options: { poolSize: 0 }, names: "poolSize", face: "threaded" },
  { name: "an engine that is no MessagePort", options: { engine: 5 }, names: "engine", face: "threaded" },
];

/** The documented error for bad client options: typed, naming the option. */
export function judgeConstruction(thrown: unknown, bad: BadClientOptions): Verdict {
  const typed = thrown instanceof OptionsError || thrown instanceof RangeError || thrown instanceof TypeError;
  if (!typed) return `expected OptionsError/RangeError/TypeError, got ${String(thrown)}`;
  if (!(thrown as Error).message.includes(bad.names))
    return `the error does not name ${bad.names}: ${(thrown as Error).message}`;
  return undefined;
}

/** Every `Error` event a throwing handler caused is a `CallbackError` carrying what it threw. */
export function callbackErrors(subject: MisuseSubject): EarshotError[] {
  return payloads(subject.events, "error").filter(
    (error) => isEarshotError(error) && error.code === "ERR_CALLBACK_FAILED",
  );
}
