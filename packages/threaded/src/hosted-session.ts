/**
 * One stream as the engine runs it: core's `ReconnectingSession` (so `reconnect` works here as
 * in the async face) fed from the stream's ring, its events posted back on the stream's port.
 * No protocol logic lives here: options, frames, keepalive, reconnect, diagnostics and the
 * close report all come from `@earshot/core`.
 */

import type { MessagePort } from "node:worker_threads";
import {
  type CloseReport,
  createFluxStream,
  type DiagnosticsSink,
  type FluxOptions,
  type LiveOptions,
  ReconnectingSession,
  SlowConsumerError,
  serializeError,
} from "@earshot/core";
import type { OpenSessionRequest, SessionEvent, StreamMessage } from "./port-protocol.ts";
import { RecordKind, RingReader, type RingRecord } from "./ring-buffer.ts";
import { engineDoorbell, leavePump, type RingConsumer, servePump, wakePump } from "./ring-pump.ts";
import { headerView, markClosed, SessionPhase, Slot } from "./shared-state.ts";

/** How often a paused session checks whether the application thread has caught up, in ms. */
const BACKLOG_POLL_MS = 5;

/** Every session this thread hosts, so a crash handler can fail them all at once. */
const hostedSessions = new Set<HostedSession>();

/**
 * Marks every session hosted on this thread closed with a dead engine, waking any application
 * thread blocked on one of them. For an engine thread that is about to die.
 */
export function failAllHostedSessions(): void {
  for (const hosted of hostedSessions) hosted.failEngine();
}

/** How many sessions this thread hosts right now. */
export function hostedSessionCount(): number {
  return hostedSessions.size;
}

const NO_DIAGNOSTICS: DiagnosticsSink = { wanted: () => false, publish: () => {} };

export class HostedSession implements RingConsumer {
  readonly #port: MessagePort;
  readonly #header: Int32Array;
  readonly #reader: RingReader;
  readonly #maxBufferedEvents: number;
  #session: ReconnectingSession<StreamMessage> | undefined;
  #closed = false;
  /** Set when the engine closed the session because the application thread fell behind. */
  #overflow: SlowConsumerError | undefined;
  /** Events of this engine turn not posted yet (see {@link #post}). */
  #outbox: SessionEvent[] = [];
  #flushQueued = false;
  /** The socket's send buffer is over its high-water mark: the ring waits until it drains. */
  #awaitingDrain = false;

