// When each bit of audio was sent, and where the speech in it ends: what "end of speech → event"
// latency is measured from. The end of speech is read from the audio itself (the end of the
// last 10 ms window whose peak reaches 500), so it does not depend on what the server says.

const SPEECH_PEAK = 500;

export class SpeechClock {
  #sampleRate;
  #sent = []; // [stream seconds at the frame's end, performance.now() when sent]
  #speechEnds = []; // stream seconds where a speech window ends
  #samples = 0;

  constructor(sampleRate) {
    this.#sampleRate = sampleRate;
  }

  /** Notes one frame of 16-bit mono PCM, handed to the client now. */
  sent(frame) {
    const samples = new Int16Array(frame.buffer, frame.byteOffset, Math.floor(frame.byteLength / 2));
    const window = this.#sampleRate / 100;
    for (let start = 0; start < samples.length; start += window) {
      let peak = 0;
      for (let i = start; i < Math.min(start + window, samples.length); i++)
        peak = Math.max(peak, Math.abs(samples[i]));
      if (peak >= SPEECH_PEAK)
        this.#speechEnds.push((this.#samples + Math.min(start + window, samples.length)) / this.#sampleRate);
    }
    this.#samples += samples.length;
    this.#sent.push([this.#samples / this.#sampleRate, performance.now()]);
  }

  /**
   * Milliseconds from the moment the audio up to the end of the speech before `windowEnd`
   * (a TurnInfo's `audio_window_end`) was sent, to now.
   */
  sinceEndOfSpeech(windowEnd) {
    const end = this.#speechEnds.findLast((time) => time <= windowEnd + 1e-6);
    if (end === undefined) return undefined;
    const frame = this.#sent.find(([time]) => time >= end - 1e-6);
    return frame === undefined ? undefined : performance.now() - frame[1];
  }
}
