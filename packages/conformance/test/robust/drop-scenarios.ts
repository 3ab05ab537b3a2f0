/**
 * The exactly-once suite's scenario list: a script of level-coded speech, the server's faults
 * session by session (plain data: the n-th connection gets the n-th plan), and where the sender
 * holds so that a drop lands at an exact point. exactly-once.test.ts runs each against both
 * faces and compares the words with a drop-free run.
 */
import type { ReconnectOptions } from "@earshot/core";
import type { FaultPlan } from "@earshot/server";
import { randomInt, shuffled } from "@earshot/testkit";
import {
  BYTES_PER_SECOND,
  randomLayout,
  type SpokenScript,
  spokenScript,
  WORD_SECONDS,
} from "./spoken-script.ts";

const NET_0000 =
  "Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000";

/** The sender stops at `byte` (after `finals` finals arrived) until `reconnects` reconnects happened. */
export interface HoldPoint {
  readonly byte: number;
  readonly finals: number;
  readonly reconnects: number;
}

/** Words the replay bound made the stream lose, and the seconds the user is told were lost. */
export interface ExpectedLoss {
  /** Indices [from, to) of the script's words that never arrive. */
  readonly words: readonly [from: number, to: number];
  readonly seconds: number;
}

export interface DropScenario {
  readonly name: string;
  readonly script: SpokenScript;
  readonly faultsPerSession: readonly FaultPlan[];
  /** Drops the stream must survive (each one `Reconnecting` then `Reconnected`). */
  readonly drops: number;
  readonly reconnect?: ReconnectOptions;
  readonly hold?: HoldPoint;
  readonly loss?: ExpectedLoss;
  /** Extra checks on the `Reconnected` payloads. */
  readonly reconnected?: (infos: readonly { offsetSeconds: number; replayedBytes: number }[]) => void;
  /** How many drops were the server's 1011 NET-0000 (the rest are 1006: reset, drop, mid-frame). */
  readonly net0000Drops?: number;
}

const seconds = (value: number): number => Math.round(value * BYTES_PER_SECOND);

/** The four ways a connection drops, five times each, in a seeded order, at seeded points. */
function twentyDrops(random: () => number): { plans: FaultPlan[]; net0000: number } {
  const kinds = shuffled(
    random,
    Array.from({ length: 20 }, (_, index) => index % 4),
  );
  // Each connection drops after 4–11 s of audio (replay included). They add up to at most
  // 220 s of the 300 s, so all 20 drops happen before the audio ends, whatever the replays.
  const plans = kinds.map((kind): FaultPlan => {
    const after = randomInt(random, seconds(4) / 2, seconds(11) / 2) * 2;
    switch (kind) {
      case 0:
        return { resetAfterBytes: after };
      case 1:
        return { dropAfterBytes: after };
      case 2:
        return { closeWith: { code: 1011, reason: NET_0000, afterBytes: after } };
      default:
        return { resetMidFrameAfterBytes: after };
    }
  });
  return { plans, net0000: kinds.filter((kind) => kind === 2).length };
}

/** The scenarios, from one seed. */
export function dropScenarios(random: () => number): DropScenario[] {
  const long = spokenScript(randomLayout(random, 300));
  const { plans, net0000 } = twentyDrops(random);

  const beforeFirstFinal = spokenScript([
    { words: 4, pauseSeconds: 0.5 },
    { words: 3, pauseSeconds: 0.5 },
    { words: 5, pauseSeconds: 0.6 },
  ]);

  // The second connection drops 0.5 s into its replay of 2.49 s.
  const duringReplay = spokenScript([
    { words: 3, pauseSeconds: 0.5 },
    { words: 6, pauseSeconds: 0.5 },
    { words: 3, pauseSeconds: 0.5 },
  ]);
  const replayDrop = (duringReplay.utteranceStarts[1] as number) + seconds(2);

  // 1 s of replay kept; the drop comes 3.4 s into a 4 s utterance whose start no final covers.
  const overBound = spokenScript([
    { words: 2, pauseSeconds: 0.5 },
    { words: 10, pauseSeconds: 0.5 },
    { words: 2, pauseSeconds: 0.5 },
  ]);
  const boundDrop = (overBound.utteranceStarts[1] as number) + seconds(3.4);
  const firstFinalEnd = 2 * WORD_SECONDS + 0.01;

  return [
    {
      name: "5 minutes of speech, 20 drops at seeded points (TCP reset, 1006, 1011 NET-0000, mid-message)",
      script: long,
      faultsPerSession: plans,
      drops: 20,
      net0000Drops: net0000,
    },
    {
      name: "a drop before the first final",
      script: beforeFirstFinal,
      faultsPerSession: [{ dropAfterBytes: seconds(0.8) }],
      drops: 1,
      reconnected: ([first]) => {
        if (first?.offsetSeconds !== 0) throw new Error(`replay offset ${first?.offsetSeconds}, not 0`);
      },
    },
    {
      name: "a drop during replay",
      script: duringReplay,
      faultsPerSession: [{ dropAfterBytes: replayDrop }, { resetAfterBytes: seconds(0.5) }],
      drops: 2,
      hold: { byte: replayDrop, finals: 1, reconnects: 2 },
      reconnected: ([first, second]) => {
        // The second connection died in its replay: the third replays the very same audio.
        if (first === undefined || second === undefined) throw new Error("two reconnects expected");
        if (first.replayedBytes <= seconds(0.5))
          throw new Error(`replay of ${first.replayedBytes} B ends before the second drop`);
        if (second.offsetSeconds !== first.offsetSeconds || second.replayedBytes !== first.replayedBytes)
          throw new Error("the second replay differs from the first");
      },
    },
    {
      name: "replay bound exceeded: the loss is reported (Reconnected.lostSeconds), the rest arrives once",
      script: overBound,
      faultsPerSession: [{ dropAfterBytes: boundDrop }],
      drops: 1,
      reconnect: { replayMaxSeconds: 1 },
      hold: { byte: boundDrop, finals: 1, reconnects: 1 },
      // Kept: the last second before the drop, from word 6 of the long utterance on.
      loss: { words: [2, 8], seconds: (boundDrop - BYTES_PER_SECOND) / BYTES_PER_SECOND - firstFinalEnd },
    },
  ];
}
