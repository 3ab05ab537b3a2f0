/**
 * Input that cannot work is refused with one line that says why and what to do, before anything
 * connects: an empty or truncated file, an HTML page, a container the offline engine cannot
 * decode. A WAV header that disagrees with the flags wins, with a warning.
 */
import type { LiveOptions, WavInfo } from "@earshot/core";
import { type InputKind, kindNames } from "./input-kind.ts";

/** Input that cannot be transcribed as it is (exit 1, one line). */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** What is known about the input before connecting. */
export interface InputFacts {
  /** How to name it: the path, the URL, "stdin". */
  readonly name: string;
  readonly kind: InputKind;
  /** The WAV header, when one was read. */
  readonly wav: WavInfo | undefined;
  /** Why a WAV header could not be used (e.g. 24-bit samples). */
  readonly wavProblem: string | undefined;
  /** Total bytes, when known (files, URLs with a Content-Length). */
  readonly totalBytes: number | undefined;
  /** The whole input was read while sniffing (it is shorter than the sniffing window). */
  readonly ended: boolean;
  /** The Content-Type of a URL, as sent. */
  readonly contentType?: string | undefined;
}

const soxKinds = new Set<InputKind>(["ogg-opus", "ogg-vorbis", "ogg", "flac"]);

/** The command that converts `kind` to 16 kHz mono WAV. */
export function conversionCommand(kind: InputKind): string {
  const extension = {
    "ogg-opus": "ogg",
    "ogg-vorbis": "ogg",
    ogg: "ogg",
    flac: "flac",
    mp3: "mp3",
    aac: "aac",
    webm: "webm",
    mp4: "m4a",
  }[kind as string];
  if (soxKinds.has(kind)) return `sox in.${extension} -r 16000 -c 1 out.wav`;
  return `ffmpeg -i in.${extension ?? "audio"} -ar 16000 -ac 1 out.wav`;
}

/** The command that turns any WAV into one every engine reads (16-bit PCM). */
const WAV_CONVERSION = "sox in.wav -b 16 out.wav";

/** "24-bit samples" out of core's "Unsupported WAV encoding: format tag 0x0001 with 24-bit samples. …". */
function wavEncodingOf(problem: string): string {
  return /with (\d+-bit samples)/.exec(problem)?.[1] ?? "an encoding the server cannot decode";
}

/** What to add to a server's "could not decode" (1008 DATA-0000) for this input. */
export function decodeHint(facts: Pick<InputFacts, "name" | "kind" | "wavProblem">): string | undefined {
  if (facts.kind === "wav") {
    // Deepgram reads 24-bit and other WAVs the local server does not: advice only on its refusal.
    if (facts.wavProblem === undefined) return undefined;
    return `${facts.name} is a WAV with ${wavEncodingOf(facts.wavProblem)}; convert it with \`${WAV_CONVERSION}\``;
  }
  if (facts.kind === "empty" || facts.kind === "html") return undefined;
  if (facts.kind === "unknown") {
    return `${facts.name} is not a WAV file: for raw PCM give --encoding and --sample-rate (e.g. --encoding linear16 --sample-rate 16000)`;
  }
  return `${facts.name} is ${kindNames[facts.kind]}; convert it with \`${conversionCommand(facts.kind)}\``;
}

const seconds = (bytes: number, wav: WavInfo) =>
  (bytes / (wav.sampleRate * Math.max(1, wav.blockAlign))).toFixed(1);

/**
 * Checks the input against where it goes. Returns the options to send (a WAV header overrides
 * contradicting flags) and warnings to print; throws {@link InputError} for what cannot work.
 *
 * @param offline true when the embedded offline engine will decode it (it reads WAV or raw PCM only).
 */
export function checkInput(
  facts: InputFacts,
  options: LiveOptions,
  offline: boolean,
): { options: LiveOptions; warnings: string[] } {
  const { name, kind, wav } = facts;
  const warnings: string[] = [];
  if (kind === "empty" || facts.totalBytes === 0)
    throw new InputError(`${name} is empty: there is no audio to transcribe`);
  if (kind === "html") {
    const type = facts.contentType ? ` (Content-Type: ${facts.contentType})` : "";
    throw new InputError(`${name} is an HTML page, not audio${type}: check the address`);
  }
  if (kind === "wav") {
    if (facts.wavProblem !== undefined) {
      if (offline) {
        throw new InputError(
          `${name} is a WAV the offline engine cannot read (${facts.wavProblem.replace(/\.$/, "")}): convert it with \`${WAV_CONVERSION}\``,
        );
      }
      return { options, warnings };
    }
    if (wav === undefined) {
      if (facts.ended || facts.totalBytes !== undefined)
        throw new InputError(`${name} is truncated: it ends inside its WAV header`);
      return { options, warnings };
    }
    const available = facts.totalBytes === undefined ? undefined : facts.totalBytes - wav.dataOffset;
    if (available !== undefined && available <= 0)
      throw new InputError(`${name} has a WAV header but no audio`);
    if (wav.dataLength !== undefined && available !== undefined && available < wav.dataLength) {
      throw new InputError(
        `${name} is truncated: its header promises ${seconds(wav.dataLength, wav)} s of audio, it holds ${seconds(available, wav)} s`,
      );
    }
    return { options: reconcile(name, wav, options, warnings), warnings };
  }
  if (!offline) return { options, warnings };
  if (kind === "unknown") {
    if (options.encoding !== undefined) return { options, warnings };
    throw new InputError(
      `${name} is not a WAV file and no --encoding was given; the offline engine reads WAV or raw PCM: for raw PCM give --encoding and --sample-rate (e.g. --encoding linear16 --sample-rate 16000)`,
    );
  }
  throw new InputError(
    `${name} is ${kindNames[kind]}; the offline engine reads WAV or raw PCM: convert it with \`${conversionCommand(kind)}\`, or set DEEPGRAM_API_KEY (Deepgram decodes it)`,
  );
}

/** A WAV header is what the audio is: flags that contradict it are dropped, with a warning. */
function reconcile(name: string, wav: WavInfo, options: LiveOptions, warnings: string[]): LiveOptions {
  const contradictions: string[] = [];
  if (options.sample_rate !== undefined && options.sample_rate !== wav.sampleRate) {
    contradictions.push(`--sample-rate ${options.sample_rate}`);
  }
  if (options.channels !== undefined && options.channels !== wav.channels)
    contradictions.push(`--channels ${options.channels}`);
  if (options.encoding !== undefined && options.encoding !== wav.format)
    contradictions.push(`--encoding ${options.encoding}`);
  if (contradictions.length === 0) return options;
  warnings.push(
    `${name}'s header says ${wav.sampleRate} Hz, ${wav.channels} channel${wav.channels === 1 ? "" : "s"}, ${wav.format}; ignoring ${contradictions.join(", ")}`,
  );
  const { sample_rate: _rate, channels: _channels, encoding: _encoding, ...rest } = options;
  return rest;
}
