import { describe, expect, it } from 'vitest';
import { mulberry32, normal } from './prng';
import {
  bootstrapMedianDifference,
  drawMedian,
  incompleteBeta,
  mannWhitney,
  medianDistribution,
  newcombe,
  normalCdf,
  normalQuantile,
  percentile,
  summarize,
  wilson,
} from './stats';

const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('percentiles', () => {
  it('uses the nearest rank: always an observed value', () => {
    expect([50, 90, 95].map((p) => percentile(oneToTen, p))).toEqual([5, 9, 10]);
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([50, 90, 95].map((p) => percentile(twenty, p))).toEqual([10, 18, 19]);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile(oneToTen, 0)).toThrow(RangeError);
  });

  it('summarizes unsorted values with a rounded mean', () => {
    expect(summarize([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])).toEqual({ n: 10, mean: 6, p50: 5, p90: 9, p95: 10, max: 10 });
    expect(summarize([])).toEqual({ n: 0, mean: null, p50: null, p90: null, p95: null, max: null });
  });
});

describe('normal distribution', () => {
  it('matches tabled values', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });
});

describe('rate intervals', () => {
  it('gives Wilson intervals that stay inside [0, 1]', () => {
    const [lo0, hi0] = wilson(0, 10, 1.959964);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.2775, 4);
    const [lo, hi] = wilson(5, 10, 1.959964);
    expect(lo).toBeCloseTo(0.2366, 4);
    expect(hi).toBeCloseTo(0.7634, 4);
  });

  it("reproduces Newcombe's (1998) published intervals, method 10", () => {
    // 56/70 − 48/80
    const r = newcombe(48, 80, 56, 70, 1.959964);
    expect(r.difference).toBeCloseTo(0.2, 10);
    expect(r.ci[0]).toBeCloseTo(0.0524, 4);
    expect(r.ci[1]).toBeCloseTo(0.3339, 4);
    // 9/10 − 3/10
    const c = newcombe(3, 10, 9, 10, 1.959964);
    expect(c.ci[0]).toBeCloseTo(0.1705, 4);
    expect(c.ci[1]).toBeCloseTo(0.809, 4);
    // 0/10 − 0/20 (orientation b − a, so the published −0.1611..0.2775 appears mirrored)
    const z = newcombe(0, 20, 0, 10, 1.959964);
    expect(z.ci[0]).toBeCloseTo(-0.1611, 4);
    expect(z.ci[1]).toBeCloseTo(0.2775, 4);
  });
});

describe('Mann–Whitney', () => {
  it('finds two separated samples different and identical samples not', () => {
    const r = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.u).toBe(25);
    expect(r.p).toBeCloseTo(0.0122, 3);
    expect(mannWhitney([1, 2, 3], [1, 2, 3]).p).toBe(1);
    expect(mannWhitney([4, 4, 4], [4, 4, 4]).p).toBe(1);
  });
});

describe('bootstrap of the median', () => {
  it('computes the incomplete beta function (binomial tails)', () => {
    expect(incompleteBeta(0.5, 7, 7)).toBeCloseTo(0.5, 12);
    // P(Bin(30, 0.3) >= 10) by direct summation.
    let tail = 0;
    const choose = (n: number, k: number) => {
      let c = 1;
      for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
      return c;
    };
    for (let k = 10; k <= 30; k++) tail += choose(30, k) * 0.3 ** k * 0.7 ** (30 - k);
    expect(incompleteBeta(0.3, 10, 21)).toBeCloseTo(tail, 12);
  });

  it('gives the exact distribution of a resampled median (checked by enumerating every resample)', () => {
    const data = [1, 2, 2, 5];
    const counts = new Map<number, number>();
    for (let i = 0; i < 256; i++) {
      const sample = [i & 3, (i >> 2) & 3, (i >> 4) & 3, (i >> 6) & 3].map((k) => data[k] as number).sort((a, b) => a - b);
      const median = sample[1] as number; // nearest rank: ceil(4 / 2) = 2nd
      counts.set(median, (counts.get(median) ?? 0) + 1);
    }
    const dist = medianDistribution(data);
    let cum = 0;
    const expected = [1, 2, 5].map((v) => (cum += counts.get(v) ?? 0) / 256);
    expect(dist.values).toEqual([1, 2, 5]);
    dist.cdf.forEach((c, i) => expect(c).toBeCloseTo(expected[i] as number, 12));
  });

  it('draws medians with the same frequencies as resampling does', () => {
    const rand = mulberry32(7);
    const data = Array.from({ length: 25 }, () => Math.round(100 * Math.exp(normal(rand)))).sort((a, b) => a - b);
    const dist = medianDistribution(data);
    const draws = 20000;
    const exact = new Map<number, number>();
    const naive = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const m = drawMedian(dist, rand);
      exact.set(m, (exact.get(m) ?? 0) + 1);
      const sample = Array.from({ length: 25 }, () => data[Math.floor(rand() * 25)] as number).sort((a, b) => a - b);
      const s = sample[12] as number;
      naive.set(s, (naive.get(s) ?? 0) + 1);
    }
    let maxGap = 0;
    let ce = 0;
    let cn = 0;
    for (const v of [...new Set(data)]) {
      ce += exact.get(v) ?? 0;
      cn += naive.get(v) ?? 0;
      maxGap = Math.max(maxGap, Math.abs(ce - cn) / draws);
    }
    expect(maxGap).toBeLessThan(0.02);
  });

  it('is deterministic for a seed and brackets the observed difference', () => {
    const a = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    const b = a.map((x) => x + 10);
    const ci1 = bootstrapMedianDifference(a, b, mulberry32(1), 2000, 0.95);
    const ci2 = bootstrapMedianDifference(a, b, mulberry32(1), 2000, 0.95);
    expect(ci1).toEqual(ci2);
    expect(ci1[0]).toBeLessThanOrEqual(10);
    expect(ci1[1]).toBeGreaterThanOrEqual(10);
    expect(ci1[0]).toBeGreaterThan(0);
  });

  it('stays fast for large cohorts', () => {
    const rand = mulberry32(3);
    const a = Array.from({ length: 100_000 }, () => Math.round(3_600_000 * Math.exp(0.8 * normal(rand))));
    const b = a.map((x) => Math.round(x * 0.9));
    const t0 = performance.now();
    const ci = bootstrapMedianDifference(a, b, rand, 2000, 0.95);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(ci[1]).toBeLessThan(0);
  });
});
