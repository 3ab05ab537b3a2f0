/**
 * A recognizer for reconnect tests that hears words in the audio itself, as a real one does:
 * each "word" is a tone whose amplitude names it (amplitude k × 2000 → `w<k>`), so the same
 * audio yields the same words on any connection — a replayed word is heard again, an unsent
 * one is not. The scripted engine cannot do this: it hands out its script in order, per stream.
 */
import type { Engine, EngineEvent, EngineFactory, EngineStream, EngineStreamContext } from "@earshot/server";

/** Amplitude step between word ids. */
const STEP = 2000;
/** Peak below which a 10 ms window is silence. */
const SILENCE = 500;

/** `seconds` of a 440 Hz tone that {@link levelEngine} hears as word `w<id>` (16 kHz linear16). */
export function word(id: number, seconds: number): Buffer {
  const frames = Math.round(seconds * 16_000);
  const out = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) {
    out.writeInt16LE(Math.round(id * STEP * Math.sin((2 * Math.PI * 440 * i) / 16_000)), i * 2);
  }
  return out;
}

class LevelStream implements EngineStream {
  readonly #emit: (event: EngineEvent) => void;
  readonly #rate: number;
  readonly #window: number;
  #position = 0;
  #windowFill = 0;
  #windowPeak = 0;
  #speechStart: number | undefined;
  #speechEnd = 0;
  #peak = 0;
  #segmentStart = 0;

  constructor(context: EngineStreamContext, emit: (event: EngineEvent) => void) {
    this.#emit = emit;
    this.#rate = context.sampleRate;
    this.#window = Math.round(context.sampleRate / 100);
  }

  write(samples: Int16Array): void {
    for (const sample of samples) {
      this.#windowPeak = Math.max(this.#windowPeak, Math.abs(sample));
      if (++this.#windowFill < this.#window) continue;
      this.#position += this.#windowFill;
      this.#judge(this.#windowPeak);
      this.#windowFill = 0;
      this.#windowPeak = 0;
    }
  }

  #judge(peak: number): void {
    const at = this.#position / this.#rate;
    if (peak >= SILENCE) {
      this.#speechStart ??= at - this.#window / this.#rate;
      this.#speechEnd = at;
      this.#peak = Math.max(this.#peak, peak);
      return;
    }
    this.#final();
  }

  #final(): void {
    if (this.#speechStart === undefined) return;
    const words = [
      {
        word: `w${Math.round(this.#peak / STEP)}`,
        start: this.#speechStart,
        end: this.#speechEnd,
        confidence: 1,
      },
    ];
    this.#emit({ type: "final", words, start: this.#segmentStart, end: this.#speechEnd, endpoint: true });
    this.#segmentStart = this.#speechEnd;
    this.#speechStart = undefined;
    this.#peak = 0;
  }

  async flush(): Promise<void> {
    this.#final();
  }

  close(): void {}
}

/** The engine factory for `startServer({ engine: levelEngine() })`. */
export function levelEngine(): EngineFactory {
  return (): Engine => ({
    name: "level-test-engine",
    createStream: (context, emit) => new LevelStream(context, emit),
    close: async () => {},
  });
}
