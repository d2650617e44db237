/**
 * Seeded randomness for the reliability tests: every random choice (kill moments, operations,
 * tampering) derives from one printed seed, so a failing run can be replayed exactly with
 * FLOWPATH_SEED=<seed>.
 */

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export interface Rng {
  readonly seed: number;
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

/** A generator seeded with `seed`. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
  };
}

/**
 * The seed of this run: FLOWPATH_SEED when set (to replay a failure), else a fresh one.
 * Printed with the test's name so that the log of a failed CI run holds what is needed to replay it.
 */
export function runSeed(what: string): number {
  const fromEnv = process.env.FLOWPATH_SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`[${what}] seed ${seed} (replay with FLOWPATH_SEED=${seed})\n`);
  return seed;
}

/** Resolves after `ms` milliseconds of real time (the crash tests run against the wall clock on purpose). */
export const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));
