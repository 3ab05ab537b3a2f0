/** The help texts: `earshot --help` and `earshot listen --help`. */
import { LISTEN_QUERY_SCHEMA, type ListenParameter } from "@earshot/core";
import { flagOf } from "./query-flags.ts";

function flagHelp(parameter: ListenParameter): string {
  const flag = `--${flagOf(parameter.name)}`;
  switch (parameter.type) {
    case "boolean":
      return flag;
    case "integer":
      return `${flag} <n>`;
    case "enum":
      return `${flag} <${(parameter.values ?? []).join("|")}>`;
    case "integer-or-false":
      return `${flag} <ms|false>`;
    case "boolean-or-enum-list":
      return `${flag} <true|${(parameter.values ?? []).join("|")}>…`;
    case "record":
      return `${flag} <key:value>…`;
    case "string-list":
    case "enum-list":
      return `${flag} <value>…`;
    default:
      return `${flag} <value>`;
  }
}

/** Every query flag, wrapped at 92 columns (… marks the repeatable ones). */
function queryFlagsHelp(): string {
  const lines: string[] = [];
  let line = " ";
  for (const entry of LISTEN_QUERY_SCHEMA.map(flagHelp)) {
    if (line.length + entry.length + 2 > 92) {
      lines.push(line);
      line = " ";
    }
    line += ` ${entry}`;
  }
  lines.push(line);
  return `${lines.join("\n")}\n  (… may be repeated)`;
}

/** `earshot --help`. */
export const mainUsage = `earshot — live captions from a file, URL, microphone or stdin

Usage:
  earshot listen <file | URL | -> [flags]    transcribe audio as it streams
  earshot listen --mic [flags]               transcribe the microphone
  earshot serve [--port N] [flags]           run the local Deepgram-compatible server
  earshot --help | earshot listen --help | earshot --version

Where it connects: --url if given; else Deepgram when DEEPGRAM_API_KEY is set; else an
embedded local server with the offline pocketsphinx recognizer (no network, no key).

Examples:
  earshot listen talk.wav --interim-results
  earshot listen talk.wav --flux --eager-eot-threshold 0.5
  earshot listen https://example.com/stream.wav --smart-format --json | jq .
  arecord -f S16_LE -r 16000 -c 1 -t raw | earshot listen - --encoding linear16 --sample-rate 16000
  DEEPGRAM_API_KEY=… earshot listen --mic --model nova-3 --keyterm earshot
`;

/** `earshot listen --help`. */
export const listenUsage: string = `Usage: earshot listen <file | URL | -> [flags]
       earshot listen --mic [--mic-command "<cmd>"] [flags]

Input
  <file>                  a WAV file, or raw audio with --encoding and --sample-rate
  <URL>                   an http(s) URL, streamed as it downloads
  -                       stdin (WAV or raw)
  --mic                   capture with arecord, else sox (raw linear16, 16 kHz mono)
  --mic-command "<cmd>"   capture with this shell command instead (its stdout is the audio;
                          it must produce what --encoding/--sample-rate/--channels say)

Pacing (files)
  --realtime              send at the audio's own speed (default on a terminal)
  --fast                  send as fast as the server takes it (default when piped)
  --speed <x>             real time × x (implies --realtime), e.g. --speed 2

Output
  on a terminal           finals as lines; below them one status line: progress and the words
                          in progress (settled ones plain, the still-changing tail dimmed)
  --json                  NDJSON of every server message (the default when stdout is not a terminal)
  --timestamps            show each final's time span
  --speakers              split finals into speaker turns (use with --diarize)
  --srt FILE | --vtt FILE subtitles from the finals, written as they come (- for stdout)
  --stats                 latency figures on stderr at the end (live in the status line on a
                          terminal): time to first interim, audio end → final p50/p95,
                          Finalize round trip, reconnects, bytes sent
  NO_COLOR / FORCE_COLOR  turn the dimming off / on

Flux (turn-based transcription for voice agents, /v2/listen)
  --flux                  a Flux stream: on a terminal each finished turn as a line, the turn in
                          progress rewritten in place below; NDJSON of every Flux message when
                          piped (or with --json). --model defaults to flux-general-en; the
                          query flags below that Flux takes (--encoding, --sample-rate,
                          --keyterm, --tag, --numerals, …) apply; --stats, --srt/--vtt and
                          --speakers do not (Flux sends turns, not results)
  --eot-threshold <0.5-1>, --eager-eot-threshold <0.3-0.9>, --eot-timeout-ms <500-60000>,
  --language-hint <lang>… Flux's own parameters (with --flux only)

Connection
  --url <ws(s)://host>    any server that speaks /v1/listen (default: Deepgram with
                          DEEPGRAM_API_KEY, else the embedded local server)
  --engine <name>         the embedded server's engine: pocketsphinx (default) or scripted
                          (a fake that speaks a fixed script, for trying pipelines)
  --async | --threaded    which earshot client runs the stream (default --async)
  --input-timeout <s>     for URL inputs: the longest wait for an answer or for more bytes
                          (default 10)
  The API key is read from DEEPGRAM_API_KEY only, and never printed.

Transcription options (every Deepgram /v1/listen query parameter, from core's schema)
${queryFlagsHelp()}
  --x-<name> <value>      pass any other parameter through as <name>=<value> (repeatable)
  Boolean flags take --no-<flag> too. --interim-results is on by default on a terminal.

Exit status: 0 done, 1 error, 2 bad usage, 128+n stopped by signal n after the last finals
(130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), 141 the output pipe closed (| head).
`;
