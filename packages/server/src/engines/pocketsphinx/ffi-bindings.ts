/**
 * The slice of Debian's pocketsphinx 0.8+5prealpha C API (`libpocketsphinx.so.3` and
 * `libsphinxbase.so.3`) the engine calls, bound through koffi.
 *
 * Called inside the decoder worker thread (decoder-worker.ts), and by the binding tests on the
 * main thread.
 */
import type * as Koffi from "koffi";

/** An opaque C pointer as koffi hands it over. */
export type CPointer = unknown;

/** Typed wrappers around the C functions the decoder uses. */
export interface PocketsphinxApi {
  /** `cmd_ln_init(NULL, ps_args(), 1, "-name", "value", …, NULL)`; the library copies the strings. */
  createConfig(args: readonly string[]): CPointer;
  freeConfig(config: CPointer): void;
  init(config: CPointer): CPointer;
  free(decoder: CPointer): void;
  startStream(decoder: CPointer): number;
  startUtt(decoder: CPointer): number;
  endUtt(decoder: CPointer): number;
  /** Feeds samples; returns the number of frames searched, or a negative number on error. */
  processRaw(decoder: CPointer, samples: Int16Array, count: number): number;
  inSpeech(decoder: CPointer): boolean;
  hypothesis(decoder: CPointer): string | null;
  /** The words of the current hypothesis: raw dictionary words with 10 ms frame numbers. */
  segments(decoder: CPointer): { word: string; startFrame: number; endFrame: number; probability: number }[];
  /**
   * The live cepstral mean the decoder normalises features with (13 values), or `undefined`
   * when the library's struct layout is not the one this binding knows.
   */
  getCepstralMean(decoder: CPointer): Float32Array | undefined;
  /** Sets the live cepstral mean; false when the layout is unknown. */
  setCepstralMean(decoder: CPointer, mean: Float32Array): boolean;
  /** Silences the library's logging to stderr. */
  silenceLog(): void;
}

/**
 * Loads the two shared libraries and binds the functions. Throws (from koffi) when a library
 * cannot be loaded; the caller turns that into an install hint.
 *
 * @example
 * ```ts
 * const api = bindPocketsphinx(koffi, { pocketsphinx: "libpocketsphinx.so.3", sphinxbase: "libsphinxbase.so.3" });
 * ```
 */
