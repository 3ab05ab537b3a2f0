/**
 * Seeded randomness for fuzz, fault and soak suites: every run prints its seed, and the same
 * seed (from an environment variable) replays the run exactly.
 */

/** A fast deterministic generator (mulberry32) of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of a run: the environment variable `name` when set (a replay), else a fresh one.
 * Prints `<label> seed: <n> (replay: <name>=<n>)` so a failure can be replayed.
 */
export function seedFromEnv(name: string, label: string): number {
  const given = process.env[name];
  const seed = given === undefined || given === "" ? Date.now() % 2 ** 31 : Number(given);
  if (!Number.isInteger(seed)) throw new Error(`${name} must be an integer, not ${given}`);
  console.log(`${label} seed: ${seed} (replay: ${name}=${seed})`);
  return seed;
}

/** An integer in [min, max], from `random`. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** `items` in a random order (Fisher–Yates), from `random`; `items` is left as it is. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
