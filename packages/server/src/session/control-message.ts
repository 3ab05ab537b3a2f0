/**
 * Reads a text frame from the client as a control message. Anything that is not a JSON object
 * with a string `type` is reported, never thrown: the session answers with an Error or a
 * Warning message and goes on.
 */

export type ControlMessage =
  | { kind: "KeepAlive" }
  | { kind: "Finalize"; channel: number | undefined }
  | { kind: "CloseStream" }
  | { kind: "Configure"; features: Record<string, unknown> }
  | { kind: "unknown"; type: string }
  | { kind: "malformed"; description: string };

export function readControlMessage(text: string): ControlMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "malformed", description: "Failed to parse the text message as JSON." };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "malformed", description: 'A text message must be a JSON object with a "type".' };
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== "string") {
    return { kind: "malformed", description: 'A text message must have a string "type".' };
  }
  switch (type) {
    case "KeepAlive":
      return { kind: "KeepAlive" };
    case "CloseStream":
      return { kind: "CloseStream" };
    case "Finalize": {
      const channel = record.channel;
      return {
        kind: "Finalize",
        channel: typeof channel === "number" && Number.isInteger(channel) ? channel : undefined,
      };
    }
    case "Configure": {
      const features = record.features;
      const isObject = typeof features === "object" && features !== null && !Array.isArray(features);
      return { kind: "Configure", features: isObject ? (features as Record<string, unknown>) : {} };
    }
    default:
      return { kind: "unknown", type };
  }
}

/** True for a binary frame that is really a JSON control message (the server closes 1008). */
export function looksLikeJsonControl(frame: Uint8Array): boolean {
  let i = 0;
  while (i < frame.length && i < 16 && isSpace(frame[i] as number)) i++;
  if (frame[i] !== 0x7b) return false; // "{"
  i++;
  while (i < frame.length && i < 32 && isSpace(frame[i] as number)) i++;
  const key = '"type"';
  for (let k = 0; k < key.length; k++) {
    if (frame[i + k] !== key.charCodeAt(k)) return false;
  }
  return true;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
