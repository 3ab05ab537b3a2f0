/**
 * The application thread's end of one session: its port (events in), its shared memory
 * (phase, ring), and the bookkeeping that makes `Close` come exactly once and last — whether
 * the engine reported it, or the engine died or timed out and the client has to say it.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import {
  type ClientDiagnostics,
  type CloseReport,
  channelSink,
  deserializeError,
  type EarshotError,
  parseFluxMessage,
  parseServerMessage,
  WorkerExitedError,
} from "@earshot/core";
import type { StreamEventSink } from "@earshot/core/internal";
import type { EngineLease, PooledSession } from "./engine-pool.ts";
import type { SessionEvent, SessionEventBatch, StreamEndpoint, StreamMessage } from "./port-protocol.ts";
import { RingWriter } from "./ring-buffer.ts";
import { headerView, markClosed, SessionPhase, Slot } from "./shared-state.ts";

type Phase = (typeof SessionPhase)[keyof typeof SessionPhase];

export class SessionChannel implements PooledSession {
  readonly memory: SharedArrayBuffer;
  readonly header: Int32Array;
  readonly writer: RingWriter;
  /** The end handed to the engine with the session request. */
  readonly enginePort: MessagePort;
  readonly #port: MessagePort;
  /** Where the engine's events go: core's sink of the stream's endpoint (it queues client events). */
  readonly #sink: StreamEventSink<StreamMessage>;
  /** Delivers what the sink queued. */
  readonly #flush: () => void;
  /** The endpoint's parser: messages arrive as the text the engine received (port-protocol.ts). */
  readonly #parse: (text: string) => StreamMessage;
  #lease: EngineLease | undefined;
  #requestId: string | undefined;
  /** The engine's end is gone; the port must not be read synchronously any more (see drain). */
  #peerGone = false;
  #exitCode: number | undefined;
  /** `Open` was received. */
  opened = false;
  /** `Close` was queued for delivery: nothing more comes from this session. */
  closed = false;
  /** `finish()` queued CloseStream: no more audio or control messages. */
  finishing = false;
  /** The close was clean (a normal close after CloseStream, without error). */
  cleanClose = false;

  constructor(
    memory: SharedArrayBuffer,
    endpoint: StreamEndpoint,
    sink: StreamEventSink<StreamMessage>,
    flush: () => void,
  ) {
    this.memory = memory;
    this.#parse = endpoint === "flux" ? parseFluxMessage : parseServerMessage;
    this.header = headerView(memory);
    this.writer = new RingWriter(memory);
    this.#sink = sink;
    this.#flush = flush;
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.enginePort = port2;
    // While the thread is free, events are delivered as they arrive.
    port1.on("message", (batch: SessionEventBatch) => {
      this.#receiveBatch(batch);
      flush();
    });
    // The engine's end vanished without a close report: its thread is gone.
    port1.on("close", () => {
      this.#peerGone = true;
      if (this.closed) return;
      this.#lease?.engineLost();
      this.fail(new WorkerExitedError(this.#exitCode));
      flush();
    });
  }

  attach(lease: EngineLease): void {
    this.#lease = lease;
  }

  get phase(): Phase {
    return Atomics.load(this.header, Slot.Phase) as Phase;
  }

  /** Blocks while the engine's phase is `phase`, until `deadline` (`performance.now()` time). */
  waitWhilePhase(phase: Phase, deadline: number): void {
    while (Atomics.load(this.header, Slot.Phase) === phase) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      Atomics.wait(this.header, Slot.Phase, phase, remaining);
    }
  }

  /** Blocks until the engine marks the session closed, or `deadline`. */
  waitWhileNotClosed(deadline: number): void {
    for (;;) {
      const phase = Atomics.load(this.header, Slot.Phase);
      if (phase === SessionPhase.Closed) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      Atomics.wait(this.header, Slot.Phase, phase, remaining);
    }
  }

  /**
   * Blocks until the engine posts another event, closes the session, or `deadline`: so a
   * blocked `finish()` takes events while it waits and nothing can pile up on the engine.
   */
  waitForEvents(deadline: number): void {
    const posted = Atomics.load(this.header, Slot.EventsPosted);
    if (posted !== Atomics.load(this.header, Slot.EventsTaken)) return;
    if (Atomics.load(this.header, Slot.Phase) === SessionPhase.Closed) return;
    const remaining = deadline - performance.now();
    if (remaining > 0) Atomics.wait(this.header, Slot.EventsPosted, posted, remaining);
  }

  /** Takes every event already posted by the engine, synchronously, into the delivery queue. */
  drain(): void {
    // Node 20 crashes (SIGSEGV) when receiveMessageOnPort reads a port whose peer died, from
    // its 'close' event on. Nothing is lost by skipping it: the port dispatches every message
    // that arrived before it emits 'close'.
    while (!this.closed && !this.#peerGone) {
      const received = receiveMessageOnPort(this.#port);
      if (received === undefined) return;
      this.#receiveBatch(received.message as SessionEventBatch);
    }
  }

  /**
   * Ends the session from this side with `error` (timeout, dead engine): whatever the engine
   * already posted is delivered first, then `Error` and `Close`. Does nothing once closed.
   */
  fail(error: EarshotError): void {
    if (this.closed) return;
    this.drain();
    if (this.closed) return;
    this.#close({ code: 1006, reason: "", wasClean: false, requestId: this.#requestId, error });
  }

  /**
   * From the pool: the worker hosting this session exited. The port's own 'close' normally
   * reports it (after dispatching every message that arrived); this remembers the exit code
   * for it, and fails the session a turn later in case the port said nothing.
   */
  engineExited(exitCode: number | undefined): void {
    this.#exitCode = exitCode;
    setImmediate(() => {
      if (this.closed) return;
      this.#peerGone = true;
      this.fail(new WorkerExitedError(exitCode));
      this.#flush();
    });
  }

  #receiveBatch(batch: SessionEventBatch): void {
    Atomics.add(this.header, Slot.EventsTaken, batch.length);
    for (const event of batch) this.#receive(event);
  }

  #receive(event: SessionEvent): void {
    switch (event.t) {
      case "open":
        this.opened = true;
        this.#requestId = event.requestId;
        this.#sink.open({ requestId: event.requestId });
        return;
      case "text":
        this.#sink.message(this.#parse(event.text));
        return;
      case "message":
        this.#sink.message(event.message);
        return;
      case "reconnecting":
        this.#sink.reconnecting({ ...event.info, error: deserializeError(event.info.error) });
        return;
      case "reconnected":
        this.#sink.reconnected({ ...event.info, error: deserializeError(event.info.error) });
        return;
      case "diagnostic":
        // Published on this thread, as the async face does, in the order the engine saw them.
        channelSink.publish(event.name, event.payload as ClientDiagnostics[typeof event.name]);
        return;
      case "close": {
        const { error, ...rest } = event.report;
        this.#close(error === undefined ? rest : { ...rest, error: deserializeError(error) });
        return;
      }
    }
  }

  #close(report: CloseReport): void {
    this.closed = true;
    this.cleanClose = report.wasClean && report.error === undefined;
    this.#sink.close(report);
    // Any thread still blocked on this session (another call path) wakes and sees it closed.
    if (Atomics.load(this.header, Slot.Phase) !== SessionPhase.Closed) markClosed(this.header, false);
    // Closing our end releases the process (the port was what kept it alive) and tells the
    // engine, if it is still running the socket, to abort it.
    this.#port.close();
    this.#lease?.release();
  }
}
