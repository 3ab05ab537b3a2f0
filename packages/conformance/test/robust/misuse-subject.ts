/**
 * The bad-input suite's view of one client of either face, used raw (no adapter smoothing its
 * calling convention away): every call's outcome (returned, threw, rejected), every event in
 * delivery order, and what its throwing handlers threw.
 */
import { AsyncLiveClient, LiveTranscriptionEvents } from "@earshot/async";
import type { ClientOptions } from "@earshot/core";
import { LiveClient } from "@earshot/threaded";
import type { RecordedEvent } from "../faces/face.ts";

export type FaceName = "async" | "threaded";
/** Before `start()`, while the stream is open, after `Close`. */
export type Phase = "fresh" | "open" | "ended";

/** What one call did. */
export type Outcome =
  | { readonly how: "returned"; readonly value: unknown }
  | { readonly how: "threw"; readonly error: unknown }
  | { readonly how: "rejected"; readonly error: unknown };

/** A value a handler threw, and the event it was handling. */
export interface Thrown {
  readonly event: string;
  readonly value: unknown;
}

/** The client under test: either face's, with the methods both have, called the face's way. */
export type AnyClient = AsyncLiveClient | LiveClient;

export class MisuseSubject {
  readonly face: FaceName;
  readonly client: AnyClient;
  readonly events: RecordedEvent[] = [];
  readonly thrown: Thrown[] = [];

  constructor(face: FaceName, options: ClientOptions) {
    this.face = face;
    this.client = face === "async" ? new AsyncLiveClient(options) : new LiveClient(options);
    for (const event of Object.values(LiveTranscriptionEvents)) {
      this.client.on(event, ((payload: never) =>
        this.events.push({ event, payload } as RecordedEvent)) as never);
    }
  }

  /** Adds a handler for `event` that throws `make()` each time (recording what it threw). */
  throwOn(event: string, make: () => unknown): void {
    this.client.on(
      event as never,
      (() => {
        const value = make();
        this.thrown.push({ event, value });
        throw value;
      }) as never,
    );
  }

  /** Events after the `Close`, if any (there must be none). */
  get afterClose(): number {
    const index = this.events.findIndex((recorded) => recorded.event === "close");
    return index < 0 ? 0 : this.events.length - index - 1;
  }
}

/** Outcome of `call()`, its promise settled (bounded: a call that never settles fails the test). */
export async function outcomeOf(call: () => unknown): Promise<Outcome> {
  let value: unknown;
  try {
    value = call();
  } catch (error) {
    return { how: "threw", error };
  }
  if (!(value instanceof Promise)) return { how: "returned", value };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the call did not settle within 20 s")), 20_000);
  });
  try {
    return { how: "returned", value: await Promise.race([value, hang]) };
  } catch (error) {
    if (error instanceof Error && error.message === "the call did not settle within 20 s") throw error;
    return { how: "rejected", error };
  } finally {
    clearTimeout(timer);
  }
}
