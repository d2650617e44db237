/**
 * The statistics behind process-health figures and cohort comparisons: nearest-rank
 * percentiles, Wilson and Newcombe intervals for rates, the Mann–Whitney rank test and a
 * bootstrap of the difference of two medians. Plain numbers in, plain numbers out.
 */
import type { Random } from './prng';

/** Count, mean and nearest-rank percentiles of a set of durations (ms); null when empty. */
export interface Summary {
  n: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  max: number | null;
}

/**
 * Nearest-rank percentile of ascending values: the smallest value with at least p % of the
 * values at or below it. Always an observed value, so "p90 = 4 h" means a real case took 4 h.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * n - 1e-9));
  return sorted[Math.min(n, rank) - 1] as number;
}

/** Summary of unsorted values; the mean is rounded to whole milliseconds. */
export function summarize(values: readonly number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { n: 0, mean: null, p50: null, p90: null, p95: null, max: null };
  let sum = 0;
  for (const v of sorted) sum += v;
  const arr = sorted as unknown as number[];
  return {
    n,
    mean: Math.round(sum / n),
    p50: percentile(arr, 50),
    p90: percentile(arr, 90),
    p95: percentile(arr, 95),
    max: sorted[n - 1] as number,
  };
}

// ---- normal distribution ----

/** Complementary error function (Numerical Recipes `erfcc`, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

// ---- rates ----

/** Wilson score interval of a proportion x/n; [0, 1] when n is 0. */
export function wilson(x: number, n: number, z: number): [number, number] {
  if (n <= 0) return [0, 1];
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Newcombe's hybrid score interval (his method 10) for the difference of two independent
 * proportions pb − pa, built from the two Wilson intervals. Good coverage even near 0 % and 100 %.
 */
export function newcombe(xa: number, na: number, xb: number, nb: number, z: number): { difference: number; ci: [number, number] } {
  const pa = xa / na;
  const pb = xb / nb;
  const [la, ua] = wilson(xa, na, z);
  const [lb, ub] = wilson(xb, nb, z);
  const d = pb - pa;
  return {
    difference: d,
    ci: [d - Math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), d + Math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)],
  };
}

// ---- rank test ----

/** Mann–Whitney U test of b against a, normal approximation with tie and continuity corrections. */
export function mannWhitney(a: readonly number[], b: readonly number[]): { u: number; z: number; p: number } {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return { u: 0, z: 0, p: 1 };
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const n = all.length;
  let rankSumB = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const t = j - i + 1;
    const avg = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if ((all[k] as { g: number }).g === 1) rankSumB += avg;
    if (t > 1) ties += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumB - (nb * (nb + 1)) / 2;
  const mean = (na * nb) / 2;
  const variance = ((na * nb) / 12) * (n + 1 - ties / (n * (n - 1) || 1));
  if (!(variance > 0)) return { u, z: 0, p: 1 };
  const dev = Math.abs(u - mean);
  const z = dev <= 0.5 ? 0 : (Math.sign(u - mean) * (dev - 0.5)) / Math.sqrt(variance);
  return { u, z, p: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

// ---- bootstrap of medians ----

/** Natural log of the gamma function (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const y = x - 1;
  let s = g[0] as number;
  for (let i = 1; i < 9; i++) s += (g[i] as number) / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Regularized incomplete beta function I_x(a, b) (continued fraction, modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The distribution of the median of a bootstrap resample, over the values it can take. */
export interface MedianDistribution {
  values: number[];
  /** `cdf[i]` = P(resampled median ≤ values[i]). */
  cdf: number[];
}

const TAIL = 1e-13;

/**
 * Exact distribution of the nearest-rank median of a resample (n draws with replacement) of
 * ascending values: the median is ≤ v exactly when at least ceil(n/2) draws are ≤ v, a binomial
 * tail. Drawing from it is the same as resampling and taking the median, at a cost that does
 * not grow with the number of resamples. Values whose probability is below 1e-13 are dropped.
 */
export function medianDistribution(sorted: readonly number[]): MedianDistribution {
  const n = sorted.length;
  if (n === 0) return { values: [], cdf: [] };
  const r = Math.ceil(n / 2);
  const distinct: number[] = [];
  const below: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (i + 1 < n && sorted[i + 1] === v) continue;
    distinct.push(v);
    below.push(i + 1);
  }
  const cdfAt = (j: number): number => {
    const p = (below[j] as number) / n;
    return p >= 1 ? 1 : incompleteBeta(p, r, n - r + 1);
  };
  // The cdf rises monotonically; find the window where it is neither ~0 nor ~1.
  let lo = 0;
  let hi = distinct.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdfAt(mid) > TAIL) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  lo = first;
  hi = distinct.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdfAt(mid) >= 1 - TAIL) hi = mid;
    else lo = mid + 1;
  }
  const last = lo;
  const values: number[] = [];
  const cdf: number[] = [];
  for (let j = first; j <= last; j++) {
    values.push(distinct[j] as number);
    cdf.push(j === last ? 1 : cdfAt(j));
  }
  return { values, cdf };
}

/** One draw of a resampled median. */
export function drawMedian(dist: MedianDistribution, rand: Random): number {
  const u = rand();
  let lo = 0;
  let hi = dist.cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((dist.cdf[mid] as number) >= u) hi = mid;
    else lo = mid + 1;
  }
  return dist.values[lo] as number;
}

/**
 * Percentile bootstrap interval of median(b) − median(a): `resamples` independent resamples of
 * each cohort, the difference of their medians, and the central `confidence` share of those
 * differences.
 */
export function bootstrapMedianDifference(
  a: readonly number[],
  b: readonly number[],
  rand: Random,
  resamples: number,
  confidence: number,
): [number, number] {
  const da = medianDistribution([...a].sort((x, y) => x - y));
  const db = medianDistribution([...b].sort((x, y) => x - y));
  const diffs = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) diffs[i] = drawMedian(db, rand) - drawMedian(da, rand);
  diffs.sort();
  const alpha = 1 - confidence;
  const at = (q: number) => diffs[Math.min(resamples, Math.max(1, Math.ceil(q * resamples - 1e-9))) - 1] as number;
  return [at(alpha / 2), at(1 - alpha / 2)];
}
