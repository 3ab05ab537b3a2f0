/**
 * Bad user inputs, both faces (seeded; the seed is printed and `EARSHOT_FUZZ_SEED=<n>` replays
 * it): over 1,000 per face drawn from misuse-catalogue.ts — wrong chunk types, empty chunks,
 * calls out of order, invalid client and live options, bad audio sources and arguments, and
 * throwing callbacks — across the three phases of 40 streams each. Every one must give its
 * typed error or documented no-op; no unhandled rejection; nothing after `Close`; a throwing
 * handler becomes the next `Error` (a `CallbackError` carrying what it threw), or a process
 * warning when it was an `Error` or `Close` handler; the server gets every valid byte and
 * nothing else.
 */
import { AsyncLiveClient } from "@earshot/async";
import { type MetadataMessage, StateError } from "@earshot/core";
import { type ServerThread, startServerThread } from "@earshot/server";
import { randomInt, seededRandom, seedFromEnv, silence, tone, waitFor } from "@earshot/testkit";
import { LiveClient, shutdownEngines } from "@earshot/threaded";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { names, payloads } from "../faces/face.ts";
import { BAD_CLIENT_OPTIONS, callbackErrors, judgeConstruction } from "./bad-client-options.ts";
import { MISUSES } from "./misuse-catalogue.ts";
import type { Misuse } from "./misuse-judges.ts";
import { type FaceName, MisuseSubject, outcomeOf, type Phase } from "./misuse-subject.ts";

const SEED = seedFromEnv("EARSHOT_FUZZ_SEED", "bad-input fuzz");
const STREAMS = 40;
const PER_PHASE: Record<Phase, number> = { fresh: 7, open: 12, ended: 6 };
const PCM = { encoding: "linear16", sample_rate: 16_000 } as const;
/** Speech then a pause in 20 ms chunks: enough for Results, so Results handlers run. */
const AUDIO = [...chunks(tone(1.2)), ...chunks(silence(0.2))];

const THROWN_VALUES: readonly (() => unknown)[] = [
  () => new Error("handler bug"),
  () => "a string",
  () => undefined,
  () => 42,
  () => ({ not: "an error" }),
  () => null,
];
const THROWING_EVENTS = ["open", "Results", "Metadata", "error", "close"] as const;

function chunks(audio: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < audio.length; offset += 640) out.push(audio.subarray(offset, offset + 640));
  return out;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

