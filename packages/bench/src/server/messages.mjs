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
