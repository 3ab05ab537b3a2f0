/**
 * NDJSON output: every server message as one line of JSON, exactly as received and parsed, for
 * pipes and scripts (`earshot listen talk.wav | jq -r 'select(.is_final) | .channel.alternatives[0].transcript'`).
 */
import type { ServerMessage } from "@earshot/core";
import type { Renderer } from "./renderer.ts";

/** Writes one JSON object per line to `out`. */
export class JsonRenderer implements Renderer {
  readonly #out: NodeJS.WritableStream;

  constructor(out: NodeJS.WritableStream) {
    this.#out = out;
  }

  message(message: ServerMessage): void {
    this.#out.write(`${JSON.stringify(message)}\n`);
  }

  progress(): void {
    // Progress is for people; a pipe gets only the server's messages.
  }

  end(): void {}
}
