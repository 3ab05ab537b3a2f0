/**
 * What kind of bytes an input holds, from its first bytes (magic numbers) and, for URLs, the
 * Content-Type — so that what cannot work is said plainly before anything is sent.
 */

/** The kinds the CLI tells apart. */
export type InputKind =
  | "wav"
  | "mp3"
  | "aac"
  | "ogg-opus"
  | "ogg-vorbis"
  | "ogg"
  | "flac"
  | "webm"
  | "mp4"
  | "html"
  | "empty"
  | "unknown";

/** How each kind is named in a message ("… is an Ogg/Opus file"). */
export const kindNames: Record<InputKind, string> = {
  wav: "a WAV file",
  mp3: "an MP3 file",
  aac: "an AAC (ADTS) stream",
  "ogg-opus": "an Ogg/Opus file",
  "ogg-vorbis": "an Ogg/Vorbis file",
  ogg: "an Ogg file",
  flac: "a FLAC file",
  webm: "a WebM/Matroska file",
  mp4: "an MP4/M4A file",
  html: "an HTML page",
  empty: "empty",
  unknown: "not a recognised audio container",
};

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));

/**
 * The kind of the bytes that start an input. Raw PCM has no signature: it comes back "unknown".
 *
 * @example
 * sniffKind(new TextEncoder().encode("OggS\0…OpusHead")); // "ogg-opus"
 */
export function sniffKind(head: Uint8Array): InputKind {
  if (head.length === 0) return "empty";
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WAVE") return "wav";
  if (ascii(head, 0, 4) === "OggS") {
    const body = ascii(head, 0, 128);
    if (body.includes("OpusHead")) return "ogg-opus";
    if (body.includes("vorbis")) return "ogg-vorbis";
    return "ogg";
  }
  if (ascii(head, 0, 4) === "fLaC") return "flac";
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return "webm";
  if (ascii(head, 4, 8) === "ftyp") return "mp4";
  if (ascii(head, 0, 3) === "ID3") return "mp3";
  const first = head[0] ?? 0;
  const second = head[1] ?? 0;
  // MPEG audio frame sync: 11 set bits; the layer bits tell MP3 (non-zero) from AAC ADTS (zero).
  if (first === 0xff && (second & 0xe0) === 0xe0) return (second & 0x06) === 0 ? "aac" : "mp3";
  const text = ascii(head, 0, 512)
    .replace(/^\uFEFF?\s*/, "")
    .toLowerCase();
  if (text.startsWith("<!doctype html") || text.startsWith("<html") || text.startsWith("<head"))
    return "html";
  return "unknown";
}

/** The kind a Content-Type names, when it names one (`audio/ogg; codecs=opus` → "ogg-opus"). */
export function kindOfContentType(contentType: string | null | undefined): InputKind | undefined {
  if (!contentType) return undefined;
  const type = contentType.toLowerCase();
  const essence = type.split(";")[0]?.trim() ?? "";
  if (essence === "text/html" || essence === "application/xhtml+xml") return "html";
  if (/^audio\/(x-)?(wav|wave|vnd\.wave)$/.test(essence)) return "wav";
  if (essence === "audio/mpeg" || essence === "audio/mp3") return "mp3";
  if (essence === "audio/aac" || essence === "audio/aacp") return "aac";
  if (essence === "audio/ogg" || essence === "application/ogg")
    return type.includes("opus") ? "ogg-opus" : "ogg";
  if (essence === "audio/opus") return "ogg-opus";
  if (essence === "audio/flac" || essence === "audio/x-flac") return "flac";
  if (essence === "audio/webm" || essence === "video/webm") return "webm";
  if (essence === "audio/mp4" || essence === "audio/x-m4a" || essence === "video/mp4") return "mp4";
  return undefined;
}
