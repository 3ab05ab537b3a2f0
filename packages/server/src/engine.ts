/**
 * The recognizer interface behind the local server. The server owns everything that is
 * protocol (handshake, audio decoding, message shapes, timers); an engine only turns mono
 * Int16 PCM of one channel into words with times. It is deliberately small: the scripted
 * engine (engines/scripted-engine.ts) and the pocketsphinx engine (engines/pocketsphinx/)
 * both implement it.
 */
import type { LiveOptions } from "@earshot/core";

/** What the server tells an engine about one channel of one stream. */
export interface EngineStreamContext {
  /** Sample rate of the samples passed to {@link EngineStream.write} (the server decodes mulaw/alaw/WAV → Int16). */
  readonly sampleRate: number;
  /** 0-based channel: the server creates one engine stream per channel when `multichannel`, else downmixes to mono. */
  readonly channel: number;
  /** The parsed query (`interim_results`, `endpointing`, `vad_events`, `keyterm`, …). */
  readonly options: LiveOptions;
}

/** One recognised word; times are seconds of audio from the stream's start. */
export interface EngineWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

/** What an engine reports while it listens. */
export type EngineEvent =
  /** A revisable hypothesis for the current utterance. */
  | { type: "interim"; words: EngineWord[]; start: number; end: number }
  /** A final result for the span `start`..`end`; `endpoint` = speech_final (silence detected). */
  | { type: "final"; words: EngineWord[]; start: number; end: number; endpoint: boolean }
  /** Speech began at `timestamp` seconds (sent as `SpeechStarted` when `vad_events`). */
  | { type: "speech-started"; timestamp: number };

/** One channel of one live stream. */
export interface EngineStream {
  /** Mono PCM of this channel, in order; the engine may process it asynchronously. */
  write(samples: Int16Array): void;
  /** Ends the current utterance; every resulting event is emitted before the promise resolves. */
  flush(reason: "finalize" | "close"): Promise<void>;
  /**
   * Resolves once every event of the audio written so far has been emitted, without ending the
   * utterance. Engines that emit synchronously from `write()` need not implement it.
   */
  sync?(): Promise<void>;
  /** Releases resources; no events after. */
  close(): void;
}

/** A recognizer that can serve many streams at once. */
export interface Engine {
  /** Reported in `model_info.name`. */
  readonly name: string;
  /** Opens one stream; `emit` delivers its events in order. */
  createStream(context: EngineStreamContext, emit: (event: EngineEvent) => void): EngineStream;
  /** Releases the engine; `LocalServer.close()` calls it. */
  close(): Promise<void>;
}

/**
 * Creates the engine a server uses. Called once per `startServer()`.
 *
 * @example
 * ```ts
 * const server = await startServer({ engine: scriptedEngine({ transcript: "hello world" }) });
 * ```
 */
export type EngineFactory = () => Engine | Promise<Engine>;
