/**
 * The machine-readable schema of every `/v1/listen` query parameter (PROTOCOL.md §2): name,
 * type, allowed values. Runtime validation reads its enums from here, and a CLI can generate
 * its flags from it.
 */
import {
  BOOLEAN_OPTIONS,
  CALLBACK_METHODS,
  INTEGER_OPTIONS,
  type KnownLiveOptions,
  LIST_OPTIONS,
  STRING_OPTIONS,
} from "./live-options.ts";

/** How a parameter's value is written. */
export type ListenParameterType =
  | "boolean"
  | "integer"
  | "string"
  | "enum"
  | "string-list"
  | "enum-list"
  /** `endpointing`: ms, or `false`. */
  | "integer-or-false"
  /** `redact`: `true`, or a list of kinds. */
  | "boolean-or-enum-list"
  /** `extra`: `key:value` pairs. */
  | "record";

/** One query parameter. */
export interface ListenParameter {
  readonly name: keyof KnownLiveOptions;
  readonly type: ListenParameterType;
  /** The allowed values of an enum type (other values need `unchecked`). */
  readonly values?: readonly string[];
  /** The smallest allowed value of an integer type. */
  readonly min?: number;
}

/** Raw audio encodings of PROTOCOL.md §2. */
export const AUDIO_ENCODINGS = [
  "linear16",
  "linear32",
  "flac",
  "alaw",
  "mulaw",
  "amr-nb",
  "amr-wb",
  "opus",
  "ogg-opus",
  "speex",
  "g729",
] as const;

/** What `redact` may list. */
export const REDACT_MODES = ["pci", "numbers", "aggressive_numbers", "ssn"] as const;

const ENUMS: Partial<Record<keyof KnownLiveOptions, readonly string[]>> = {
  encoding: AUDIO_ENCODINGS,
  callback_method: CALLBACK_METHODS,
};

/**
 * Every known parameter, in a stable order.
 *
 * @example
 * ```ts
 * for (const parameter of LISTEN_QUERY_SCHEMA) console.log(parameter.name, parameter.type, parameter.values ?? "");
 * ```
 */
export const LISTEN_QUERY_SCHEMA: readonly ListenParameter[] = Object.freeze([
  ...STRING_OPTIONS.map((name): ListenParameter => {
    const values = ENUMS[name];
    return values === undefined ? { name, type: "string" } : { name, type: "enum", values };
  }),
  ...Object.entries(INTEGER_OPTIONS).map(
    ([name, min]): ListenParameter => ({ name: name as keyof KnownLiveOptions, type: "integer", min }),
  ),
  ...BOOLEAN_OPTIONS.map((name): ListenParameter => ({ name, type: "boolean" })),
  ...LIST_OPTIONS.map((name): ListenParameter => ({ name, type: "string-list" })),
  { name: "endpointing", type: "integer-or-false", min: 0 },
  { name: "redact", type: "boolean-or-enum-list", values: REDACT_MODES },
  { name: "extra", type: "record" },
]);

/** The allowed values of an enum parameter, or undefined for other parameters. */
export function enumValuesOf(name: string): readonly string[] | undefined {
  return LISTEN_QUERY_SCHEMA.find((parameter) => parameter.name === name)?.values;
}
