/**
 * The {@link FluxFace} adapter over `@earshot/threaded`'s `FluxClient`: its blocking methods
 * wrapped in promises (a return value resolves, a throw rejects, `false` rejects with the error
 * the client reported).
 */
import {
  type CloseReport,
  type EarshotError,
  type FluxConfigure,
  type FluxCurrentTurn,
  type FluxOptions,
  StateError,
} from "@earshot/core";
import { engineStats, FluxClient, FluxEvents, shutdownEngines } from "@earshot/threaded";
import {
  type FluxFace,
  type FluxFaceKind,
  type FluxFaceOptions,
  fluxPayloads,
  type RecordedFluxEvent,
} from "./flux-face.ts";

class ThreadedFluxFace implements FluxFace {
  readonly events: RecordedFluxEvent[] = [];
  #client: FluxClient | undefined;

  get closeReport(): CloseReport | undefined {
    return this.#client?.closeReport;
  }

  get currentTurn(): FluxCurrentTurn {
    return this.#started().currentTurn;
  }

  async start(options: FluxOptions, client: FluxFaceOptions): Promise<void> {
    const flux = new FluxClient(client);
    this.#client = flux;
    for (const event of Object.values(FluxEvents)) {
      flux.on(event, ((payload: never) =>
        this.events.push({ event, payload } as RecordedFluxEvent)) as never);
    }
    if (!flux.start(options)) throw this.closeReport?.error ?? this.#lastError("start() returned false");
  }

  async send(bytes: Uint8Array): Promise<void> {
    if (!this.#started().send(bytes)) throw this.#lastError("send() returned false");
  }

  async configure(change: FluxConfigure) {
    return this.#started().configure(change);
  }

  async forceEndTurn() {
    return this.#started().forceEndTurn();
  }

  async finish(): Promise<void> {
    if (!this.#started().finish())
      throw this.closeReport?.error ?? this.#lastError("finish() returned false");
  }

  abort(reason?: unknown): void {
    this.#started().abort(reason);
  }

  #started(): FluxClient {
    if (this.#client === undefined) throw new Error("start() first");
    return this.#client;
  }

  /** The error behind a `false`: once closed the async face's StateError, else the last `Error` event. */
  #lastError(what: string): EarshotError {
    const report = this.closeReport;
    if (report !== undefined)
      return new StateError(`${what}: the stream is closed.`, { cause: report.error });
    return fluxPayloads(this.events, "error").at(-1) ?? new StateError(what);
  }
}

/** Flux through `FluxClient`: blocking methods, the socket on an engine worker thread. */
export const threadedFluxFace: FluxFaceKind = {
  name: "threaded",
  create: () => new ThreadedFluxFace(),
  async cleanup() {
    const { sessions } = engineStats();
    await shutdownEngines();
    if (sessions !== 0)
      throw new Error(`${sessions} threaded session(s) still registered on the engine pool`);
  },
};
