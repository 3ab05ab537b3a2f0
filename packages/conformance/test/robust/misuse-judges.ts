/**
 * How the bad-input suite judges one call's outcome against what the documentation promises:
 * a typed error, a no-op, or the refusal a state documents (which differs by face only in
 * calling convention: the async face throws or rejects, the threaded one returns false).
 */
import { type CloseReport, StateError } from "@earshot/core";
import type { AnyClient, FaceName, MisuseSubject, Outcome, Phase } from "./misuse-subject.ts";

/** Why an outcome is not the documented one, or undefined when it is. */
export type Verdict = string | undefined;

export interface Misuse {
  readonly name: string;
  readonly phases: readonly Phase[];
  /** Only for this face (an option or argument form only it has). */
  readonly face?: FaceName;
  readonly call: (client: AnyClient) => unknown;
  /** Bytes of valid audio it sends when the stream is open, before it fails. @default 0 */
  readonly sendsBytes?: number;
  /** `eventsBefore`: how many events the subject had before the call. */
  readonly judge: (outcome: Outcome, subject: MisuseSubject, phase: Phase, eventsBefore: number) => Verdict;
}

/** One outcome as text, for a verdict. */
export function describe(outcome: Outcome): string {
  if (outcome.how === "returned") return `returned ${String(outcome.value)}`;
  const error = outcome.error;
  return `${outcome.how} ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** What was thrown or rejected, if anything. */
export function errorOf(outcome: Outcome): unknown {
  return outcome.how === "returned" ? undefined : outcome.error;
}

/** A typed error of `type` (thrown or rejected), whose message matches `pattern`. */
export function raises(type: abstract new (...args: never[]) => Error, pattern?: RegExp) {
  return (outcome: Outcome): Verdict => {
    const error = errorOf(outcome);
    if (!(error instanceof type)) return `expected ${type.name}, got: ${describe(outcome)}`;
    if (pattern !== undefined && !pattern.test(error.message))
      return `${type.name} message "${error.message}" does not match ${pattern}`;
    return undefined;
  };
}

/** Nothing happened: the documented value came back and no event was emitted. */
export function noOp(expected: (face: FaceName) => readonly unknown[]) {
  return (outcome: Outcome, subject: MisuseSubject, _phase: Phase, eventsBefore: number): Verdict => {
    if (outcome.how !== "returned" || !expected(subject.face).includes(outcome.value))
      return `expected a no-op returning ${expected(subject.face).join(" or ")}, got: ${describe(outcome)}`;
    if (subject.events.length !== eventsBefore) return "a no-op emitted an event";
    return undefined;
  };
}

/**
 * The documented refusal of a call the state forbids. Before `start()`: the async face throws
 * (or rejects with) a `StateError`; the threaded one returns false and emits it as `Error`.
 * After `Close`: control methods return false in both; `send()` returns false in the threaded
 * face and rejects in the async one with a `StateError` whose `cause` closed the stream.
 */
export function refused(kind: "send" | "control") {
  return (outcome: Outcome, subject: MisuseSubject, phase: Phase, eventsBefore: number): Verdict => {
    const error = errorOf(outcome);
    const emitted = subject.events.slice(eventsBefore);
    if (phase === "fresh") {
      if (subject.face === "async") return raises(StateError, /start\(\)/)(outcome);
      if (outcome.how !== "returned" || outcome.value !== false)
        return `expected false, got ${describe(outcome)}`;
      const [event, ...more] = emitted;
      if (event?.event !== "error" || !(event.payload instanceof StateError) || more.length > 0)
        return "expected exactly one Error event (StateError)";
      return undefined;
    }
    if (emitted.length > 0) return `an event after Close: ${emitted.map((e) => e.event).join(", ")}`;
    if (subject.face === "threaded" || kind === "control")
      return outcome.how === "returned" && outcome.value === false
        ? undefined
        : `expected false, got ${describe(outcome)}`;
    if (!(error instanceof StateError)) return `expected StateError, got ${describe(outcome)}`;
    const report = subject.client.closeReport as CloseReport | undefined;
    if (error.cause !== report?.error) return "the refusal's cause is not what closed the stream";
    return undefined;
  };
}

/** `sendFrom()` refused by state: a `StateError` in both faces (its `cause` closed the stream once closed). */
export function sendFromRefused(outcome: Outcome, subject: MisuseSubject, phase: Phase): Verdict {
  const error = errorOf(outcome);
  if (!(error instanceof StateError)) return `expected StateError, got ${describe(outcome)}`;
  if (phase === "ended" && error.cause !== subject.client.closeReport?.error)
    return "the refusal's cause is not what closed the stream";
  return undefined;
}

/** In the open phase `judgeOpen`, else the state's refusal. */
export function byPhase(judgeOpen: Misuse["judge"], judgeOther: Misuse["judge"]): Misuse["judge"] {
  return (outcome, subject, phase, before) =>
    phase === "open"
      ? judgeOpen(outcome, subject, phase, before)
      : judgeOther(outcome, subject, phase, before);
}
