/**
 * What every output mode is told: each server message in arrival order, progress through a
 * file, and the end. The terminal renderer draws captions; the JSON renderer writes NDJSON;
 * the subtitle writer writes cues.
 */
import type { ServerMessage } from "@earshot/core";

/** How far through the audio the stream is. */
export interface Progress {
  /** Seconds of audio sent. */
  readonly positionSeconds: number;
  /** Seconds of audio in all, when known. */
  readonly durationSeconds: number | undefined;
  /** Audio seconds sent per wall-clock second so far (1 = real time); undefined at first, while it means nothing yet. */
  readonly speed: number | undefined;
}

/** An output mode. */
export interface Renderer {
  /** One message from the server, in the order received. */
  message(message: ServerMessage): void;
  /** Audio sent so far (called after every frame; renderers throttle themselves). */
  progress(progress: Progress): void;
  /** A final is overdue (no reply to Finalize): show what is pending as final. */
  promotePending?(): void;
  /** Live figures for the status line (`--stats`). */
  stats?(line: string): void;
  /** The stream is over: leave the output tidy (no half-drawn status line). */
  end(): void;
}
