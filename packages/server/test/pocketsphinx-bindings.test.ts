/**
 * The koffi bindings and the streaming decoder on the main thread (the engine runs the same
 * functions in worker threads): the C API as this Debian version has it, including the one
 * struct the engine reads directly.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as Koffi from "koffi";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "../src/engine.ts";
import { createDecoder, type StreamingDecoder } from "../src/engines/pocketsphinx/decoder.ts";
import { bindPocketsphinx } from "../src/engines/pocketsphinx/ffi-bindings.ts";
import { DEFAULT_LIBRARIES, DEFAULT_MODEL_DIR, locateModel } from "../src/engines/pocketsphinx/model.ts";
import { readRecording } from "./helpers/flite.ts";

const koffi = createRequire(import.meta.url)("koffi") as typeof Koffi;
const api = bindPocketsphinx(koffi, DEFAULT_LIBRARIES);
const model = locateModel();
const decoders: StreamingDecoder[] = [];

function decoder(): StreamingDecoder {
  const created = createDecoder(api, { ...model, maxUtteranceSeconds: 12, interimIntervalSeconds: 0.5 });
  decoders.push(created);
  return created;
}

afterAll(() => {
  for (const created of decoders) created.free();
});

describe("pocketsphinx bindings", () => {
  it("read the model's initial cepstral mean through the feat_t/cmn_t layout, and set it", () => {
    const params = readFileSync(join(DEFAULT_MODEL_DIR, "en-us", "feat.params"), "utf8");
    const cmninit = /^-cmninit\s+(\S+)/m.exec(params)?.[1]?.split(",").map(Number) ?? [];
    expect(cmninit).toHaveLength(13);
    const config = api.createConfig(["-hmm", model.hmm, "-lm", model.lm, "-dict", model.dict]);
    const ps = api.init(config);
    try {
      const mean = api.getCepstralMean(ps);
      expect(Array.from(mean ?? [])).toEqual(cmninit.map((value) => Math.fround(value)));
      const changed = new Float32Array(13).fill(1.5);
      expect(api.setCepstralMean(ps, changed)).toBe(true);
      expect(Array.from(api.getCepstralMean(ps) ?? [])).toEqual(Array.from(changed));
      expect(api.setCepstralMean(ps, new Float32Array(12))).toBe(false);
    } finally {
      api.free(ps);
      api.freeConfig(config);
    }
  });

  it("decode a sentence into plain words: no pronunciation suffixes, no fillers", () => {
    const { samples } = readRecording();
    const events: EngineEvent[] = [];
    const created = decoder();
    created.begin({ interim: true });
    created.write(samples.subarray(0, Math.round(4.2 * 16_000)), (event) => events.push(event));
    created.flush((event) => events.push(event));
    created.end();
    const words = events.flatMap((event) =>
      event.type === "final" ? event.words.map((word) => word.word) : [],
    );
    expect(words.join(" ")).toBe("good morning and welcome to the weather report for today");
    const everyWord = events.flatMap((event) => (event.type === "speech-started" ? [] : event.words));
    expect(everyWord.every((word) => /^[a-z']+$/.test(word.word))).toBe(true);
  });

  it("refuse a model directory that does not hold a model", () => {
    expect(() =>
      createDecoder(api, {
        hmm: "/nonexistent/en-us",
        lm: model.lm,
        dict: model.dict,
        maxUtteranceSeconds: 12,
        interimIntervalSeconds: 0.5,
      }),
    ).toThrow(/could not load the model \(ps_init returned NULL\): \/nonexistent\/en-us/);
  });
});
