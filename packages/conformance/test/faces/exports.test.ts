/** One package is enough: each face exports the errors, options, messages and events it uses (defect 8). */
import * as asyncFace from "@earshot/async";
import * as core from "@earshot/core";
import * as threadedFace from "@earshot/threaded";
import { describe, expect, it } from "vitest";

const USER_FACING = [
  "EarshotError",
  "HandshakeError",
  "ConnectionClosedError",
  "OptionsError",
  "StateError",
  "AbortedError",
  "TimeoutError",
  "LiveTranscriptionEvents",
  "LISTEN_QUERY_SCHEMA",
  "CLIENT_DIAGNOSTICS_CHANNELS",
  "FluxEvents",
  "FluxServerError",
  "ConfigureRejectedError",
] as const;

it("each face has a Flux client beside its live client", () => {
  expect(typeof asyncFace.AsyncFluxClient).toBe("function");
  expect(typeof threadedFace.FluxClient).toBe("function");
});

describe.each([
  ["@earshot/async", asyncFace as Record<string, unknown>],
  ["@earshot/threaded", threadedFace as Record<string, unknown>],
])("%s", (_name, face) => {
  it("exports core's user-facing names, the very same objects", () => {
    for (const name of USER_FACING) expect(face[name], name).toBe((core as Record<string, unknown>)[name]);
    expect(new asyncFace.HandshakeError({ status: 401 } as never)).toBeInstanceOf(
      threadedFace.HandshakeError,
    );
  });

  it("keeps the face plumbing off its surface (it lives at @earshot/core/internal)", () => {
    for (const name of [
      "EventPipeline",
      "HandlerRegistry",
      "sendFrom",
      "deliverSessionEvents",
      "FluxDelivery",
      "FluxRequests",
    ]) {
      expect(face[name], name).toBeUndefined();
    }
  });
});
