/**
 * The engine thread's one loop that moves records out of every hosted stream's ring: it passes
 * over the streams while any has records, yields to the event loop between passes (sockets,
 * timers), and sleeps on the thread's doorbell once a pass and one more after a turn of the
 * event loop found nothing (a producer in full flow writes again within microseconds).
 */
import { createDoorbell, type Doorbell, ring, sleepUntilRung } from "./doorbell.ts";

/** A stream the pump serves. */
export interface RingConsumer {
  /** Applies the records now in its ring; true when it moved any. */
  pump(): boolean;
  /** True when its ring holds records it can take now. */
  hasRecords(): boolean;
}

const consumers = new Set<RingConsumer>();
let doorbell: Doorbell | undefined;
let running = false;

/** This thread's doorbell: the one every writer to a ring served here rings. */
export function engineDoorbell(): Doorbell {
  doorbell ??= createDoorbell();
  return doorbell;
}

/** Starts serving `consumer`'s ring. */
export function servePump(consumer: RingConsumer): void {
  consumers.add(consumer);
  if (running) wakePump();
  else void run();
}

/** Stops serving `consumer`'s ring (it closed). */
export function leavePump(consumer: RingConsumer): void {
  consumers.delete(consumer);
  wakePump();
}

/** Wakes the pump from this thread (a stream's socket drained, a stream closed). */
export function wakePump(): void {
  ring(engineDoorbell());
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function passOver(): boolean {
  let moved = false;
  for (const consumer of consumers) if (consumer.pump()) moved = true;
  return moved;
}

function anyHasRecords(): boolean {
  for (const consumer of consumers) if (consumer.hasRecords()) return true;
  return false;
}

async function run(): Promise<void> {
  running = true;
  const bell = engineDoorbell();
  try {
    while (consumers.size > 0) {
      if (passOver()) {
        await nextTurn();
        continue;
      }
      await nextTurn();
      if (passOver() || consumers.size === 0) continue;
      await sleepUntilRung(bell, anyHasRecords);
    }
  } finally {
    running = false;
  }
}
