import { describe, expect, it } from "vitest";
import {
  CallbackError,
  type CloseReport,
  ConnectionClosedError,
  type LiveTranscriptionEventMap,
  LiveTranscriptionEvents,
  StateError,
} from "../src/index.ts";
import { EventPipeline, PipelineClient } from "../src/internal.ts";

const dropped = (): ConnectionClosedError =>
  new ConnectionClosedError({ closeCode: 1008, reason: "DATA-0000 bad audio", requestId: undefined });
const closedWith = (error?: ConnectionClosedError): CloseReport => ({
  code: error === undefined ? 1000 : 1008,
  reason: "",
  wasClean: true,
  ...(error === undefined ? {} : { error }),
});

function recorded() {
  const pipeline = new EventPipeline<LiveTranscriptionEventMap>();
  const log: string[] = [];
  pipeline.on("open", () => log.push("open"));
  pipeline.on("error", (error) => log.push(`error:${error.code}`));
  pipeline.on("close", () => log.push("close"));
  return { pipeline, log };
}

describe("EventPipeline", () => {
  it("turns a close report into Error then Close, and delivers nothing after Close", () => {
    const { pipeline, log } = recorded();
    pipeline.emit("open", { requestId: undefined });
    pipeline.close(closedWith(dropped()));
    pipeline.flush();
    pipeline.emit("open", { requestId: undefined });
    pipeline.error(new StateError("late"));
    pipeline.close(closedWith());
    pipeline.flush();
    expect(log).toEqual(["open", "error:ERR_CONNECTION_CLOSED", "close"]);
  });

  it("reports at most one Error per cause", () => {
    const { pipeline, log } = recorded();
    const cause = dropped();
    expect(pipeline.error(cause)).toBe(true);
    expect(pipeline.error(new StateError("refused", { cause }))).toBe(false);
    pipeline.close(closedWith(cause));
    pipeline.flush();
    expect(log).toEqual(["error:ERR_CONNECTION_CLOSED", "close"]);
  });

  it("refuses calls on a closed stream with a StateError whose cause closed it, emitting nothing", () => {
    const { pipeline, log } = recorded();
    const cause = dropped();
    pipeline.close(closedWith(cause));
    pipeline.flush();
    const refusal = pipeline.refusal("send()");
    expect(refusal).toBeInstanceOf(StateError);
    expect(refusal.cause).toBe(cause);
    expect(log).toEqual(["error:ERR_CONNECTION_CLOSED", "close"]);
  });

  it("never re-enters a callback: events queued inside one are delivered after it returns, in order", () => {
    const pipeline = new EventPipeline<LiveTranscriptionEventMap>();
    const log: string[] = [];
    let depth = 0;
    pipeline.on("open", () => {
      depth++;
      log.push(`open@${depth}`);
      pipeline.emit("close", closedWith());
      log.push("open returns");
      depth--;
    });
    pipeline.on("close", () => log.push(`close@${depth}`));
    pipeline.emit("open", { requestId: undefined });
    expect(log).toEqual(["open@1", "open returns", "close@0"]);
  });

  it("a throwing callback becomes the very next Error event; a throwing Error handler does not loop", () => {
    const pipeline = new EventPipeline<LiveTranscriptionEventMap>();
    const log: string[] = [];
    const boom = new Error("bug");
    pipeline.on("open", () => {
      throw boom;
    });
    pipeline.on("error", (error) => {
      log.push(`error:${error.code}`);
      expect(error).toBeInstanceOf(CallbackError);
      expect(error.cause).toBe(boom);
      throw new Error("error handler bug");
    });
    pipeline.on("close", () => log.push("close"));
    pipeline.push("open", { requestId: undefined });
    pipeline.push("close", closedWith());
    pipeline.flush();
    expect(log).toEqual(["error:ERR_CALLBACK_FAILED", "close"]);
  });

  it("reopen() starts a new stream on the same handlers", () => {
    const { pipeline, log } = recorded();
    pipeline.close(closedWith());
    pipeline.flush();
    pipeline.reopen();
    pipeline.emit("open", { requestId: undefined });
    expect(log).toEqual(["close", "open"]);
  });

  it("several throwing handlers of one event: their CallbackErrors come next, in the order they threw", () => {
    const pipeline = new EventPipeline<LiveTranscriptionEventMap>();
    const causes: unknown[] = [];
    pipeline.on("open", () => {
      throw "first";
    });
    pipeline.on("open", () => {
      throw "second";
    });
    pipeline.on("error", (error) => causes.push(error.cause));
    pipeline.push("open", { requestId: undefined });
    pipeline.push("error", new StateError("queued before"));
    pipeline.flush();
    expect(causes).toEqual(["first", "second", undefined]);
  });
});

describe("PipelineClient", () => {
  class Client extends PipelineClient<LiveTranscriptionEventMap> {
    constructor() {
      super(Object.values(LiveTranscriptionEvents));
    }
  }

  it("refuses a handler that could never run: an unknown event (naming the nearest) or a non-function", () => {
    const client = new Client();
    expect(() => client.on("Resutls" as never, () => {})).toThrow(
      /"Resutls" is not an event.*Did you mean "Results"\?/,
    );
    expect(() => client.once("Transcript" as never, () => {})).toThrow(TypeError);
    expect(() => client.off("message" as never, () => {})).toThrow(/Its events: open, close, Results/);
    expect(() => client.on("Results", 5 as never)).toThrow(/the handler must be a function, not number 5/);
    expect(() => client.on("Results", undefined as never)).toThrow(TypeError);
    expect(client.on("Results", () => {})).toBe(client);
  });
});
