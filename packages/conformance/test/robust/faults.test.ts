/**
 * The fault suite: every scenario of fault-scenarios.ts against both faces. Each must end with
 * the right typed error (or none), `Close` exactly once and last, nothing after it, and no
 * hang (every wait is bounded by the client's own timeouts); an unhandled rejection fails the
 * run.
 */
import type { LiveOptions } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { chunk, tone, waitFor } from "@earshot/testkit";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { asyncFace } from "../faces/async-face.ts";
import { type Face, type FaceKind, names, payloads } from "../faces/face.ts";
import { threadedFace } from "../faces/threaded-face.ts";
import { FAULT_SCENARIOS, type FaultScenario } from "./fault-scenarios.ts";

const faces: readonly FaceKind[] = [asyncFace, threadedFace];
const PCM = { encoding: "linear16", sample_rate: 16_000 } as const satisfies LiveOptions;

let server: ServerThread | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  for (const kind of faces) await kind.cleanup();
});

/** Runs the scenario's steps; resolves with finish()'s Metadata or with the first error a call raised. */
async function run(face: Face, scenario: FaultScenario, url: string): Promise<unknown> {
  try {
    await face.start(PCM, { url, ...scenario.client });
    if (scenario.audioSeconds > 0) {
      for (const piece of chunk(tone(scenario.audioSeconds), 0.02)) await face.send(piece);
    }
    if (scenario.awaitUnhandled !== undefined) {
      const count = scenario.awaitUnhandled;
      await waitFor(() => payloads(face.events, "Unhandled").length >= count, `${count} frames`, {
        timeoutMs: 60_000,
      });
    }
    if (scenario.finalize) face.finalize();
    return await face.finish();
  } catch (error) {
    return error;
  }
}

describe.each(faces)("faults through the $name face", (kind) => {
  it.each(FAULT_SCENARIOS)("$name", { timeout: 90_000 }, async (scenario) => {
    server = await startServerThread(scenario.server);
    const face = kind.create();
    const outcome = await run(face, scenario, server.url);
    // A call that failed (a send() refused while the stream closes) returns before Close has
    // come: it comes within the client's own close timeout.
    await waitFor(() => names(face.events).includes("close"), "Close", { timeoutMs: 10_000 });

    const sequence = names(face.events);
    expect(sequence.filter((name) => name === "close")).toHaveLength(1);
    expect(sequence.at(-1)).toBe("close");
    const [report] = payloads(face.events, "close");
    if (scenario.closeCode !== undefined) expect(report?.code).toBe(scenario.closeCode);
    expect(face.isConnected()).toBe(false);

    if (scenario.error) {
      const { type, fields } = scenario.error;
      expect(outcome).toBeInstanceOf(type);
      if (fields) expect(outcome).toMatchObject(fields);
      expect(report?.error).toBe(outcome);
      const errors = payloads(face.events, "error");
      expect(errors.at(-1)).toBe(outcome);
    } else {
      expect(outcome instanceof Error ? outcome : undefined).toBeUndefined();
      expect(sequence).not.toContain("error");
      expect(report?.error).toBeUndefined();
      if (scenario.metadata === true) {
        expect(outcome).toMatchObject({ type: "Metadata" });
        expect(sequence.at(-2)).toBe("Metadata");
      }
      if (scenario.metadata === false) expect(sequence).not.toContain("Metadata");
    }
    if (scenario.results !== undefined)
      expect(payloads(face.events, "Results")).toHaveLength(scenario.results);
    if (scenario.unhandledInOrder !== undefined) {
      const numbers = payloads(face.events, "Unhandled").map(
        (message) => (JSON.parse("raw" in message ? message.raw : "{}") as { n?: number }).n,
      );
      expect(numbers).toEqual(Array.from({ length: scenario.unhandledInOrder }, (_, n) => n));
    }
  });
});
