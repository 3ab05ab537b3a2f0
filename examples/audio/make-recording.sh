#!/usr/bin/env bash
# Makes recording.wav, the bundled example recording: every line of reference.txt spoken by
# flite's "kal16" voice, with 1.5 s of silence between sentences (long enough for a recognizer's
# silence detection to end each utterance), as 16 kHz mono 16-bit linear PCM WAV.
# Needs the Debian packages flite and sox. Run from anywhere: ./make-recording.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
voice="${FLITE_VOICE:-kal16}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sox -n -r 16000 -c 1 -b 16 "$work/lead.wav" trim 0 0.5
sox -n -r 16000 -c 1 -b 16 "$work/gap.wav" trim 0 1.5
sox -n -r 16000 -c 1 -b 16 "$work/tail.wav" trim 0 1.0

parts=("$work/lead.wav")
n=0
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ -z "$line" ]] && continue
  n=$((n + 1))
  flite -voice "$voice" -t "$line" -o "$work/raw-$n.wav"
  # flite's voices differ in rate; normalise every sentence to 16 kHz mono s16.
  sox "$work/raw-$n.wav" -r 16000 -c 1 -b 16 "$work/s-$n.wav"
  if ((n > 1)); then parts+=("$work/gap.wav"); fi
  parts+=("$work/s-$n.wav")
done <"$here/reference.txt"
parts+=("$work/tail.wav")

sox "${parts[@]}" -r 16000 -c 1 -b 16 -e signed-integer "$here/recording.wav"
soxi -D "$here/recording.wav" | xargs printf 'recording.wav: %.2f s\n'
