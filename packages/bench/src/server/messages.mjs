// What the benchmark server says: real-shaped Deepgram messages (the shape of a recorded final
// Results: nine words with punctuation, model info, request id) and pre-encoded WebSocket
// frames, so flooding costs the server one socket write and the clients' cost is what is timed.

const WORDS = ["this", "is", "the", "oh", "no", "i", "meant", "all", "then"];
const PUNCTUATED = ["This", "is", "the", "Oh,", "no.", "I", "meant", "all", "then."];

/**
 * One final `Results` message as `/v1/listen` sends it.
 * @param {{ start?: number, duration?: number, stamp?: number, transcript?: string }} [fields]
 *   `stamp` (the server's clock, ms) travels in `metadata.request_id` as `stamp:<ms>`.
 */
export function resultsMessage({ start = 12.08, duration = 4.77, stamp, transcript } = {}) {
  const step = duration / WORDS.length;
  return {
    type: "Results",
    channel_index: [0, 1],
    duration,
    start,
    is_final: true,
    speech_final: true,
    channel: {
      alternatives: [
        {
          transcript: transcript ?? "This is the Oh, no. I meant all then.",
          confidence: 0.8676758,
          words: WORDS.map((word, i) => ({
            word,
            start: Math.round((start + i * step) * 1000) / 1000,
            end: Math.round((start + (i + 1) * step) * 1000) / 1000,
            confidence: 0.9482422,
            punctuated_word: PUNCTUATED[i],
          })),
        },
      ],
    },
    metadata: {
      request_id: stamp === undefined ? "01a03ac2-b34c-7433-9df5-62b0600b10bf" : `stamp:${stamp}`,
      model_info: { name: "2-phonecall-nova", version: "2024-02-07.20824", arch: "nova-2" },
      model_uuid: "7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b",
    },
    from_finalize: false,
  };
}

/** The `Metadata` message that ends a stream. */
export function metadataMessage(durationSeconds) {
  return {
    type: "Metadata",
    transaction_key: "deprecated",
    request_id: "01a03ac2-b34c-7433-9df5-62b0600b10bf",
    sha256: "5e5bd8e3e4a2a5c9a3b1d3a0c4f4f7b3c1e4d0b2a7e6f5c4d3b2a1f0e9d8c7b6",
    created: new Date().toISOString(),
    duration: durationSeconds,
    channels: 1,
    models: ["7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b"],
    model_info: {
      "7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b": {
        name: "2-phonecall-nova",
        version: "2024-02-07.20824",
        arch: "nova-2",
      },
    },
  };
}

/** One unmasked, unfragmented server text frame (RFC 6455 §5.2) carrying `text`. */
export function textFrame(text) {
  const payload = Buffer.from(text, "utf8");
  const length = payload.byteLength;
  const header = length < 126 ? Buffer.alloc(2) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x81; // FIN + text
  if (length < 126) header[1] = length;
  else if (length < 65_536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** `count` copies of one message's frame, back to back: a whole flood in one buffer. */
export function floodFrames(text, count) {
  const frame = textFrame(text);
  const flood = Buffer.allocUnsafe(frame.byteLength * count);
  for (let i = 0; i < count; i++) frame.copy(flood, i * frame.byteLength);
  return flood;
}

/** Flux's greeting on a new `/v2/listen` connection. */
export function fluxConnectedMessage() {
  return { type: "Connected", request_id: "550e8400-e29b-41d4-a716-446655440000", sequence_id: 0 };
}

/** The TurnInfo events of one Flux turn, in order: StartOfTurn, six Updates, EagerEndOfTurn, EndOfTurn. */
const TURN_EVENTS = ["StartOfTurn", ...Array(6).fill("Update"), "EagerEndOfTurn", "EndOfTurn"];

/**
 * `count` Flux `TurnInfo` messages as `/v2/listen` sends them for turns of nine words each
 * (after a `Connected` with sequence 0): every turn StartOfTurn, Updates every 0.24 s with the
 * words so far, EagerEndOfTurn, EndOfTurn; sequence ids, turn indices and audio windows follow
 * the state machine of docs/protocol.md §8.6, so a client that checks it finds nothing wrong.
 */
export function fluxTurnMessages(count) {
  const messages = [];
  for (let turn = 0; messages.length < count; turn++) {
    const windowStart = turn * 3;
    TURN_EVENTS.forEach((event, step) => {
      if (messages.length >= count) return;
      const heard = Math.min(WORDS.length, step + 2);
      const words = PUNCTUATED.slice(0, heard).map((word) => ({ word, confidence: 0.94 }));
      messages.push({
        type: "TurnInfo",
        request_id: "550e8400-e29b-41d4-a716-446655440000",
        sequence_id: messages.length + 1,
        event,
        turn_index: turn,
        audio_window_start: windowStart,
        audio_window_end: Math.round((windowStart + 0.24 * (step + 1)) * 100) / 100,
        transcript: words.map((w) => w.word).join(" "),
        words,
        end_of_turn_confidence: event === "EndOfTurn" ? 0.86 : event === "EagerEndOfTurn" ? 0.55 : 0.1,
      });
    });
  }
  return messages;
}

/** Many messages' frames back to back: a whole flood in one buffer. */
export function framesOf(messages) {
  return Buffer.concat(messages.map((message) => textFrame(JSON.stringify(message))));
}
