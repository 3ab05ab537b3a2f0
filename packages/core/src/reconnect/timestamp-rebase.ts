/**
 * Timestamp re-basing after a reconnect: a new stream counts its seconds from 0, from the first
 * replayed byte; adding the replay offset puts its messages on the original stream's timeline,
 * so the user sees one continuous stream.
 */
import type { ServerMessage } from "../messages.ts";

/**
 * `message` with every audio timestamp shifted by `offsetSeconds`: a `Results` message's
 * `start` and its words' `start`/`end`, an `UtteranceEnd`'s `last_word_end`, a
 * `SpeechStarted`'s `timestamp`. Other messages (and any message at offset 0) come back as they
 * are; otherwise the result is a copy and `message` is left untouched.
 *
 * @example
 * ```ts
 * rebaseTimestamps({ type: "SpeechStarted", channel: [0, 1], timestamp: 0.5 }, 12); // timestamp 12.5
 * ```
 */
export function rebaseTimestamps(message: ServerMessage, offsetSeconds: number): ServerMessage {
  if (offsetSeconds === 0) return message;
  switch (message.type) {
    case "Results":
      return {
        ...message,
        start: message.start + offsetSeconds,
        channel: {
          ...message.channel,
          alternatives: message.channel.alternatives.map((alternative) => ({
            ...alternative,
            words: alternative.words.map((word) => ({
              ...word,
              start: word.start + offsetSeconds,
              end: word.end + offsetSeconds,
            })),
          })),
        },
      };
    case "UtteranceEnd":
      return { ...message, last_word_end: message.last_word_end + offsetSeconds };
    case "SpeechStarted":
      return { ...message, timestamp: message.timestamp + offsetSeconds };
    default:
      return message;
  }
}