  constructor(request: OpenSessionRequest) {
    this.#port = request.port;
    this.#header = headerView(request.memory);
    this.#reader = new RingReader(request.memory);
    this.#maxBufferedEvents = request.maxBufferedEvents;
    hostedSessions.add(this);
    // The client closes its end when it is done, aborts, or gives up (timeout, its thread ended).
    this.#port.on("close", () => this.#session?.abort());
    // Diagnostics are published on the application's thread: the engine forwards them there.
    const diagnostics: DiagnosticsSink = request.diagnostics
      ? { wanted: () => true, publish: (name, payload) => this.#post({ t: "diagnostic", name, payload }) }
      : NO_DIAGNOSTICS;
    let session: ReconnectingSession<StreamMessage>;
    try {
      const init = {
        client: request.client,
        diagnostics,
        // The application thread parses every message (port-protocol.ts): parse none here
        // that the stream itself does not need.
        forwardUnparsed: true,
        ...(request.streamId === undefined ? {} : { streamId: request.streamId }),
      };
      // Either endpoint's stream is core's ReconnectingSession; only its messages differ.
      session = (
        request.endpoint === "flux"
          ? createFluxStream({ ...init, options: request.options as FluxOptions })
          : new ReconnectingSession({ ...init, options: request.options as LiveOptions })
      ) as ReconnectingSession<StreamMessage>;
    } catch (error) {
      this.#finish({ code: 1006, reason: "", wasClean: false, error: error as CloseReport["error"] });
      return;
    }
    this.#session = session;
    session.on("open", ({ requestId }) => {
      // The writer rings this thread's doorbell from now on (it writes nothing before open).
      this.#post({ t: "open", requestId, doorbell: engineDoorbell().buffer as SharedArrayBuffer }, true);
      Atomics.store(this.#header, Slot.Phase, SessionPhase.Open);
      Atomics.notify(this.#header, Slot.Phase);
    });
    session.on("message", (message, info) => {
      this.#post(info.rebased === true ? { t: "message", message } : { t: "text", text: info.text });
      this.#checkBacklog();
    });
    session.on("unparsed", ({ text }) => {
      this.#post({ t: "text", text });
      this.#checkBacklog();
    });
    session.on("reconnecting", (info) =>
      this.#post({ t: "reconnecting", info: { ...info, error: serializeError(info.error) } }),
    );
    session.on("reconnected", (info) =>
      this.#post({ t: "reconnected", info: { ...info, error: serializeError(info.error) } }),
    );
    session.on("close", (report) => this.#finish(report));
    // The close report carries the failure; the rejection itself needs no handler beyond this.
    session.connect().catch(() => undefined);
    servePump(this);
  }

  /** The engine is going down: wake the application thread, which reports WorkerExitedError. */
  failEngine(): void {
    markClosed(this.#header, true);
  }

  /**
   * Queues `event` for the application thread. Events are posted in one batch per engine turn
   * (a socket read brings dozens of Results at once under load, and each `postMessage` costs
   * more than the event itself), at the end of the synchronous burst that produced them, so
   * batching adds no delay. `now` posts at once, with anything queued before it: for `open`
   * and `close`, which the application thread may be blocked waiting for.
   */
  #post(event: SessionEvent, now = false): void {
    this.#outbox.push(event);
    if (now) this.#flushOutbox();
    else if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flushOutbox);
    }
  }

  readonly #flushOutbox = (): void => {
    this.#flushQueued = false;
    const batch = this.#outbox;
    if (batch.length === 0) return;
    this.#outbox = [];
    this.#port.postMessage(batch);
    Atomics.add(this.#header, Slot.EventsPosted, batch.length);
    // A finish() blocked on the application thread takes events while it waits.
    Atomics.notify(this.#header, Slot.EventsPosted);
  };

  /** Events untaken: queued or posted by this thread, not yet taken by the application thread. */
  #backlog(): number {
    return (
      Atomics.load(this.#header, Slot.EventsPosted) -
      Atomics.load(this.#header, Slot.EventsTaken) +
      this.#outbox.length
    );
  }

  /**
   * A blocked application thread may leave events untaken for a while, but not without bound.
   * Past half of `maxBufferedEvents` the socket stops being read (TCP backpressure reaches the
   * server, as the server does to a slow client); reading resumes once the application has
   * taken half of that backlog. Only a backlog that still grows to the full limit (a socket
   * chunk read before the pause took effect) closes the stream with `SlowConsumerError`.
   */
  #checkBacklog(): void {
    const backlog = this.#backlog();
    const highWater = Math.max(1, Math.floor(this.#maxBufferedEvents / 2));
    if (backlog > highWater && this.#session !== undefined && !this.#session.readingPaused) {
      this.#session.pauseReading();
      this.#resumeWhenTaken(Math.floor(highWater / 2));
    }
    if (backlog > this.#maxBufferedEvents && this.#overflow === undefined) {
      this.#overflow = new SlowConsumerError(
        this.#maxBufferedEvents,
        `More than ${this.#maxBufferedEvents} events waited for the application thread, so the stream was closed. Keep the thread free more often, or raise maxBufferedEvents.`,
      );
      this.#session?.abort(this.#overflow);
    }
  }

  /** Polls the shared counters (the application thread posts nothing when it takes events). */
  #resumeWhenTaken(lowWater: number): void {
    const check = (): void => {
      if (this.#closed) return;
      if (this.#backlog() <= lowWater) this.#session?.resumeReading();
      else setTimeout(check, BACKLOG_POLL_MS);
    };
    setTimeout(check, BACKLOG_POLL_MS);
  }

  #finish(report: CloseReport): void {
    if (this.#closed) return;
    this.#closed = true;
    // The report of our own abort says "aborted"; the reason the application needs is the overflow.
    const { error: reported, ...rest } = report;
    const error = this.#overflow ?? reported;
    this.#post(
      { t: "close", report: error === undefined ? rest : { ...rest, error: serializeError(error) } },
      true,
    );
    hostedSessions.delete(this);
    markClosed(this.#header, false);
    leavePump(this);
  }

  hasRecords(): boolean {
    return !this.#closed && !this.#awaitingDrain && this.#reader.hasRecords();
  }

  /** Moves the ring's records to the session, in order, stopping while the socket is backed up. */
  pump(): boolean {
    if (this.#closed || this.#awaitingDrain) return false;
    let moved = false;
    for (let record = this.#reader.next(); record !== undefined; record = this.#reader.next()) {
      moved = true;
      if (this.#apply(record) && !this.#closed) {
        this.#awaitingDrain = true;
        this.#session
          ?.drained()
          .catch(() => undefined)
          .then(() => {
            this.#awaitingDrain = false;
            wakePump();
          });
        break;
      }
      if (this.#closed) break;
    }
    // Frees the ring (and wakes a writer waiting for room) before any wait for the socket.
    this.#reader.commit();
    return moved;
  }

  /** Applies one record; returns true when the session's send buffer is over its high-water mark. */
  #apply(record: RingRecord): boolean {
    const session = this.#session;
    if (session === undefined) return false;
    try {
      switch (record.kind) {
        case RecordKind.Audio:
          return !session.send(record.payload);
        case RecordKind.Control:
          // Encoded (and checked) by core's frame encoder on the caller's thread.
          session.sendControl(record.payload.toString("utf8"));
          return false;
        case RecordKind.Finish: {
          // The close report tells the client how it ended (clean, timeout, error). A payload
          // is the caller's finish({ timeout }), in milliseconds as text.
          const timeoutMs =
            record.payload.byteLength === 0 ? undefined : Number(record.payload.toString("utf8"));
          session.finish(timeoutMs === undefined ? {} : { timeoutMs }).catch(() => undefined);
          return false;
        }
        default:
          return false;
      }
    } catch {
      // The session refuses input only once it is closing or closed: its close report, which
      // follows, is what the application hears about.
      return false;
    }
  }
}
