/**
 * The {@link Face} adapter over `@earshot/threaded`'s `LiveClient`: its synchronous methods
 * wrapped in promises. `start()` and `finish()` block this thread until the engine reports, and
 * deliver their events before returning, so the adapter reads the outcome from the events.
 */
import {
  type ClientOptions,
  type EarshotError,
  type LiveOptions,
  type MetadataMessage,
  StateError,
} from "@earshot/core";
import { engineStats, LiveClient, LiveTranscriptionEvents, shutdownEngines } from "@earshot/threaded";
import { type Face, type FaceKind, payloads, type RecordedEvent } from "./face.ts";

class ThreadedFace implements Face {
  readonly events: RecordedEvent[] = [];
  #client: LiveClient | undefined;

  async start(options: LiveOptions, client: ClientOptions): Promise<void> {
    const live = new LiveClient(client);
    this.#client = live;
    for (const event of Object.values(LiveTranscriptionEvents)) {
      live.on(event, ((payload: never) => this.events.push({ event, payload } as RecordedEvent)) as never);
    }
    if (!live.start(options)) throw this.#lastError("start() returned false");
  }

  async send(bytes: Uint8Array): Promise<void> {
    if (!this.#started().send(bytes)) throw this.#lastError("send() returned false");
  }

  finalize(): void {
    if (!this.#started().finalize()) throw this.#lastError("finalize() returned false");
  }

  async finish(): Promise<MetadataMessage | undefined> {
    const clean = this.#started().finish();
    if (!clean)
      throw payloads(this.events, "close").at(-1)?.error ?? this.#lastError("finish() returned false");
    return payloads(this.events, "Metadata").at(-1);
  }

  isConnected(): boolean {
    return this.#client?.isConnected() ?? false;
  }

  #started(): LiveClient {
    if (this.#client === undefined) throw new Error("start() first");
    return this.#client;
  }

  /** The error the client reported through its `Error` event (it returns booleans, not errors). */
  #lastError(fallback: string): EarshotError {
    return payloads(this.events, "error").at(-1) ?? new StateError(fallback);
  }
}

/** Streams through `LiveClient`: synchronous methods, the socket on an engine worker thread. */
export const threadedFace: FaceKind = {
  name: "threaded",
  create: () => new ThreadedFace(),
  async cleanup() {
    // Every stream was finished or closed: none may still hold a place on an engine thread.
    const { sessions } = engineStats();
    await shutdownEngines();
    if (sessions !== 0)
      throw new Error(`${sessions} threaded session(s) still registered on the engine pool`);
  },
};
