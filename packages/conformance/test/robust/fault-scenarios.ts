/**
 * The fault suite's scenario list: one misbehaving server each (the local server's fault plan,
 * plain data so it runs on the server's own thread), what the client does, and what the user
 * must see. faults.test.ts runs every scenario against both faces.
 */
import {
  ConnectionClosedError,
  ConnectionError,
  type EarshotError,
  HandshakeError,
  MessageTooLargeError,
  TimeoutError,
} from "@earshot/core";
import type { ServerThreadOptions } from "@earshot/server";

/** A typed error class of the core tree. */
type ErrorClass = abstract new (...args: never[]) => EarshotError;

export interface FaultScenario {
  readonly name: string;
  readonly server: ServerThreadOptions;
  readonly client?: Record<string, unknown>;
  /** Seconds of audio to send after start (0: none). */
  readonly audioSeconds: number;
  /** Wait for this many Unhandled messages before finishing. */
  readonly awaitUnhandled?: number;
  /** Exactly this many Unhandled `Tick` messages must arrive, numbered in order. */
  readonly unhandledInOrder?: number;
  /** Send Finalize after the audio. */
  readonly finalize?: boolean;
  /** The typed error the user must get (through the failed call and the Error event), or none. */
  readonly error?: { readonly type: ErrorClass; readonly fields?: Record<string, unknown> };
  /** The close report's code, when it matters. */
  readonly closeCode?: number;
  /** Whether finish() must resolve with Metadata (only when no error is expected). */
  readonly metadata?: boolean;
  /** Exactly this many Results must be delivered. */
  readonly results?: number;
}

const NET_0000 =
  "Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000";
const NET_0001 =
  "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001";

const RESULTS_JSON = JSON.stringify({
  type: "Results",
  channel_index: [0, 1],
  duration: 0.5,
  start: 0,
  is_final: true,
  speech_final: true,
  from_finalize: false,
  channel: { alternatives: [{ transcript: "binary", confidence: 0.9, words: [] }] },
  metadata: { request_id: "r", model_info: { name: "m", version: "v", arch: "a" }, model_uuid: "u" },
});

function refusal(status: number, retryable: boolean): FaultScenario {
  return {
    name: `handshake refused with ${status}`,
    server: { faults: { refuseWith: { status } } },
    audioSeconds: 0,
    error: { type: HandshakeError, fields: { status, retryable } },
    closeCode: 1006,
  };
}

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  refusal(400, false),
  refusal(401, false),
  refusal(402, false),
  refusal(403, false),
  refusal(408, true),
  refusal(429, true),
  refusal(500, true),
  refusal(503, true),
  {
    name: "a 200 that is not an upgrade (a proxy's page)",
    server: { faults: { answerWithoutUpgrade: true } },
    audioSeconds: 0,
    error: { type: HandshakeError, fields: { status: 200 } },
    closeCode: 1006,
  },
  {
    name: "close 1000 without Metadata after CloseStream",
    server: { faults: { omitMetadata: true } },
    audioSeconds: 0.5,
    metadata: false,
    closeCode: 1000,
  },
  {
    name: "1008 DATA-0000 mid-stream",
    server: { faults: { closeWith: { code: 1008, reason: "DATA-0000: bad audio", afterBytes: 6_400 } } },
    audioSeconds: 1,
    error: {
      type: ConnectionClosedError,
      fields: { closeCode: 1008, dgCode: "DATA-0000", retryable: false },
    },
    closeCode: 1008,
  },
  {
    name: "1011 NET-0000 mid-stream",
    server: { faults: { closeWith: { code: 1011, reason: NET_0000, afterBytes: 6_400 } } },
    audioSeconds: 1,
    error: { type: ConnectionClosedError, fields: { closeCode: 1011, dgCode: "NET-0000", retryable: true } },
    closeCode: 1011,
  },
  {
    name: "1011 NET-0001 mid-stream",
    server: { faults: { closeWith: { code: 1011, reason: NET_0001, afterBytes: 6_400 } } },
    audioSeconds: 1,
    error: { type: ConnectionClosedError, fields: { closeCode: 1011, dgCode: "NET-0001" } },
    closeCode: 1011,
  },
  {
    name: "a server that stops reading",
    server: { faults: { stopReadingAfterBytes: 3_200 } },
    client: { finishTimeoutMs: 1_000 },
    // Far more than one socket read, so CloseStream arrives after the server stopped reading.
    audioSeconds: 10,
    error: { type: TimeoutError, fields: { code: "ERR_FINISH_TIMEOUT" } },
  },
  {
    name: "CloseStream never answered",
    server: { faults: { ignoreCloseStream: true } },
    client: { finishTimeoutMs: 1_000 },
    audioSeconds: 0.5,
    error: { type: TimeoutError, fields: { code: "ERR_FINISH_TIMEOUT" } },
  },
  {
    name: "TCP kept open after the close frame",
    server: { faults: { keepTcpOpenAfterClose: true } },
    client: { finishTimeoutMs: 8_000, closeTimeoutMs: 200 },
    audioSeconds: 0.5,
    metadata: true,
    closeCode: 1000,
  },
  {
    name: "TCP reset mid-frame",
    server: { faults: { resetMidFrameAfterBytes: 6_400 } },
    audioSeconds: 1,
    error: { type: ConnectionClosedError, fields: { closeCode: 1006, retryable: true } },
    closeCode: 1006,
  },
  {
    name: "binary frames (a Results and bytes that are no message)",
    server: {
      faults: {
        rawFramesAfterOpen: [
          { kind: "binary", dataBase64: Buffer.from(RESULTS_JSON).toString("base64") },
          { kind: "binary", dataBase64: Buffer.from([0, 1, 2, 3]).toString("base64") },
        ],
      },
    },
    audioSeconds: 0,
    metadata: true,
    results: 1,
  },
  {
    name: "invalid UTF-8 in a text frame",
    server: {
      faults: {
        rawFramesAfterOpen: [
          { kind: "text", dataBase64: Buffer.from([0x7b, 0xff, 0xfe]).toString("base64") },
        ],
      },
    },
    audioSeconds: 0.5,
    error: { type: ConnectionError },
  },
  {
    name: "an oversized message",
    server: { faults: { largeMessageBytes: 2 * 1024 * 1024 } },
    client: { maxMessageBytes: 1024 * 1024 },
    audioSeconds: 0.5,
    error: { type: MessageTooLargeError, fields: { limitBytes: 1024 * 1024 } },
  },
  {
    name: "50,000 tiny frames",
    server: { faults: { tinyFrames: 50_000 } },
    audioSeconds: 0,
    awaitUnhandled: 50_000,
    metadata: true,
    unhandledInOrder: 50_000,
  },
  {
    name: "Results after its close frame",
    server: { faults: { resultsAfterClose: 5 } },
    audioSeconds: 0,
    metadata: true,
    results: 0,
    closeCode: 1000,
  },
  {
    name: "a Finalize reply that never comes",
    server: { faults: { ignoreFinalize: true } },
    audioSeconds: 0.5,
    finalize: true,
    metadata: true,
    closeCode: 1000,
  },
];
