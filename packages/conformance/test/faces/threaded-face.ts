/**
 * The {@link Face} adapter over `@earshot/threaded`'s `LiveClient`: its synchronous methods
 * wrapped in promises. `start()` and `finish()` block this thread until the engine reports, and
 * deliver their events before returning, so the adapter reads the outcome from the events.
 */
import {
  type AudioSource,
  type ClientOptions,
  type CloseReport,
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

  get closeReport(): CloseReport | undefined {
    return this.#client?.closeReport;
  }

  create(client: ClientOptions): void {
    const live = new LiveClient(client);
    this.#client = live;
    for (const event of Object.values(LiveTranscriptionEvents)) {
      live.on(event, ((payload: never) => this.events.push({ event, payload } as RecordedEvent)) as never);
    }
  }

  async start(options: LiveOptions, client?: ClientOptions): Promise<void> {
    if (client !== undefined || this.#client === undefined) this.create(client ?? {});
    if (!this.#started().start(options))
      throw this.closeReport?.error ?? this.#lastError("start() returned false");
  }

  async send(bytes: Uint8Array): Promise<void> {
    if (!this.#started().send(bytes)) throw this.#lastError("send() returned false");
  }

  sendFrom(source: AudioSource): Promise<void> {
    return this.#started().sendFrom(source);
  }

  finalize(channel?: number): boolean {
    return this.#started().finalize(channel);
  }

  async finish(options: { timeout?: number } = {}): Promise<MetadataMessage | undefined> {
    const clean = this.#started().finish(options);
    if (!clean) throw this.closeReport?.error ?? this.#lastError("finish() returned false");
    return payloads(this.events, "Metadata").at(-1);
  }

  abort(reason?: unknown): void {
    this.#started().abort(reason);
  }

  isConnected(): boolean {
    return this.#client?.isConnected() ?? false;
  }

  #started(): LiveClient {
    if (this.#client === undefined) throw new Error("start() first");
    return this.#client;
  }

  /**
   * The error behind a `false`: once closed, the StateError the async face throws (cause: what
   * closed the stream; the threaded client itself emits nothing after Close), else the client's
   * last `Error` event.
   */
  #lastError(what: string): EarshotError {
    const report = this.closeReport;
    if (report !== undefined)
      return new StateError(`${what}: the stream is closed.`, { cause: report.error });
    return payloads(this.events, "error").at(-1) ?? new StateError(what);
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
