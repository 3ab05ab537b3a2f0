/** The {@link FluxFace} adapter over `@earshot/async`'s `AsyncFluxClient`. */
import { AsyncFluxClient, FluxEvents } from "@earshot/async";
import type { CloseReport, FluxConfigure, FluxCurrentTurn, FluxOptions } from "@earshot/core";
import type { FluxFace, FluxFaceKind, FluxFaceOptions, RecordedFluxEvent } from "./flux-face.ts";

class AsyncFluxFace implements FluxFace {
  readonly events: RecordedFluxEvent[] = [];
  #client: AsyncFluxClient | undefined;

  get closeReport(): CloseReport | undefined {
    return this.#client?.closeReport;
  }

  get currentTurn(): FluxCurrentTurn {
    return this.#started().currentTurn;
  }

  async start(options: FluxOptions, client: FluxFaceOptions): Promise<void> {
    const flux = new AsyncFluxClient(client);
    this.#client = flux;
    for (const event of Object.values(FluxEvents)) {
      flux.on(event, ((payload: never) =>
        this.events.push({ event, payload } as RecordedFluxEvent)) as never);
    }
    await flux.start(options);
  }

  send(bytes: Uint8Array): Promise<void> {
    return this.#started().send(bytes);
  }

  configure(change: FluxConfigure) {
    return this.#started().configure(change);
  }

  forceEndTurn() {
    return this.#started().forceEndTurn();
  }

  finish(): Promise<void> {
    return this.#started().finish();
  }

  abort(reason?: unknown): void {
    this.#started().abort(reason);
  }

  #started(): AsyncFluxClient {
    if (this.#client === undefined) throw new Error("start() first");
    return this.#client;
  }
}

/** Flux through `AsyncFluxClient`: promises, events fired from the socket's own loop. */
export const asyncFluxFace: FluxFaceKind = {
  name: "async",
  create: () => new AsyncFluxFace(),
  cleanup: async () => {},
};
