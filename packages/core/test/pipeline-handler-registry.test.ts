import { describe, expect, it } from "vitest";
import type { LiveTranscriptionEvent } from "../src/index.ts";
import { HandlerRegistry } from "../src/internal.ts";

type Events = { open: [info: { requestId: string }] };

const open = { requestId: "r-1" };

describe("HandlerRegistry", () => {
  it("calls handlers in registration order; once-handlers only once", () => {
    const calls: string[] = [];
    const handlers = new HandlerRegistry<Events>(() => {});
    handlers.add("open", () => calls.push("a"), false);
    handlers.add("open", () => calls.push("once"), true);
    handlers.add("open", () => calls.push("b"), false);
    handlers.emit("open", open);
    handlers.emit("open", open);
    expect(calls).toEqual(["a", "once", "b", "a", "b"]);
    expect(handlers.count("open")).toBe(2);
  });

  it("off removes the most recent registration of that handler only", () => {
    const calls: number[] = [];
    const handler = () => calls.push(1);
    const handlers = new HandlerRegistry<Events>(() => {});
    handlers.add("open", handler, false);
    handlers.add("open", handler, false);
    handlers.remove("open", handler);
    handlers.emit("open", open);
    expect(calls).toEqual([1]);
    handlers.remove("open", handler);
    expect(handlers.count("open")).toBe(0);
  });

  it("a handler that throws is reported and the others still run", () => {
    const reported: Array<[LiveTranscriptionEvent, unknown]> = [];
    const calls: string[] = [];
    const handlers = new HandlerRegistry<Events>((event, thrown) => reported.push([event, thrown]));
    const failure = new Error("boom");
    handlers.add(
      "open",
      () => {
        throw failure;
      },
      false,
    );
    handlers.add("open", () => calls.push("after"), false);
    handlers.emit("open", open);
    expect(calls).toEqual(["after"]);
    expect(reported).toEqual([["open", failure]]);
  });

  it("handlers added while emitting take effect from the next event", () => {
    const calls: string[] = [];
    const handlers = new HandlerRegistry<Events>(() => {});
    handlers.add(
      "open",
      () => {
        calls.push("first");
        handlers.add("open", () => calls.push("late"), false);
      },
      true,
    );
    handlers.emit("open", open);
    expect(calls).toEqual(["first"]);
    handlers.emit("open", open);
    expect(calls).toEqual(["first", "late"]);
  });
});
