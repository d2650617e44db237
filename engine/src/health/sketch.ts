/**
 * A mergeable summary of durations. Up to `EXACT_LIMIT` values it keeps them all, so
 * percentiles are exact. Beyond that it keeps counts in logarithmic bins (the DDSketch idea),
 * and any percentile is within 1 % of the exact value. Sketches merge by adding counts, which is
 * what lets the runtime keep daily rollups and answer a year of cases without reading them.
 */
import type { Summary } from './stats';
import { percentile } from './stats';

export interface Sketch {
  n: number;
  sum: number;
  max: number;
  /** All values, while there are at most `EXACT_LIMIT` of them. */
  values?: number[];
  /** Otherwise: count of zeros, and `counts[i]` values in bin `lo + i` (see `binOf`). */
  zeros?: number;
  lo?: number;
  counts?: number[];
}

/** Values kept exactly before a sketch switches to bins. */
export const EXACT_LIMIT = 64;
/** Relative accuracy of binned percentiles. */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

export function emptySketch(): Sketch {
  return { n: 0, sum: 0, max: 0, values: [] };
}

/** Bin of a positive value: values in (γ^(i−1), γ^i] share bin i. */
function binOf(v: number): number {
  return Math.ceil(Math.log(v) / LOG_GAMMA);
}

/** The value that stands for bin i: within the relative accuracy of every value in it. */
function valueOf(bin: number): number {
  return (2 * GAMMA ** bin) / (GAMMA + 1);
}

/** Adds one value (a duration in ms, ≥ 0). Mutates the sketch. */
export function addValue(s: Sketch, v: number): void {
  const x = v > 0 ? v : 0;
  s.n += 1;
  s.sum += x;
  if (x > s.max) s.max = x;
  if (s.values) {
    s.values.push(x);
    if (s.values.length > EXACT_LIMIT) toBins(s);
    return;
  }
  addBinned(s, x, 1);
}

function addBinned(s: Sketch, x: number, count: number): void {
  if (x <= 0) {
    s.zeros = (s.zeros ?? 0) + count;
    return;
  }
  addToBin(s, binOf(x), count);
}

function addToBin(s: Sketch, bin: number, count: number): void {
  const counts = (s.counts ??= []);
  if (counts.length === 0) {
    s.lo = bin;
    counts.push(count);
    return;
  }
  let lo = s.lo as number;
  if (bin < lo) {
    counts.unshift(...new Array<number>(lo - bin).fill(0));
    lo = bin;
    s.lo = bin;
  }
  const i = bin - lo;
  while (counts.length <= i) counts.push(0);
  counts[i] = (counts[i] as number) + count;
}

function toBins(s: Sketch): void {
  const values = s.values ?? [];
  delete s.values;
  s.zeros = s.zeros ?? 0;
  for (const v of values) addBinned(s, v, 1);
}

/** Adds `from` into `into` (mutates `into`). */
export function mergeSketch(into: Sketch, from: Sketch): void {
  if (from.n === 0) return;
  if (into.values && from.values && into.values.length + from.values.length <= EXACT_LIMIT) {
    into.values.push(...from.values);
  } else {
    if (into.values) toBins(into);
    if (from.values) for (const v of from.values) addBinned(into, v, 1);
    else {
      if (from.zeros) into.zeros = (into.zeros ?? 0) + from.zeros;
      const counts = from.counts ?? [];
      for (let i = 0; i < counts.length; i++) if (counts[i]) addToBin(into, (from.lo as number) + i, counts[i] as number);
    }
  }
  into.n += from.n;
  into.sum += from.sum;
  if (from.max > into.max) into.max = from.max;
}

/** Count, mean, nearest-rank percentiles and max: exact while the sketch holds its values. */
export function summarizeSketch(s: Sketch): Summary {
  if (s.n === 0) return { n: 0, mean: null, p50: null, p90: null, p95: null, max: null };
  const mean = Math.round(s.sum / s.n);
  if (s.values) {
    const sorted = Float64Array.from(s.values).sort() as unknown as number[];
    return { n: s.n, mean, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p95: percentile(sorted, 95), max: s.max };
  }
  const counts = s.counts ?? [];
  const lo = s.lo ?? 0;
  const at = (p: number): number => {
    const rank = Math.max(1, Math.ceil((p / 100) * s.n - 1e-9));
    let seen = s.zeros ?? 0;
    if (seen >= rank) return 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i] as number;
      if (seen >= rank) return Math.min(s.max, Math.round(valueOf(lo + i)));
    }
    return s.max;
  };
  return { n: s.n, mean, p50: at(50), p90: at(90), p95: at(95), max: s.max };
}
