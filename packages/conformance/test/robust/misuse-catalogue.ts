/**
 * The bad-input catalogue: what a user can get wrong with either client (wrong chunk types,
 * empty chunks, calls out of order, invalid options and arguments, bad audio sources), each
 * with the outcome the documentation promises. bad-inputs.test.ts draws from it with a seed.
 *
 * Arguments are checked before state, in both faces: a wrong argument is the same typed error
 * before `start()`, while open and after `Close`; a call the state forbids is a `StateError`
 * (or the documented `false` / no-op).
 */
import { AudioChunkError, OptionsError, StateError } from "@earshot/core";
import {
  byPhase,
  describe,
  errorOf,
  type Misuse,
  noOp,
  raises,
  refused,
  sendFromRefused,
} from "./misuse-judges.ts";
import type { AnyClient, Phase } from "./misuse-subject.ts";

const ALL: readonly Phase[] = ["fresh", "open", "ended"];

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
