/**
 * `earshot listen` flags → a plain description of what to do. LiveOptions flags map one to one
 * onto Deepgram query parameters (kebab-case → snake_case); `--x-<name> <value>` passes any
 * parameter the CLI does not know straight through, because the API grows faster than tools.
 */
import { parseArgs } from "node:util";
import { isLoopbackHost, LISTEN_QUERY_SCHEMA, type LiveOptions } from "@earshot/core";
import { engineNames } from "@earshot/server";
import { type FluxQuery, fluxFlags, fluxQueryOf } from "./flux-args.ts";
import { parseExtra, queryFlags, queryOptionsOf } from "./query-flags.ts";
import { UsageError } from "./usage-error.ts";

/** Which client runs the stream. */
export type Face = "async" | "threaded";
/** How a file is sent: at the speed of its audio, or as fast as the server takes it. */
export type Pacing = "realtime" | "fast";
/**
 * Which engine the embedded local server uses when nothing else is configured: a name from
 * `@earshot/server`'s engine registry ("pocketsphinx", "scripted", …).
 */
export type LocalEngine = string;

/** Everything `earshot listen` was asked to do. */
export interface ListenArgs {
  /** A file path, an http(s) URL, `-` for stdin; undefined with `--mic`. */
  readonly input: string | undefined;
  /** Capture from the microphone instead of reading `input`. */
  readonly mic: boolean;
  /** A shell command whose stdout is the capture (overrides arecord/sox). */
  readonly micCommand: string | undefined;
  /** The query parameters for `/v1/listen`. */
  readonly options: LiveOptions;
  /** Which client runs the stream. @default "async" */
  readonly face: Face;
  /** Undefined: the default for the output (realtime on a terminal, fast when piped). */
  readonly pacing: Pacing | undefined;
  /** Real-time multiplier when pacing realtime. @default 1 */
  readonly speed: number;
  /** Force NDJSON output even on a terminal. */
  readonly json: boolean;
  readonly timestamps: boolean;
  readonly speakers: boolean;
  /** `--url`: the server to connect to (Deepgram, self-hosted or local). */
  readonly url: string | undefined;
  /** `--engine`: the embedded server's engine. @default "pocketsphinx" */
  readonly engine: LocalEngine;
  /** `--input-timeout`: for URLs, the longest wait for an answer or for more bytes, in ms. @default 10000 */
  readonly inputTimeoutMs: number;
  /** `--srt FILE` / `--vtt FILE` (`-` for stdout): subtitles written as finals come. */
  readonly subtitles: { readonly format: "srt" | "vtt"; readonly path: string } | undefined;
  /** `--stats`: latency figures at the end (and live on a terminal). */
  readonly stats: boolean;
  /** `--flux` and its parameters: a Flux (`/v2/listen`) stream instead of `/v1/listen`. */
  readonly flux: FluxQuery | undefined;
  readonly help: boolean;
}

const listenFlags = {
  // One flag per /v1/listen query parameter, from core's schema.
  ...(queryFlags as Record<string, { type: "string" | "boolean"; multiple?: boolean }>),
  // input, output, transport
  mic: { type: "boolean" },
  "mic-command": { type: "string" },
  threaded: { type: "boolean" },
  async: { type: "boolean" },
  realtime: { type: "boolean" },
  fast: { type: "boolean" },
  speed: { type: "string" },
  json: { type: "boolean" },
  timestamps: { type: "boolean" },
  speakers: { type: "boolean" },
  url: { type: "string" },
  engine: { type: "string" },
  "input-timeout": { type: "string" },
  srt: { type: "string" },
  vtt: { type: "string" },
  stats: { type: "boolean" },
  ...fluxFlags,
  help: { type: "boolean", short: "h" },
} as const;

function snake(flag: string): string {
  return flag.replaceAll("-", "_");
}

/**
 * Pulls `--x-<name> <value>` / `--x-<name>=<value>` out of argv (parseArgs would reject them
 * as unknown) and returns their values by snake_case name, plus the remaining argv.
 */
export function extractPassThrough(argv: readonly string[]): {
  rest: string[];
  passThrough: Record<string, string[]>;
} {
  const rest: string[] = [];
  const passThrough: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (!token.startsWith("--x-")) {
      rest.push(token);
      continue;
    }
    const eq = token.indexOf("=");
    const name = token.slice(4, eq === -1 ? undefined : eq);
    let value: string;
    if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        throw new UsageError(`${token} needs a value (--x-<name> <value> passes <name>=<value> through)`);
      }
      value = next;
      i++;
    }
    if (name === "") throw new UsageError(`${token}: --x- needs a parameter name, as in --x-foo bar`);
    const key = snake(name);
    passThrough[key] = [...(passThrough[key] ?? []), value];
  }
  return { rest, passThrough };
}

/** Parameters that are lists even when given once (they become repeated query keys). */
const listKeys = new Set<string>(
  LISTEN_QUERY_SCHEMA.filter((parameter) => parameter.type.endsWith("list")).map(
    (parameter) => parameter.name,
  ),
);

/** `"true"` → true, `"42"` → 42 (no leading zeros, which a number would lose), else the text. */
function scalar(text: string): string | number | boolean {
  if (text === "true" || text === "false") return text === "true";
  if (/^(0|[1-9]\d{0,14})$/.test(text)) return Number(text);
  return text;
}

