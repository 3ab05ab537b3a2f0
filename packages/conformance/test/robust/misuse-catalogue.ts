/**
 * The bad-input catalogue: what a user can get wrong with either client (wrong chunk types,
 * empty chunks, calls out of order, invalid options and arguments, bad audio sources), each
 * with the outcome the documentation promises. bad-inputs.test.ts draws from it with a seed.
 *
 * Arguments are checked before state, in both faces: a wrong argument is the same typed error
 * before `start()`, while open and after `Close`; a call the state forbids is a `StateError`
 * (or the documented `false` / no-op).
 */
import {
  AudioChunkError,
  type CloseReport,
  type EarshotError,
  isEarshotError,
  OptionsError,
  StateError,
} from "@earshot/core";
import { payloads } from "../faces/face.ts";
import type { AnyClient, FaceName, MisuseSubject, Outcome, Phase } from "./misuse-subject.ts";

/** Why an outcome is not the documented one, or undefined when it is. */
type Verdict = string | undefined;

export interface Misuse {
  readonly name: string;
  readonly phases: readonly Phase[];
  /** Only for this face (an option or argument form only it has). */
  readonly face?: FaceName;
  readonly call: (client: AnyClient) => unknown;
  /** Bytes of valid audio it sends when the stream is open, before it fails. @default 0 */
  readonly sendsBytes?: number;
  /** `eventsBefore`: how many events the subject had before the call. */
  readonly judge: (outcome: Outcome, subject: MisuseSubject, phase: Phase, eventsBefore: number) => Verdict;
}

/** A client option that cannot work, and the option name its error must name. */
export interface BadClientOptions {
  readonly name: string;
  readonly options: unknown;
  readonly names: string;
  readonly face?: FaceName;
}

const ALL: readonly Phase[] = ["fresh", "open", "ended"];

