/**
 * The CLI's Flux stream (`--flux`) on either client: `AsyncFluxClient`, or `FluxClient` with
 * `--threaded`. As for `/v1/listen` (face.ts), everything else in the CLI is the same whichever
 * face runs the stream; each factory only maps these few calls onto its client.
 */
import { AsyncFluxClient } from "@earshot/async";
import type {
  ClientOptions,
  FluxEvent,
  FluxEventMap,
  FluxOptions,
  FluxProtocolWarning,
  FluxServerMessage,
  FluxTurn,
} from "@earshot/core";
import { FluxClient } from "@earshot/threaded";

/** What a Flux face reports while the stream runs. */
export interface FluxFaceEvents {
  /** Every server message, in order. */
  message(message: FluxServerMessage): void;
  /** Each finished turn (and, at the end, a turn still open, trigger "unfinalised"). */
  turn(turn: FluxTurn): void;
  /** The server broke §8.6's turn rules or skipped a sequence number. */
  warning(warning: FluxProtocolWarning): void;
  /** A problem the client reported (the first fatal one also rejects start/send/finish). */
  error(error: unknown): void;
}

/** A Flux stream, as the CLI drives it. */
export interface FluxFace {
  start(options: FluxOptions): Promise<void>;
  send(chunk: Uint8Array): Promise<void>;
  /** CloseStream; resolves after the server closed and every message was delivered. */
  finish(): Promise<void>;
  /** Closes now (a second Ctrl-C); absent on the threaded face, whose thread blocks in finish(). */
  abort?(): void;
}

/** Builds a Flux face for one stream. */
export type FluxFaceFactory = (client: ClientOptions, events: FluxFaceEvents) => FluxFace;

const MESSAGE_EVENTS = [
  "Connected",
  "StartOfTurn",
  "Update",
  "EagerEndOfTurn",
  "TurnResumed",
  "EndOfTurn",
  "ConfigureSuccess",
  "ConfigureFailure",
  "Warning",
  "Unhandled",
] as const satisfies readonly FluxEvent[];

/** What both Flux clients have: typed `on` over the same event map. */
interface FluxEmitter {
  on<E extends keyof FluxEventMap>(event: E, handler: (payload: FluxEventMap[E]) => void): unknown;
}

/** Subscribes `events` to a client of either face (the same event names and payloads). */
function listen(client: FluxEmitter, events: FluxFaceEvents, onError: (error: unknown) => void): void {
  for (const event of MESSAGE_EVENTS)
    client.on(event, (message) => events.message(message as FluxServerMessage));
  client.on("turn", (turn) => events.turn(turn));
  client.on("protocolWarning", (warning) => events.warning(warning));
  client.on("error", onError);
}

/** `AsyncFluxClient`: every call is already a promise. */
export const createAsyncFluxFace: FluxFaceFactory = (clientOptions, events) => {
  const client = new AsyncFluxClient(clientOptions);
  listen(client, events, (error) => events.error(error));
  return {
    start: (options) => client.start(options),
    send: (chunk) => client.send(chunk),
    finish: () => client.finish(),
    abort: () => client.abort(),
  };
};

/** `FluxClient`: its socket on the engine worker; start/send/finish block (bounded). */
export const createThreadedFluxFace: FluxFaceFactory = (clientOptions, events) => {
  const client = new FluxClient(clientOptions);
  let lastError: unknown;
  listen(client, events, (error) => {
    lastError = error;
    events.error(error);
  });
  const failure = (what: string) => lastError ?? new Error(`${what} failed`);
  return {
    start: async (options) => {
      if (!client.start(options)) throw failure("connecting");
    },
    send: async (chunk) => {
      if (!client.send(chunk)) throw failure("sending audio");
    },
    finish: async () => {
      if (!client.finish()) throw failure("finishing the stream");
    },
  };
};