export function bindPocketsphinx(
  koffi: typeof Koffi,
  libraries: { readonly pocketsphinx: string; readonly sphinxbase: string },
): PocketsphinxApi {
  const sb = koffi.load(libraries.sphinxbase);
  const ps = koffi.load(libraries.pocketsphinx);

  const cmdLnInit = sb.func("void *cmd_ln_init(void *inout, void *defn, int strict, ...)");
  const cmdLnFree = sb.func("int cmd_ln_free_r(void *cmdln)");
  const errSetLogfp = sb.func("void err_set_logfp(void *fp)");
  const logmathExp = sb.func("double logmath_exp(void *lmath, int p)");

  const cmnLiveGet = sb.func("void cmn_live_get(void *cmn, _Out_ float *vec)");
  const cmnLiveSet = sb.func("void cmn_live_set(void *cmn, const float *vec)");

  const psArgs = ps.func("void *ps_args()");
  const psGetFeat = ps.func("void *ps_get_feat(void *ps)");
  const psInit = ps.func("void *ps_init(void *config)");
  const psFree = ps.func("int ps_free(void *ps)");
  const psStartStream = ps.func("int ps_start_stream(void *ps)");
  const psStartUtt = ps.func("int ps_start_utt(void *ps)");
  const psEndUtt = ps.func("int ps_end_utt(void *ps)");
  const psProcessRaw = ps.func(
    "int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)",
  );
  const psGetInSpeech = ps.func("uint8_t ps_get_in_speech(void *ps)");
  const psGetHyp = ps.func("const char *ps_get_hyp(void *ps, _Out_ int *out_best_score)");
  const psGetLogmath = ps.func("void *ps_get_logmath(void *ps)");
  const psSegIter = ps.func("void *ps_seg_iter(void *ps)");
  const psSegNext = ps.func("void *ps_seg_next(void *seg)");
  const psSegWord = ps.func("const char *ps_seg_word(void *seg)");
  const psSegFrames = ps.func("void ps_seg_frames(void *seg, _Out_ int *out_sf, _Out_ int *out_ef)");
  const psSegProb = ps.func(
    "int ps_seg_prob(void *seg, _Out_ int *out_ascr, _Out_ int *out_lscr, _Out_ int *out_lback)",
  );

  // The API has no accessor for a decoder's CMN state, so it is read from feat_t
  // (sphinxbase 5prealpha, x86_64/arm64: int cepsize at 16, cmn_t *cmn_struct at 88) and
  // cmn_t (int veclen at 28). Both sizes must agree, else the layout is not trusted.
  const cmnOf = (decoder: CPointer): { cmn: CPointer; size: number } | undefined => {
    const feat = psGetFeat(decoder);
    if (!feat) return undefined;
    const cepsize = koffi.decode(feat, 16, "int32_t") as number;
    const cmn = koffi.decode(feat, 88, "void *") as CPointer;
    if (!cmn || cepsize < 1 || cepsize > 64) return undefined;
    const veclen = koffi.decode(cmn, 28, "int32_t") as number;
    return veclen === cepsize ? { cmn, size: cepsize } : undefined;
  };

  return {
    createConfig(args) {
      // The variadic call needs each extra argument's C type spelled out; the list ends with NULL.
      const variadic: unknown[] = [];
      for (const arg of args) variadic.push("const char *", arg);
      variadic.push("void *", null);
      return cmdLnInit(null, psArgs(), 1, ...variadic);
    },
    freeConfig(config) {
      cmdLnFree(config);
    },
    init(config) {
      return psInit(config);
    },
    free(decoder) {
      psFree(decoder);
    },
    startStream(decoder) {
      return psStartStream(decoder) as number;
    },
    startUtt(decoder) {
      return psStartUtt(decoder) as number;
    },
    endUtt(decoder) {
      return psEndUtt(decoder) as number;
    },
    processRaw(decoder, samples, count) {
      return psProcessRaw(decoder, samples, count, 0, 0) as number;
    },
    inSpeech(decoder) {
      return (psGetInSpeech(decoder) as number) !== 0;
    },
    hypothesis(decoder) {
      const score = [0];
      return psGetHyp(decoder, score) as string | null;
    },
    segments(decoder) {
      const logmath = psGetLogmath(decoder);
      const out: { word: string; startFrame: number; endFrame: number; probability: number }[] = [];
      // ps_seg_next frees the iterator when it returns NULL, so walking to the end leaks nothing.
      let seg = psSegIter(decoder);
      while (seg) {
        const sf = [0];
        const ef = [0];
        psSegFrames(seg, sf, ef);
        const ascr = [0];
        const lscr = [0];
        const lback = [0];
        const prob = psSegProb(seg, ascr, lscr, lback) as number;
        out.push({
          word: psSegWord(seg) as string,
          startFrame: sf[0] ?? 0,
          endFrame: ef[0] ?? 0,
          probability: logmathExp(logmath, prob) as number,
        });
        seg = psSegNext(seg);
      }
      return out;
    },
    getCepstralMean(decoder) {
      const found = cmnOf(decoder);
      if (!found) return undefined;
      const mean = new Float32Array(found.size);
      cmnLiveGet(found.cmn, mean);
      return mean;
    },
    setCepstralMean(decoder, mean) {
      const found = cmnOf(decoder);
      if (!found || found.size !== mean.length) return false;
      cmnLiveSet(found.cmn, mean);
      return true;
    },
    silenceLog() {
      errSetLogfp(null);
    },
  };
}