let server: ServerThread;
const warnings: Error[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
const emitWarning = process.emitWarning;

beforeAll(async () => {
  server = await startServerThread();
  // The CallbackErrors of throwing Error/Close handlers are what this suite provokes: collected
  // here (each must come), not printed hundreds of times; any other warning goes through.
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (warning instanceof Error && warning.name === "CallbackError") warnings.push(warning);
    else emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.emitWarning = emitWarning;
  process.off("unhandledRejection", onUnhandled);
  await server?.close();
  await shutdownEngines();
});

/** One stream's worth of misuse; returns how many bad inputs it made and every verdict against the docs. */
async function abuseOneStream(
  face: FaceName,
  random: () => number,
): Promise<{ count: number; problems: string[] }> {
  const problems: string[] = [];
  let count = 0;

  for (let n = randomInt(random, 0, 2); n > 0; n--) {
    const bad = pick(
      random,
      BAD_CLIENT_OPTIONS.filter((entry) => entry.face === undefined || entry.face === face),
    );
    count++;
    // Only the bad option is wrong: a loopback url needs no key.
    const options =
      typeof bad.options === "object" && bad.options !== null && !("url" in bad.options)
        ? { url: "ws://127.0.0.1:9", ...bad.options }
        : bad.options;
    try {
      if (face === "async") new AsyncLiveClient(options as never);
      else new LiveClient(options as never);
      problems.push(`new client(${bad.name}) was accepted`);
    } catch (thrown) {
      const verdict = judgeConstruction(thrown, bad);
      if (verdict !== undefined) problems.push(`new client(${bad.name}): ${verdict}`);
    }
  }

  const subject = new MisuseSubject(face, { url: server.url });
  const warningsBefore = warnings.length;
  for (let n = randomInt(random, 0, 2); n > 0; n--) {
    count++;
    subject.throwOn(pick(random, THROWING_EVENTS), pick(random, THROWN_VALUES));
  }

  const applicable = (phase: Phase): Misuse[] =>
    MISUSES.filter((misuse) => misuse.phases.includes(phase) && (misuse.face ?? face) === face);
  let sentBytes = 0;
  const misuse = async (phase: Phase): Promise<void> => {
    const chosen = pick(random, applicable(phase));
    count++;
    const before = subject.events.length;
    const outcome = await outcomeOf(() => chosen.call(subject.client));
    const verdict = chosen.judge(outcome, subject, phase, before);
    if (verdict !== undefined) problems.push(`${phase}: ${chosen.name}: ${verdict}`);
    if (phase === "open") sentBytes += chosen.sendsBytes ?? 0;
  };

  for (let n = 0; n < PER_PHASE.fresh; n++) await misuse("fresh");
  await outcomeOf(() => subject.client.start(PCM));
  if (!subject.client.isConnected()) problems.push("the stream did not open after the fresh misuse");

  const misuseAt = new Set(
    Array.from({ length: PER_PHASE.open }, () => randomInt(random, 0, AUDIO.length - 1)),
  );
  for (const [index, piece] of AUDIO.entries()) {
    if (misuseAt.has(index)) await misuse("open");
    const sent = await outcomeOf(() => subject.client.send(piece));
    if (sent.how !== "returned") problems.push(`open: a valid send failed: ${String(sent.how)}`);
    sentBytes += piece.length;
  }
  for (let n = misuseAt.size; n < PER_PHASE.open; n++) await misuse("open");

  const finishing = random() < 0.7;
  const ended = await outcomeOf(() => (finishing ? subject.client.finish() : subject.client.abort("enough")));
  const metadata = payloads(subject.events, "Metadata").at(-1) as MetadataMessage | undefined;
  if (finishing) {
    if (ended.how !== "returned") problems.push("finish() failed");
    if (metadata === undefined || Math.abs(metadata.duration - sentBytes / 32_000) > 1e-6)
      problems.push(
        `the server heard ${metadata?.duration} s, not the ${sentBytes / 32_000} s of valid audio`,
      );
  } else {
    // Aborted: audio is refused at once, even before the socket has finished closing.
    count++;
    const late = await outcomeOf(() => subject.client.send(Buffer.alloc(640)));
    const refusedLate =
      subject.face === "async"
        ? late.how === "rejected" && late.error instanceof StateError
        : late.how === "returned" && late.value === false;
    if (!refusedLate) problems.push(`send() right after abort() was not refused: ${late.how}`);
  }
  await waitFor(() => names(subject.events).includes("close"), "Close");

  for (let n = 0; n < PER_PHASE.ended; n++) await misuse("ended");
  // Warnings are emitted on a later microtask.
  await new Promise((resolve) => setTimeout(resolve, 0));

  const sequence = names(subject.events);
  if (sequence.filter((name) => name === "close").length !== 1)
    problems.push("Close did not come exactly once");
  if (sequence.at(-1) !== "close" || subject.afterClose > 0) problems.push("an event came after Close");

  const fromHandlers = subject.thrown.filter((t) => t.event !== "error" && t.event !== "close");
  const reported = callbackErrors(subject).map((error) => ({
    event: (error as { event?: string }).event,
    value: error.cause,
  }));
  const same =
    reported.length === fromHandlers.length &&
    reported.every((r, i) => r.event === fromHandlers[i]?.event && r.value === fromHandlers[i]?.value);
  if (!same)
    problems.push(
      `thrown in handlers: ${fromHandlers.map((t) => `${t.event}:${String(t.value)}`).join(", ")}; CallbackError events: ${reported.map((r) => `${r.event}:${String(r.value)}`).join(", ")}`,
    );
  const fromErrorHandlers = subject.thrown.filter((t) => t.event === "error" || t.event === "close");
  const warned = warnings.slice(warningsBefore);
  if (
    warned.length !== fromErrorHandlers.length ||
    warned.some((w, i) => w.cause !== fromErrorHandlers[i]?.value)
  )
    problems.push(`${fromErrorHandlers.length} throws in Error/Close handlers, ${warned.length} warnings`);
  return { count, problems };
}

describe(`bad user inputs (seed ${SEED})`, () => {
  it.each(["async", "threaded"] as const)("the %s face", { timeout: 120_000 }, async (face) => {
    const random = seededRandom(SEED + (face === "async" ? 0 : 1));
    let total = 0;
    const problems: string[] = [];
    for (let stream = 0; stream < STREAMS; stream++) {
      const result = await abuseOneStream(face, random);
      total += result.count;
      problems.push(...result.problems.map((problem) => `stream ${stream}: ${problem}`));
    }
    console.log(`${face}: ${total} bad inputs`);
    expect(problems).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(1_000);
  });
});
