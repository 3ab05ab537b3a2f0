/**
 * StopSignals, the CLI's bound on stopping: a first signal stops reading and starts the grace
 * period (whose time left bounds the finish), a second signal or the end of the grace period
 * aborts, a closed output aborts at once. Real timers with a short grace; no child process.
 */
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { waitFor } from "@earshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { StopSignals } from "../src/stop-signals.ts";

let stops: StopSignals[] = [];

function watch(graceMs: number) {
  const signals = new EventEmitter();
  const output = new PassThrough();
  let aborts = 0;
  const stop = new StopSignals({
    signals: signals as unknown as Pick<NodeJS.Process, "on" | "off">,
    output,
    abort: () => aborts++,
    graceMs,
  });
  stops.push(stop);
  return { stop, signals, output, aborts: () => aborts };
}

afterEach(() => {
  for (const stop of stops) stop.dispose();
  stops = [];
});

describe("StopSignals", () => {
  it("a first signal stops reading and starts the grace period; when it runs out, abort", async () => {
    const { stop, signals, aborts } = watch(150);
    expect(stop.finishTimeoutMs).toBeUndefined();
    signals.emit("SIGTERM", "SIGTERM");
    expect(stop.signal.aborted).toBe(true);
    expect(stop.stoppedBy).toBe("SIGTERM");
    expect(stop.exitCode).toBe(143);
    // The time left, for a finish() that blocks the thread where the grace timer would fire.
    expect(stop.finishTimeoutMs).toBeGreaterThan(0);
    expect(stop.finishTimeoutMs).toBeLessThanOrEqual(150);
    expect(aborts()).toBe(0);
    await waitFor(() => aborts() === 1, "the grace period to run out");
    expect(stop.cutShort).toBe("grace over");
    expect(stop.finishTimeoutMs).toBe(1);
  });

  it("a second signal aborts at once", () => {
    const { stop, signals, aborts } = watch(60_000);
    signals.emit("SIGHUP", "SIGHUP");
    expect(aborts()).toBe(0);
    signals.emit("SIGINT", "SIGINT");
    expect(aborts()).toBe(1);
    expect(stop.cutShort).toBe("second signal");
    // The first signal decides the exit status.
    expect(stop.exitCode).toBe(129);
  });

  it("a closed output (EPIPE) aborts at once, exit 141; nothing is waited for", () => {
    const { stop, output, aborts } = watch(60_000);
    output.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    expect(aborts()).toBe(1);
    expect(stop.outputClosed).toBe(true);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.exitCode).toBe(141);
    expect(stop.cutShort).toBeUndefined();
  });

  it("after dispose, signals are not listened to and a late write error cannot crash", () => {
    const { stop, signals, output } = watch(60_000);
    stop.dispose();
    expect(signals.listenerCount("SIGTERM")).toBe(0);
    expect(() => output.emit("error", new Error("write EPIPE"))).not.toThrow();
  });
});
