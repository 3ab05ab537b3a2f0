import { describe, expect, it } from "vitest";
import { AbortedError, ConnectionClosedError } from "../src/errors.ts";
import { DrainGate } from "../src/session/drain-gate.ts";

describe("DrainGate", () => {
  it("resolves every waiter when opened", async () => {
    const gate = new DrainGate();
    const a = gate.wait(undefined);
    const b = gate.wait(new AbortController().signal);
    expect(gate.waiting).toBe(true);
    gate.open();
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
    expect(gate.waiting).toBe(false);
  });

  it("rejects an aborted wait with AbortedError and forgets it, leaving the others", async () => {
    const gate = new DrainGate();
    const controller = new AbortController();
    const aborted = gate.wait(controller.signal);
    const other = gate.wait(undefined);
    controller.abort("stop waiting");
    const error = await aborted.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBe("stop waiting");
    expect(gate.waiting).toBe(true);
    gate.open();
    await other;
    expect(gate.waiting).toBe(false);
  });

  it("settles waiters with the session's end: resolve after a normal end, reject with its error otherwise", async () => {
    const normal = new DrainGate();
    const waiting = normal.wait(undefined);
    normal.settle(undefined);
    await expect(waiting).resolves.toBeUndefined();

    const failed = new DrainGate();
    const error = new ConnectionClosedError({ closeCode: 1006, reason: "" });
    const pending = failed.wait(new AbortController().signal);
    failed.settle(error);
    await expect(pending).rejects.toBe(error);
  });
});
