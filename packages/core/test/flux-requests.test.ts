/**
 * Matching the server's answers to a Flux client's requests (FluxRequests): first in, first
 * out; a timed-out request keeps its place so its late answer never settles the next one;
 * ForceEndTurn settles on a manual EndOfTurn or the no-active-turn Warning only; a drop or the
 * close fails what is waiting.
 */
import { describe, expect, it } from "vitest";
import {
  ConfigureRejectedError,
  type FluxConfigureSuccessMessage,
  FluxServerError,
  type FluxTurn,
  OptionsError,
  StateError,
  TimeoutError,
} from "../src/index.ts";
import { FluxRequests } from "../src/internal.ts";

const success = (eot: number): FluxConfigureSuccessMessage => ({
  type: "ConfigureSuccess",
  thresholds: { eot_threshold: eot },
  keyterms: [],
});
const turn = (trigger: FluxTurn["trigger"]): FluxTurn => ({
  turnIndex: 0,
  transcript: "Hi.",
  words: [],
  start: 0,
  end: 1,
  trigger,
  endOfTurnConfidence: 0.9,
});
const endOfTurn = { type: "TurnInfo", event: "EndOfTurn" } as never;

describe("FluxRequests", () => {
  it("checks a Configure against the thresholds in force, which each ConfigureSuccess updates", () => {
    const requests = new FluxRequests({ model: "flux-general-en", eot_threshold: 0.6 });
    expect(() => requests.configureFrame({ thresholds: { eager_eot_threshold: 0.65 } })).toThrow(
      OptionsError,
    );
    const reply = requests.expectConfigure();
    requests.observe(success(0.9), undefined);
    expect(reply.state).toEqual({ status: "resolved", value: success(0.9) });
    expect(requests.thresholds).toEqual({ eot_threshold: 0.9 });
    expect(requests.configureFrame({ thresholds: { eager_eot_threshold: 0.65 } })).toBe(
      '{"type":"Configure","thresholds":{"eager_eot_threshold":0.65}}',
    );
  });

  it("answers Configures in order; a timed-out one keeps its place, so its late answer is its own", () => {
    const requests = new FluxRequests({ model: "flux-general-en" });
    const first = requests.expectConfigure();
    const second = requests.expectConfigure();
    first.timeOut(100);
    expect(first.state).toMatchObject({ status: "rejected", error: expect.any(TimeoutError) });
    expect(first.state.status === "rejected" && first.state.error.code).toBe("ERR_REPLY_TIMEOUT");
    requests.observe({ type: "ConfigureFailure", code: "INVALID_THRESHOLD", description: "no" }, undefined);
    expect(second.state.status).toBe("pending");
    requests.observe({ type: "ConfigureFailure", code: "INVALID_THRESHOLD", description: "no" }, undefined);
    expect(second.state).toMatchObject({ status: "rejected", error: expect.any(ConfigureRejectedError) });
    expect((second.state as { error: ConfigureRejectedError }).error).toMatchObject({
      code: "ERR_CONFIGURE_REJECTED",
      dgCode: "INVALID_THRESHOLD",
      errMsg: "no",
    });
    expect(requests.waiting).toBe(0);
  });

  it("ForceEndTurn: a model EndOfTurn is not its answer; a manual one or the no-active-turn Warning is", () => {
    const requests = new FluxRequests({ model: "flux-general-en" });
    const first = requests.expectForceEndTurn();
    const second = requests.expectForceEndTurn();
    requests.observe(endOfTurn, turn("model"));
    expect(first.state.status).toBe("pending");
    requests.observe(endOfTurn, turn("manual"));
    expect(first.state).toEqual({ status: "resolved", value: turn("manual") });
    requests.observe({ type: "Warning", code: "FORCE_END_TURN_NO_ACTIVE_TURN", description: "" }, undefined);
    expect(second.state).toEqual({ status: "resolved", value: undefined });
  });

  it("a refusal's text echoing the key never shows it (message, errMsg, inspect)", async () => {
    const key = "secret-key-0123456789abcdef";
    const requests = new FluxRequests({ model: "flux-general-en" }, [key]);
    const reply = requests.expectConfigure();
    requests.observe({ type: "ConfigureFailure", code: "X", description: `bad key ${key}` }, undefined);
    const error = reply.state.status === "rejected" ? reply.state.error : undefined;
    const { inspect } = await import("node:util");
    expect(error).toBeInstanceOf(ConfigureRejectedError);
    expect(`${error?.message} ${(error as ConfigureRejectedError).errMsg} ${inspect(error)}`).not.toContain(
      key,
    );
    const fatal = new FluxServerError({ serverCode: "X", description: `bad key ${key}`, secrets: [key] });
    expect(`${fatal.message} ${fatal.errMsg} ${inspect(fatal)}`).not.toContain(key);
  });

  it("the close fails what is waiting with a StateError carrying the cause", () => {
    const requests = new FluxRequests({ model: "flux-general-en" });
    const configure = requests.expectConfigure();
    const cause = new StateError("drop");
    const closed = requests.expectForceEndTurn();
    let heard: unknown;
    closed.onSettled((state) => {
      heard = state;
    });
    requests.closed({ code: 1006, reason: "", wasClean: false, error: cause });
    expect(heard).toMatchObject({ status: "rejected", error: expect.any(StateError) });
    expect(configure.state).toMatchObject({ status: "rejected", error: expect.any(StateError) });
    expect((configure.state as { error: Error }).error.cause).toBe(cause);
    expect(requests.waiting).toBe(0);
  });
});
