/**
 * Seeded pseudo-random numbers. The engine draws no ambient randomness, so every resample and
 * every simulated history is reproducible from its seed.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit generator; good enough for resampling and simulation. */
export function mulberry32(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string: turns names and inputs into seeds. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A standard normal draw (Box–Muller). */
export function normal(rand: Random): number {
  let u = rand();
  while (u <= Number.EPSILON) u = rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A lognormal draw with the given median and log-scale spread (sigma). */
export function lognormal(rand: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rand));
}

/** A Poisson draw (Knuth for small means, normal approximation above 50). */
export function poisson(rand: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k += 1;
    p *= rand();
  }
  return k;
}

/** Picks a key of `weights` with probability proportional to its weight. */
export function pickWeighted<K extends string>(rand: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + Math.max(0, w), 0);
  let x = rand() * total;
  for (const [k, w] of entries) {
    x -= Math.max(0, w);
    if (x < 0) return k;
  }
  return (entries[entries.length - 1] as [K, number])[0];
}
