/**
 * The query parameters of `/v1/listen` (docs/protocol.md §2), typed. Names are the wire names, so
 * what you write here is what the server receives.
 */

/** Raw audio encodings. Omit `encoding` for containerised audio (WAV, Ogg, MP3…). */
export type AudioEncoding =
  | "linear16"
  | "linear32"
  | "flac"
  | "alaw"
  | "mulaw"
  | "amr-nb"
  | "amr-wb"
  | "opus"
  | "ogg-opus"
  | "speex"
  | "g729";

/** What `redact` can hide. */
export type RedactMode = "pci" | "numbers" | "aggressive_numbers" | "ssn";

/** HTTP method of a `callback`. */
export type CallbackMethod = "POST" | "GET" | "PUT" | "DELETE";

/**
 * Deepgram's model names. Any other string (a custom model id, a model newer than this
 * package) is accepted too.
 */
export type DeepgramModel =
  | "nova-3"
  | "nova-3-general"
  | "nova-3-medical"
  | "nova-2"
  | "nova-2-general"
  | "nova-2-meeting"
  | "nova-2-phonecall"
  | "nova-2-finance"
  | "nova-2-conversationalai"
  | "nova-2-voicemail"
  | "nova-2-video"
  | "nova-2-medical"
  | "nova-2-drivethru"
  | "nova-2-automotive"
  | "nova"
  | "enhanced"
  | "base"
  // `string & {}` keeps editor completion for the names above while accepting any string.
  | (string & {});

/** A value an unknown (pass-through) query parameter may have. */
export type QueryScalar = string | number | boolean;

/** A pass-through parameter: one value, or a list sent as repeated keys. */
export type QueryValue = QueryScalar | readonly QueryScalar[];

/** The parameters this package knows by name. */
export interface KnownLiveOptions {
  /** The model. @default "base" (server side) */
  model?: DeepgramModel;
  /** BCP-47 language tag (`en`, `en-US`, `es`, `multi`, …). @default "en" (server side) */
  language?: string;
  /** Raw audio encoding; omit for containerised audio. Requires `sample_rate`. @default auto-detect */
  encoding?: AudioEncoding;
  /** Samples per second; required whenever `encoding` is set. */
  sample_rate?: number;
  /** Interleaved channels in the audio. @default 1 */
  channels?: number;
  /** Transcribe each channel on its own. @default false */
  multichannel?: boolean;
  /** Send revisable interim results. @default false */
  interim_results?: boolean;
  /** Add punctuation and capitalisation. @default false */
  punctuate?: boolean;
  /** Format numbers, dates, currency… for readability. @default false */
  smart_format?: boolean;
  /** Write numbers as digits. @default false */
  numerals?: boolean;
  /** Mask profanity. @default false */
  profanity_filter?: boolean;
  /** Turn spoken punctuation commands into punctuation. @default false */
  dictation?: boolean;
  /** Keep filler words (uh, um). @default false */
  filler_words?: boolean;
  /** Detect entities (adds `entities` to Results). @default false */
  detect_entities?: boolean;
  /** Opt out of the Deepgram Model Improvement Program. @default false */
  mip_opt_out?: boolean;
  /** Speaker labels. Deprecated by the service in favour of `diarize_model`. @default false */
  diarize?: boolean;
  /** Diarization model (`latest`, `v1`). */
  diarize_model?: string;
  /** Milliseconds of silence that end an utterance (`speech_final`), or `false` to disable. @default 10 (server side) */
  endpointing?: number | false;
  /** Milliseconds without words before an `UtteranceEnd` (≥ 1000 advised). Requires `interim_results: true`. */
  utterance_end_ms?: number;
  /** Send `SpeechStarted` messages. @default false */
  vad_events?: boolean;
  /** Finalise at once, skipping the formatting delay. @default false */
  no_delay?: boolean;
  /** Key terms to boost (Nova-3 only; about 500 tokens in all). Sent as repeated keys. */
  keyterm?: readonly string[];
  /** `word` or `word:boost` entries (not Nova-3; up to 100). Sent as repeated keys. */
  keywords?: readonly string[];
  /** Redact `true` (everything supported) or the listed kinds. @default false */
  redact?: boolean | readonly RedactMode[];
  /** Terms to search for. */
  search?: readonly string[];
  /** Usage tags. */
  tag?: readonly string[];
  /** `find:replacement` entries. */
  replace?: readonly string[];
  /** Metadata echoed back in `metadata.extra`; sent as repeated `extra=key:value`. */
  extra?: Readonly<Record<string, string>>;
  /**
   * The escape hatch: parameters sent exactly as given, without validation, e.g. an
   * `encoding` newer than this package (`unchecked: { encoding: "newcodec" }`). A key here wins
   * over the same key given normally.
   */
  unchecked?: Readonly<Record<string, QueryValue>>;
  /** Callback URL. */
  callback?: string;
  /** Callback method. @default "POST" (server side) */
  callback_method?: CallbackMethod;
  /** Model version. @default "latest" (server side) */
  version?: string;
  /** Legacy: number of alternative transcripts. @default 1 */
  alternatives?: number;
  /** Legacy: model tier (`enhanced`, `base`). */
  tier?: string;
  /** Legacy: diarization version. */
  diarize_version?: string;
  /** Legacy: VAD turn-off in milliseconds. */
  vad_turnoff?: number;
}

