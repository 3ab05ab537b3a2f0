/**
 * The scripted engine: a deterministic stand-in for a recognizer. It "hears" the words of a
 * script, timed against the audio actually received, so tests know exactly which words and
 * endpoints to expect.
 */
import type { Engine, EngineFactory } from "../engine.ts";
import { ScriptedStream } from "./scripted-stream.ts";

/** A script word with explicit times (seconds of audio from the stream's start). */
export interface ScriptedWord {
  word: string;
  start: number;
  end: number;
}

/** What the scripted engine says, and how it hears silence. */
export interface ScriptOptions {
  /**
   * Words spread over the speech: each word takes `1 / wordsPerSecond` seconds of non-silent
   * audio and is reported once that much speech has arrived. Punctuation and capitals written
   * here become `punctuated_word` when the client asks for `punctuate`/`smart_format`.
   * Ignored when `words` is given. @default DEFAULT_TRANSCRIPT (looped)
   */
  transcript?: string;
  /** Words with explicit times, each reported once the audio up to its `end` has arrived. */
  words?: readonly ScriptedWord[];
  /** Speaking rate for `transcript`. @default 2.5 */
  wordsPerSecond?: number;
  /** A 10 ms window whose peak |sample| is below this is silence. @default 500 */
  silenceThreshold?: number;
  /** Start the transcript again when it runs out. @default true for the default script, else false */
  loop?: boolean;
  /** Confidence of every word. @default 0.99 */
  confidence?: number;
  /** Seconds of audio between two interim results (with `interim_results=true`). @default 1 */
  interimIntervalSeconds?: number;
  /**
   * How each word of `transcript` is chosen.
   * - `"order"`: the next token of the script. Every stream starts the script again, so a new
   *   connection that hears replayed audio calls it by other words.
   * - `"level"`: the audio names the word: the token at index `peak − silenceThreshold`
   *   (modulo the number of tokens), where `peak` is the largest |sample| of the word's audio
   *   (mono linear16 carries it exactly; e.g. ±(500 + i) samples make token `i`). The same audio
   *   gives the same words, with the same times, on any connection: what a test of reconnect
   *   with replay needs.
   * Ignored when `words` is given. @default "order"
   */
  wordChoice?: "order" | "level";
}

/** The script used when none is given. */
export const DEFAULT_TRANSCRIPT = "The quick brown fox jumps over the lazy dog.";

/** Name reported in `model_info.name`. */
export const SCRIPTED_ENGINE_NAME = "earshot-scripted";

/**
 * Creates the scripted engine's factory.
 *
 * @example
 * ```ts
 * const server = await startServer({ engine: scriptedEngine({ transcript: "Hello there, world." }) });
 * // 1.2 s of tone() then silence(0.1) → a final "hello there world" with speech_final: true
 * ```
 */
export function scriptedEngine(script: ScriptOptions = {}): EngineFactory {
  const usesDefault = script.transcript === undefined && script.words === undefined;
  const resolved = {
    tokens: tokenize(script.transcript ?? DEFAULT_TRANSCRIPT),
    words: script.words === undefined ? undefined : [...script.words].sort((a, b) => a.end - b.end),
    wordsPerSecond: positive(script.wordsPerSecond, 2.5, "wordsPerSecond"),
    silenceThreshold: script.silenceThreshold ?? 500,
    loop: script.loop ?? usesDefault,
    confidence: script.confidence ?? 0.99,
    wordChoice: wordChoice(script.wordChoice),
    interimIntervalSeconds: positive(script.interimIntervalSeconds, 1, "interimIntervalSeconds"),
  };
  return () => {
    const engine: Engine = {
      name: SCRIPTED_ENGINE_NAME,
      createStream: (context, emit) => new ScriptedStream(resolved, context, emit),
      close: async () => {},
    };
    return engine;
  };
}

/** The resolved script one stream follows. */
export interface ResolvedScript {
  readonly tokens: readonly string[];
  readonly words: readonly ScriptedWord[] | undefined;
  readonly wordsPerSecond: number;
  readonly silenceThreshold: number;
  readonly loop: boolean;
  readonly confidence: number;
  readonly wordChoice: "order" | "level";
  readonly interimIntervalSeconds: number;
}

function tokenize(transcript: string): string[] {
  return transcript.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token));
}

function wordChoice(value: ScriptOptions["wordChoice"]): "order" | "level" {
  if (value === undefined || value === "order" || value === "level") return value ?? "order";
  throw new RangeError(`scriptedEngine: wordChoice must be "order" or "level", not ${String(value)}`);
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`scriptedEngine: ${name} must be a positive number`);
  return value;
}