/**
 * Pass-through values typed the way the options expect them, so `--x-dictation true` or
 * `--x-alternatives 2` validate like their typed equivalents and `--x-tag a` stays a list.
 */
function typedPassThrough(passThrough: Record<string, string[]>): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(passThrough)) {
    if (key === "extra") typed.extra = parseExtra(values);
    else if (listKeys.has(key)) typed[key] = values;
    else typed[key] = values.length === 1 ? scalar(values[0] as string) : values.map(scalar);
  }
  return typed;
}

/**
 * Parses `earshot listen` arguments (everything after `listen`).
 *
 * @throws UsageError with a one-line message for any unknown flag or bad value.
 * @example
 * parseListenArgs(["talk.wav", "--model", "nova-3", "--keyterm", "earshot", "--x-foo", "bar"]);
 * // → { input: "talk.wav", options: { model: "nova-3", keyterm: ["earshot"], foo: "bar" }, … }
 */
export function parseListenArgs(argv: readonly string[]): ListenArgs {
  const { rest, passThrough } = extractPassThrough(argv);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof listenFlags; allowPositionals: true }>>;
  try {
    parsed = parseArgs({
      args: rest,
      options: listenFlags,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs' messages are clear but long-winded about "--" escapes; keep the first sentence.
    const message = error instanceof Error ? error.message.split(". ")[0] : String(error);
    throw new UsageError(message ?? "invalid arguments");
  }
  const { values, positionals } = parsed;

  const typed = typedPassThrough(passThrough);
  const flagged = queryOptionsOf(values);
  const options: Record<string, unknown> = { ...typed, ...flagged };
  if (typed.extra !== undefined && flagged.extra !== undefined) {
    options.extra = {
      ...(typed.extra as Record<string, string>),
      ...(flagged.extra as Record<string, string>),
    };
  }

  if (values.threaded && values.async) throw new UsageError("choose one of --threaded and --async");
  if (values.realtime && values.fast) throw new UsageError("choose one of --realtime and --fast");
  let speed = 1;
  if (values.speed !== undefined) {
    speed = Number(values.speed);
    if (!Number.isFinite(speed) || speed <= 0) {
      throw new UsageError(`--speed must be a positive number, got '${values.speed}'`);
    }
    if (values.fast) throw new UsageError("--speed paces in real time; it cannot go with --fast");
  }
  const engine = values.engine ?? "pocketsphinx";
  if (!engineNames().includes(engine)) {
    throw new UsageError(`--engine must be one of ${engineNames().join(", ")}, got '${engine}'`);
  }
  if (values.url !== undefined) checkUrlFlag(values.url);
  let inputTimeoutMs = 10_000;
  if (values["input-timeout"] !== undefined) {
    const timeout = Number(values["input-timeout"]);
    if (!Number.isFinite(timeout) || timeout <= 0) {
      throw new UsageError(
        `--input-timeout must be a positive number of seconds, got '${values["input-timeout"]}'`,
      );
    }
    inputTimeoutMs = Math.ceil(timeout * 1000);
  }
  if (values.srt !== undefined && values.vtt !== undefined)
    throw new UsageError("choose one of --srt and --vtt");
  const subtitlePath = values.srt ?? values.vtt;
  if (subtitlePath === "")
    throw new UsageError(`--${values.srt !== undefined ? "srt" : "vtt"} needs a file name, or - for stdout`);
  if (subtitlePath === "-" && values.json === true)
    throw new UsageError("--json and subtitles on stdout (- ) cannot share it");

  const help = values.help === true;
  const mic = values.mic === true || values["mic-command"] !== undefined;
  if (!help) {
    if (mic && positionals.length > 0) throw new UsageError("give either an input or --mic, not both");
    if (!mic && positionals.length === 0) {
      throw new UsageError("listen needs an input: a file, an http(s) URL, - for stdin, or --mic");
    }
    if (positionals.length > 1) throw new UsageError(`listen takes one input, got ${positionals.length}`);
  }

  return {
    input: positionals[0],
    mic,
    micCommand: values["mic-command"],
    options: options as LiveOptions,
    face: values.threaded ? "threaded" : "async",
    pacing: values.fast ? "fast" : values.realtime || values.speed !== undefined ? "realtime" : undefined,
    speed,
    json: values.json === true,
    timestamps: values.timestamps === true,
    speakers: values.speakers === true,
    url: values.url,
    engine,
    inputTimeoutMs,
    subtitles:
      subtitlePath === undefined
        ? undefined
        : { format: values.srt !== undefined ? "srt" : "vtt", path: subtitlePath },
    stats: values.stats === true,
    flux: fluxQueryOf(values),
    help,
  };
}

/**
 * `--url` is checked here so the message names the flag: plain `ws://` to another machine would
 * send the key unencrypted, so it is allowed to loopback hosts only.
 */
function checkUrlFlag(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--url must be a URL such as wss://api.deepgram.com or ws://127.0.0.1:8080, got '${text}'`,
    );
  }
  const protocol = url.protocol === "https:" ? "wss:" : url.protocol === "http:" ? "ws:" : url.protocol;
  if (protocol !== "ws:" && protocol !== "wss:") {
    throw new UsageError(`--url must start with wss:// (or ws:// for this machine), got '${url.protocol}//'`);
  }
  if (protocol === "ws:" && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `--url ${url.protocol}//${url.host}: unencrypted ws:// is allowed only to this machine (127.0.0.1, localhost, ::1), since the key would travel in clear; use wss://${url.host}`,
    );
  }
}