function describe(outcome: Outcome): string {
  if (outcome.how === "returned") return `returned ${String(outcome.value)}`;
  const error = outcome.error;
  return `${outcome.how} ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

function errorOf(outcome: Outcome): unknown {
  return outcome.how === "returned" ? undefined : outcome.error;
}

/** A typed error of `type` (thrown or rejected), whose message matches `pattern`. */
function raises(type: abstract new (...args: never[]) => Error, pattern?: RegExp) {
  return (outcome: Outcome): Verdict => {
    const error = errorOf(outcome);
    if (!(error instanceof type)) return `expected ${type.name}, got: ${describe(outcome)}`;
    if (pattern !== undefined && !pattern.test(error.message))
      return `${type.name} message "${error.message}" does not match ${pattern}`;
    return undefined;
  };
}

/** Nothing happened: the documented value came back and no event was emitted. */
function noOp(expected: (face: FaceName) => readonly unknown[]) {
  return (outcome: Outcome, subject: MisuseSubject, _phase: Phase, eventsBefore: number): Verdict => {
    if (outcome.how !== "returned" || !expected(subject.face).includes(outcome.value))
      return `expected a no-op returning ${expected(subject.face).join(" or ")}, got: ${describe(outcome)}`;
    if (subject.events.length !== eventsBefore) return "a no-op emitted an event";
    return undefined;
  };
}

/**
 * The documented refusal of a call the state forbids. Before `start()`: the async face throws
 * (or rejects with) a `StateError`; the threaded one returns false and emits it as `Error`.
 * After `Close`: control methods return false in both; `send()` returns false in the threaded
 * face and rejects in the async one with a `StateError` whose `cause` closed the stream.
 */
function refused(kind: "send" | "control") {
  return (outcome: Outcome, subject: MisuseSubject, phase: Phase, eventsBefore: number): Verdict => {
    const error = errorOf(outcome);
    const emitted = subject.events.slice(eventsBefore);
    if (phase === "fresh") {
      if (subject.face === "async") return raises(StateError, /start\(\)/)(outcome);
      if (outcome.how !== "returned" || outcome.value !== false)
        return `expected false, got ${describe(outcome)}`;
      const [event, ...more] = emitted;
      if (event?.event !== "error" || !(event.payload instanceof StateError) || more.length > 0)
        return "expected exactly one Error event (StateError)";
      return undefined;
    }
    if (emitted.length > 0) return `an event after Close: ${emitted.map((e) => e.event).join(", ")}`;
    if (subject.face === "threaded" || kind === "control")
      return outcome.how === "returned" && outcome.value === false
        ? undefined
        : `expected false, got ${describe(outcome)}`;
    if (!(error instanceof StateError)) return `expected StateError, got ${describe(outcome)}`;
    const report = subject.client.closeReport as CloseReport | undefined;
    if (error.cause !== report?.error) return "the refusal's cause is not what closed the stream";
    return undefined;
  };
}

/** `sendFrom()` refused by state: a `StateError` in both faces (its `cause` closed the stream once closed). */
function sendFromRefused(outcome: Outcome, subject: MisuseSubject, phase: Phase): Verdict {
  const error = errorOf(outcome);
  if (!(error instanceof StateError)) return `expected StateError, got ${describe(outcome)}`;
  if (phase === "ended" && error.cause !== subject.client.closeReport?.error)
    return "the refusal's cause is not what closed the stream";
  return undefined;
}

/** In the open phase `judgeOpen`, else the state's refusal. */
function byPhase(judgeOpen: Misuse["judge"], judgeOther: Misuse["judge"]): Misuse["judge"] {
  return (outcome, subject, phase, before) =>
    phase === "open"
      ? judgeOpen(outcome, subject, phase, before)
      : judgeOther(outcome, subject, phase, before);
}

const send = (client: AnyClient, chunk: unknown): unknown => client.send(chunk as never);
const sendFrom = (client: AnyClient, source: unknown, options?: unknown): unknown =>
  client.sendFrom(source as never, options as never);

/** Values that are not audio bytes. */
const NOT_BYTES: readonly [string, () => unknown][] = [
  ["a string", () => "pcm audio"],
  ["a number", () => 42],
  ["null", () => null],
  ["undefined", () => undefined],
  ["a boolean", () => true],
  ["a plain array", () => [1, 2, 3]],
  ["an array-like", () => ({ length: 4, 0: 1 })],
  ["a buffer look-alike", () => ({ buffer: new ArrayBuffer(4), byteLength: 4, byteOffset: 0 })],
  ["a function", () => () => 1],
  ["a symbol", () => Symbol("audio")],
  ["a bigint", () => 10n],
  ["a promise of bytes", () => Promise.resolve(Buffer.alloc(8))],
  ["a Map", () => new Map([[0, 1]])],
  ["NaN", () => Number.NaN],
];

/** Zero-length chunks: never sent (a zero-length frame would end the stream). */
const EMPTY: readonly [string, () => unknown][] = [
  ["Buffer.alloc(0)", () => Buffer.alloc(0)],
  ["new Uint8Array(0)", () => new Uint8Array(0)],
  ["new ArrayBuffer(0)", () => new ArrayBuffer(0)],
  ["an empty DataView", () => new DataView(new ArrayBuffer(0))],
  ["new Int16Array(0)", () => new Int16Array(0)],
  ["an empty subarray", () => Buffer.alloc(64).subarray(10, 10)],
];

const BAD_CHANNELS: readonly unknown[] = [
  -1,
  1.5,
  Number.NaN,
  "1",
  Number.POSITIVE_INFINITY,
  null,
  true,
  [0],
];
const BAD_FEATURES: readonly unknown[] = [null, "numerals", 5, [1], undefined, true];

const INVALID_LIVE_OPTIONS: readonly [string, unknown][] = [
  ["null", null],
  ["a string", "nova-3"],
  ["an array", []],
  ["encoding mp3", { encoding: "mp3", sample_rate: 16_000 }],
  ["a negative sample_rate", { encoding: "linear16", sample_rate: -1 }],
  ["a sample_rate string", { encoding: "linear16", sample_rate: "16000" }],
  ["a NaN sample_rate", { encoding: "linear16", sample_rate: Number.NaN }],
  ["channels 0", { encoding: "linear16", sample_rate: 16_000, channels: 0 }],
  ["a numeric model", { model: 42 }],
  ["interim_results 'yes'", { interim_results: "yes" }],
  ["a numeric keyterm", { keyterm: 5 }],
  ["an unknown redact value", { redact: ["bogus"] }],
  ["an object as an unknown parameter", { future_param: { a: 1 } }],
  ["a negative endpointing", { endpointing: -1 }],
  ["a string utterance_end_ms", { utterance_end_ms: "1000", interim_results: true }],
];

const NOT_SOURCES: readonly [string, () => unknown][] = [
  ["null", () => null],
  ["undefined", () => undefined],
  ["a number", () => 42],
  ["a plain object", () => ({})],
  ["a string", () => "pcm audio"],
  ["a boolean", () => false],
];

const BAD_SEND_FROM_OPTIONS: readonly [string, unknown][] = [
  ["null", null],
  ['pace "fast"', { pace: "fast" }],
  ["a string", "realtime"],
  ["a signal that is no AbortSignal", { signal: 5 }],
];

/** Sources whose chunks are not bytes. */
const BAD_CHUNK_SOURCES: readonly [string, () => unknown][] = [
  ["an array of strings", () => ["abc"]],
  ["an array of numbers", () => [1, 2, 3]],
  [
    "an async generator of objects",
    () =>
      (async function* () {
        yield {};
      })(),
  ],
];

/** Sources that fail while being read: `sendFrom()` rejects with their own error. */
const FAILING_SOURCES: readonly [string, (failure: Error) => unknown][] = [
  [
    "an iterable that throws",
    (failure) => ({
      *[Symbol.iterator]() {
        yield Buffer.alloc(640);
        throw failure;
      },
    }),
  ],
  [
    "an async generator that throws",
    (failure) =>
      (async function* () {
        yield Buffer.alloc(640);
        throw failure;
      })(),
  ],
  [
    "a ReadableStream that errors",
    (failure) => {
      let pulls = 0;
      return new ReadableStream({
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(new Uint8Array(640));
          else controller.error(failure);
        },
      });
    },
  ],
];

const UNKNOWN_EVENTS = ["Transcript", "results", "message", "", "Close", "transcript", "end"];
const NOT_HANDLERS: readonly unknown[] = [5, null, "handler", {}, undefined];

function each<T>(items: readonly T[], make: (item: T) => Misuse): Misuse[] {
  return items.map(make);
}

/** The catalogue. */
export const MISUSES: readonly Misuse[] = [
  ...each(NOT_BYTES, ([what, value]) => ({
    name: `send(${what})`,
    phases: ALL,
    call: (client) => send(client, value()),
    judge: raises(AudioChunkError, /Buffer, ArrayBuffer, TypedArray or DataView/),
  })),
  ...each(EMPTY, ([what, value]) => ({
    name: `send(${what})`,
    phases: ALL,
    call: (client) => send(client, value()),
    judge: byPhase(
      noOp((face) => (face === "async" ? [undefined] : [true])),
      refused("send"),
    ),
  })),
  {
    name: "send(audio) outside an open stream",
    phases: ["fresh", "ended"],
    call: (client) => send(client, Buffer.alloc(640)),
    judge: refused("send"),
  },
  ...(["finalize", "keepAlive", "configure"] as const).map(
    (method): Misuse => ({
      name: `${method}() outside an open stream`,
      phases: ["fresh", "ended"],
      call: (client) => (method === "configure" ? client.configure({ numerals: true }) : client[method]()),
      judge: refused("control"),
    }),
  ),
  ...each(BAD_CHANNELS, (channel) => ({
    name: `finalize(${JSON.stringify(channel) ?? String(channel)})`,
    phases: ALL,
    call: (client) => client.finalize(channel as never),
    judge: raises(RangeError, /channel/),
  })),
  {
    name: "finalize({ channel: -2 })",
    phases: ALL,
    face: "async",
    call: (client) => client.finalize({ channel: -2 } as never),
    judge: raises(RangeError, /channel/),
  },
  ...each(BAD_FEATURES, (features) => ({
    name: `configure(${JSON.stringify(features) ?? String(features)})`,
    phases: ALL,
    call: (client) => client.configure(features as never),
    judge: raises(TypeError, /features/),
  })),
  ...each(INVALID_LIVE_OPTIONS, ([what, options]) => ({
    name: `start(${what})`,
    phases: ["fresh"],
    call: (client) => client.start(options as never),
    judge: raises(OptionsError),
  })),
  {
    name: "start() while the stream is open",
    phases: ["open"],
    call: (client) => client.start({ encoding: "linear16", sample_rate: 16_000 }),
    judge: raises(StateError, /start\(\)/),
  },
  {
    name: "finish() before start()",
    phases: ["fresh"],
    call: (client) => client.finish(),
    judge: noOp((face) => (face === "async" ? [undefined] : [false])),
  },
  {
    name: "finish() again after Close",
    phases: ["ended"],
    call: (client) => client.finish(),
    judge: (outcome, subject, _phase, before) => {
      if (subject.events.length !== before) return "an event after Close";
      const error = errorOf(outcome);
      if (outcome.how === "returned") return undefined;
      return error === subject.client.closeReport?.error ? undefined : `unexpected ${describe(outcome)}`;
    },
  },
  {
    name: "abort() again after Close",
    phases: ["ended"],
    call: (client) => client.abort("again"),
    judge: noOp(() => [undefined]),
  },
  ...each(NOT_HANDLERS, (handler) => ({
    name: `on("Results", ${JSON.stringify(handler) ?? String(handler)})`,
    phases: ALL,
    call: (client) => client.on("Results", handler as never),
    judge: raises(TypeError, /handler/),
  })),
  ...each(UNKNOWN_EVENTS, (event) => ({
    name: `on(${JSON.stringify(event)}, handler)`,
    phases: ALL,
    call: (client) => client.on(event as never, () => {}),
    judge: raises(TypeError, /event/),
  })),
  ...each(NOT_SOURCES, ([what, source]) => ({
    name: `sendFrom(${what})`,
    phases: ALL,
    call: (client) => sendFrom(client, source()),
    judge: raises(TypeError, /sendFrom\(\)/),
  })),
  ...each(BAD_SEND_FROM_OPTIONS, ([what, options]) => ({
    name: `sendFrom(audio, ${what})`,
    phases: ALL,
    call: (client) => sendFrom(client, [Buffer.alloc(640)], options),
    judge: raises(OptionsError),
  })),
  ...each(BAD_CHUNK_SOURCES, ([what, source]) => ({
    name: `sendFrom(${what})`,
    phases: ALL,
    call: (client) => sendFrom(client, source()),
    judge: byPhase(raises(AudioChunkError), sendFromRefused),
  })),
  ...each(FAILING_SOURCES, ([what, source]) => ({
    name: `sendFrom(${what})`,
    phases: ALL,
    call: (client) => sendFrom(client, source(new RangeError("the source broke"))),
    sendsBytes: 640,
    judge: byPhase(
      (outcome) =>
        errorOf(outcome) instanceof RangeError && (errorOf(outcome) as Error).message === "the source broke"
          ? undefined
          : `expected the source's own error, got ${describe(outcome)}`,
      sendFromRefused,
    ),
  })),
];

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
