/** The help texts: `earshot --help` and `earshot listen --help`. */

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
  earshot listen https://example.com/stream.wav --smart-format --json | jq .
  arecord -f S16_LE -r 16000 -c 1 -t raw | earshot listen - --encoding linear16 --sample-rate 16000
  DEEPGRAM_API_KEY=… earshot listen --mic --model nova-3 --keyterm earshot
`;

/** `earshot listen --help`. */
export const listenUsage = `Usage: earshot listen <file | URL | -> [flags]
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
  on a terminal           interim words rewritten in place, finals as lines, a progress bar
  --json                  NDJSON of every server message (the default when stdout is not a terminal)
  --timestamps            show each final's time span
  --speakers              split finals into speaker turns (use with --diarize)

Connection
  --url <ws(s)://host>    any server that speaks /v1/listen (default: Deepgram with
                          DEEPGRAM_API_KEY, else the embedded local server)
  --engine <name>         the embedded server's engine: pocketsphinx (default) or scripted
                          (a fake that speaks a fixed script, for trying pipelines)
  --async | --threaded    which earshot client runs the stream (default --async)
  The API key is read from DEEPGRAM_API_KEY only, and never printed.

Transcription options (Deepgram query parameters)
  --model <name>  --language <tag>  --encoding <enc>  --sample-rate <hz>  --channels <n>
  --multichannel  --interim-results  --punctuate  --smart-format  --numerals
  --profanity-filter  --filler-words  --diarize  --vad-events  --no-delay
  --endpointing <ms|false>  --utterance-end-ms <ms>
  --keyterm <term>  --keywords <word:boost>  --search <term>  --replace <a:b>  --tag <tag>
  --redact <true|pci|numbers|ssn…>  --extra <key:value>      (these may be repeated)
  --x-<name> <value>      pass any other parameter through as <name>=<value> (repeatable)
  Boolean flags take --no-<flag> too. --interim-results is on by default on a terminal.

Exit status: 0 done, 1 error, 2 bad usage, 130 stopped with Ctrl-C (after the last finals).
`;
