/** The {@link Face} adapter over `@earshot/async`'s `AsyncLiveClient`. */
import { AsyncLiveClient, LiveTranscriptionEvents } from "@earshot/async";
import type { AudioSource, ClientOptions, CloseReport, LiveOptions, MetadataMessage } from "@earshot/core";
import type { Face, FaceKind, RecordedEvent } from "./face.ts";

class AsyncFace implements Face {
  readonly events: RecordedEvent[] = [];
  #client: AsyncLiveClient | undefined;

  get closeReport(): CloseReport | undefined {
    return this.#client?.closeReport;
  }

  create(client: ClientOptions): void {
    const live = new AsyncLiveClient(client);
    this.#client = live;
    for (const event of Object.values(LiveTranscriptionEvents)) {
      live.on(event, ((payload: never) => this.events.push({ event, payload } as RecordedEvent)) as never);
    }
  }

  async start(options: LiveOptions, client?: ClientOptions): Promise<void> {
    if (client !== undefined || this.#client === undefined) this.create(client ?? {});
    await this.#started().start(options);
  }

  send(bytes: Uint8Array): Promise<void> {
    return this.#started().send(bytes);
  }

  sendFrom(source: AudioSource): Promise<void> {
    return this.#started().sendFrom(source);
  }

  finalize(channel?: number): boolean {
    return this.#started().finalize(channel);
  }

  finish(options: { timeout?: number } = {}): Promise<MetadataMessage | undefined> {
    return this.#started().finish(options);
  }

  abort(reason?: unknown): void {
    this.#started().abort(reason);
  }

  isConnected(): boolean {
    return this.#client?.isConnected() ?? false;
  }

  #started(): AsyncLiveClient {
    if (this.#client === undefined) throw new Error("start() first");
    return this.#client;
  }
}

/** Streams through `AsyncLiveClient`: promises, events fired from the socket's own loop. */
export const asyncFace: FaceKind = {
  name: "async",
  create: () => new AsyncFace(),
  cleanup: async () => {},
};
