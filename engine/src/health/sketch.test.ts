import { describe, expect, it } from 'vitest';
import { cnMainlandCalendar } from '../calendar';
import { addToDigest, createDigest, digestFigures, localDate, mergeDigests, type HealthDigest } from './aggregate';
import { caseFacts } from './facts';
import { openingHistory, pilotFlow } from './fixtures/history-spec';
import { openingFlow } from './fixtures/opening-flow';
import { generateHistory } from './history';
import { lognormal, mulberry32 } from './prng';
import { EXACT_LIMIT, RELATIVE_ACCURACY, addValue, emptySketch, mergeSketch, summarizeSketch } from './sketch';
import { summarize } from './stats';

describe('sketch', () => {
  it('is exact while it holds few values', () => {
    const s = emptySketch();
    const values = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6, 0];
    for (const v of values) addValue(s, v);
    expect(summarizeSketch(s)).toEqual(summarize(values));
  });

  it('stays within 0.5 % of the exact percentiles when it holds many, with exact count, mean and max', () => {
    const rand = mulberry32(11);
    const values = Array.from({ length: 50_000 }, (_, i) => (i % 100 === 0 ? 0 : Math.round(lognormal(rand, 3_600_000, 1.2))));
    const s = emptySketch();
    for (const v of values) addValue(s, v);
    expect(s.values).toBeUndefined();
    const exact = summarize(values);
    const approx = summarizeSketch(s);
    expect(approx.n).toBe(exact.n);
    expect(approx.mean).toBe(exact.mean);
    expect(approx.max).toBe(exact.max);
    for (const k of ['p50', 'p90', 'p95'] as const) {
      expect(Math.abs((approx[k] as number) - (exact[k] as number)) / (exact[k] as number)).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-9);
    }
  });

  it('merges to exactly what one sketch of all the values gives', () => {
    const rand = mulberry32(12);
    const parts = [10, EXACT_LIMIT - 5, 3000, 1].map((n) => Array.from({ length: n }, () => Math.round(lognormal(rand, 60_000, 1))));
    const whole = emptySketch();
    const merged = emptySketch();
    for (const p of parts) {
      const s = emptySketch();
      for (const v of p) {
        addValue(s, v);
        addValue(whole, v);
      }
      mergeSketch(merged, JSON.parse(JSON.stringify(s)));
    }
    expect(summarizeSketch(merged)).toEqual(summarizeSketch(whole));
    expect(merged.n).toBe(whole.n);
    expect(merged.sum).toBe(whole.sum);
  });
});

describe('health digest: daily rollups', () => {
  const definitions = { 1: openingFlow(), 2: pilotFlow() } as const;
  const facts = [...generateHistory(openingHistory(7))].map((c) => caseFacts(definitions[c.version as 1 | 2], c.audit, cnMainlandCalendar));

  it('answers a period by merging stored daily digests exactly as one pass over the cases would', () => {
    const byDay = new Map<string, HealthDigest>();
    const whole = createDigest();
    for (const f of facts) {
      if (!f.endedAt) continue;
      const day = localDate(cnMainlandCalendar, f.endedAt);
      const d = byDay.get(day) ?? createDigest();
      addToDigest(d, f);
      byDay.set(day, d);
      addToDigest(whole, f);
    }
    // Stored as JSON rows, read back and merged.
    const stored = [...byDay.values()].map((d) => JSON.parse(JSON.stringify(d)) as HealthDigest);
    const t0 = performance.now();
    const merged = mergeDigests(...stored);
    const figures = digestFigures(merged, openingFlow());
    const elapsed = performance.now() - t0;
    expect(figures).toEqual(digestFigures(whole, openingFlow()));
    expect(figures.measured).toBeGreaterThan(1000);
    expect(figures.nodes.find((n) => n.nodeId === 'first-review')?.queue.calendar.n).toBeGreaterThan(EXACT_LIMIT);
    expect(elapsed).toBeLessThan(500);
  });

  it('ignores running cases', () => {
    const d = createDigest();
    for (const f of facts.filter((x) => x.status === 'waiting')) addToDigest(d, f);
    expect(d.cases).toBe(0);
  });
});