/**
 * Options of one live stream: every known parameter, plus any other key, passed through to
 * the URL unchanged (the API grows faster than SDKs). `undefined` values are left out.
 *
 * @example
 * ```ts
 * const options: LiveOptions = {
 *   model: "nova-3",
 *   encoding: "linear16",
 *   sample_rate: 16000,
 *   interim_results: true,
 *   utterance_end_ms: 1000,
 *   keyterm: ["earshot", "Deepgram"],
 *   extra: { call_id: "42" },
 *   some_new_flag: true, // unknown to this package: sent as some_new_flag=true
 * };
 * ```
 */
export interface LiveOptions extends KnownLiveOptions {
  [unknown: string]:
    | QueryValue
    | Readonly<Record<string, string>>
    | Readonly<Record<string, QueryValue>>
    | undefined;
}

/** How each known parameter is written and read; every known key is listed exactly once. */
export const BOOLEAN_OPTIONS = [
  "multichannel",
  "interim_results",
  "punctuate",
  "smart_format",
  "numerals",
  "profanity_filter",
  "dictation",
  "filler_words",
  "detect_entities",
  "mip_opt_out",
  "diarize",
  "vad_events",
  "no_delay",
] as const satisfies readonly (keyof KnownLiveOptions)[];

/** Whole-number parameters with their smallest allowed value. */
export const INTEGER_OPTIONS = {
  sample_rate: 1,
  channels: 1,
  utterance_end_ms: 0,
  alternatives: 1,
  vad_turnoff: 0,
} as const satisfies Partial<Record<keyof KnownLiveOptions, number>>;

export const STRING_OPTIONS = [
  "model",
  "language",
  "encoding",
  "diarize_model",
  "callback",
  "callback_method",
  "version",
  "tier",
  "diarize_version",
] as const satisfies readonly (keyof KnownLiveOptions)[];

/** Parameters sent as repeated keys. */
export const LIST_OPTIONS = [
  "keyterm",
  "keywords",
  "search",
  "tag",
  "replace",
] as const satisfies readonly (keyof KnownLiveOptions)[];

/** Parameters with a shape of their own. */
export const SPECIAL_OPTIONS = [
  "endpointing",
  "redact",
  "extra",
  "unchecked",
] as const satisfies readonly (keyof KnownLiveOptions)[];

type Classified =
  | (typeof BOOLEAN_OPTIONS)[number]
  | keyof typeof INTEGER_OPTIONS
  | (typeof STRING_OPTIONS)[number]
  | (typeof LIST_OPTIONS)[number]
  | (typeof SPECIAL_OPTIONS)[number];

// Fails to compile if a parameter is added to KnownLiveOptions without being classified.
const everyKnownOptionIsClassified: Exclude<keyof KnownLiveOptions, Classified> extends never ? true : never =
  true;
void everyKnownOptionIsClassified;

export const CALLBACK_METHODS: readonly CallbackMethod[] = ["POST", "GET", "PUT", "DELETE"];

const has = (list: readonly string[], key: string) => list.includes(key);
export const isBooleanOption = (key: string): key is (typeof BOOLEAN_OPTIONS)[number] =>
  has(BOOLEAN_OPTIONS, key);
export const isIntegerOption = (key: string): key is keyof typeof INTEGER_OPTIONS =>
  Object.hasOwn(INTEGER_OPTIONS, key);
export const isStringOption = (key: string): key is (typeof STRING_OPTIONS)[number] =>
  has(STRING_OPTIONS, key);
export const isListOption = (key: string): key is (typeof LIST_OPTIONS)[number] => has(LIST_OPTIONS, key);
