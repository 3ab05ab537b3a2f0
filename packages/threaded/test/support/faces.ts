/**
 * The two faces of earshot behind one small adapter, so a single list of scenarios runs
 * against both: the threaded `LiveClient` (synchronous) and the async `AsyncLiveClient`.
 * Each adapter reports what the scenario needs — did start/finish succeed — and forwards
 * the same event names, which both clients share.
 */
import { AsyncLiveClient } from "@earshot/async";
import type { ClientOptions, LiveOptions } from "@earshot/core";
import { LiveClient, LiveTranscriptionEvents } from "@earshot/threaded";
import type { Logged } from "./harness.ts";

export interface FaceClient {
  /** Every event delivered, in order. */
  readonly events: Logged[];
  start(options: LiveOptions): Promise<boolean>;
  send(chunk: Buffer): Promise<void>;
  finish(): Promise<boolean>;
  isConnected(): boolean;
}

export interface Face {
  readonly name: string;
  create(options: ClientOptions): FaceClient;
}

function recordInto(
  events: Logged[],
  on: (event: string, handler: (payload: unknown) => void) => void,
): void {
  for (const event of Object.values(LiveTranscriptionEvents)) {
    on(event, (payload) => events.push({ event, payload } as Logged));
  }
}

export const threadedFace: Face = {
  name: "LiveClient (threaded)",
  create(options) {
    const client = new LiveClient(options);
    const events: Logged[] = [];
    recordInto(events, (event, handler) => client.on(event as "open", handler as never));
    return {
      events,
      start: async (liveOptions) => client.start(liveOptions),
      send: async (chunk) => {
        client.send(chunk);
      },
      finish: async () => client.finish(),
      isConnected: () => client.isConnected(),
    };
  },
};

export const asyncFace: Face = {
  name: "AsyncLiveClient (async)",
  create(options) {
    const client = new AsyncLiveClient(options);
    const events: Logged[] = [];
    recordInto(events, (event, handler) => client.on(event as "open", handler as never));
    return {
      events,
      start: (liveOptions) =>
        client.start(liveOptions).then(
          () => true,
          () => false,
        ),
      send: (chunk) => client.send(chunk),
      finish: () =>
        client.finish().then(
          () => true,
          () => false,
        ),
      isConnected: () => client.isConnected(),
    };
  },
};
