import { describe, expect, it } from 'vitest';
import { compareCohorts, parseMetric, type DurationComparison, type RateComparison } from './compare';
import { HealthError } from './errors';
import { fact } from './fixtures/facts';
import { lognormal, mulberry32, type Random } from './prng';
import type { CaseFacts } from './types';

const HOUR = 3_600_000;

/** Completed cases with lognormal cycle times (working time = 40 % of it) and a straight-through share. */
function cohort(rand: Random, n: number, medianHours: number, stpRate: number): CaseFacts[] {
  return Array.from({ length: n }, () => {
    const ms = Math.round(lognormal(rand, medianHours * HOUR, 0.6));
    const stp = rand() < stpRate;
    return fact({ cycle: [ms, Math.round(ms * 0.4)], stp, humanTasks: stp ? 0 : 1 });
  });
}

const seeds = (k: number) => Array.from({ length: k }, (_, i) => 1000 + i);

describe('compareCohorts: durations', () => {
  it('finds a real drop in cycle time (8 h → 5 h) in every run, with an interval around the true difference', () => {
    let covered = 0;
    for (const seed of seeds(10)) {
      const rand = mulberry32(seed);
      const r = compareCohorts(cohort(rand, 120, 8, 0.3), cohort(rand, 120, 5, 0.3), ['cycle']).metrics[0] as DurationComparison;
      expect(r.significant).toBe(true);
      expect(r.ci?.[1]).toBeLessThan(0);
      expect(r.pValue).toBeLessThan(0.05);
      if ((r.ci?.[0] ?? 0) <= -3 * HOUR && -3 * HOUR <= (r.ci?.[1] ?? 0)) covered += 1;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('does not call equal cohorts different, beyond the 5 % a 95 % interval allows', () => {
    let falseAlarms = 0;
    const runs = 200;
    for (const seed of seeds(runs)) {
      const rand = mulberry32(seed);
      const r = compareCohorts(cohort(rand, 60, 8, 0.3), cohort(rand, 60, 8, 0.3), ['cycle']).metrics[0] as DurationComparison;
      if (r.significant) falseAlarms += 1;
    }
    // Expected about 10 of 200; an interval that is too narrow would raise far more.
    expect(falseAlarms).toBeLessThanOrEqual(20);
    expect(falseAlarms).toBeGreaterThanOrEqual(1);
  });

  it('reports cohort sizes, medians and the ratio, in working time when asked', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((h) => fact({ cycle: [h * HOUR, h * HOUR * 0.5] }));
    const b = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((h) => fact({ cycle: [h * HOUR * 2, h * HOUR] }));
    const running = fact({ status: 'waiting', cycle: undefined, endedAt: undefined });
    const r = compareCohorts([...a, running], b, ['cycle:working']);
    const m = r.metrics[0] as DurationComparison;
    expect(r.a.cases).toBe(11);
    expect(m.mode).toBe('working');
    expect(m.a).toEqual({ cases: 11, n: 10, median: 2.5 * HOUR, mean: 2.75 * HOUR, p90: 4.5 * HOUR });
    expect(m.b.median).toBe(6 * HOUR);
    expect(m.difference).toBe(3.5 * HOUR);
    expect(m.ratio).toBeCloseTo(2.4, 10);
  });

  it('gives no interval below ten observations per cohort', () => {
    const a = [1, 2, 3].map((h) => fact({ cycle: [h * HOUR, h * HOUR] }));
    const b = [10, 20, 30].map((h) => fact({ cycle: [h * HOUR, h * HOUR] }));
    const m = compareCohorts(a, b, ['cycle']).metrics[0] as DurationComparison;
    expect(m).toMatchObject({ ci: null, significant: false, reason: 'too-few', difference: 18 * HOUR });
  });

  it('is reproducible: the same cohorts give the same interval', () => {
    const rand = mulberry32(5);
    const a = cohort(rand, 50, 8, 0.3);
    const b = cohort(rand, 50, 7, 0.3);
    expect(compareCohorts(a, b, ['cycle'])).toEqual(compareCohorts(a, b, ['cycle']));
    expect(compareCohorts(a, b, ['cycle'], { seed: 9 }).seed).toBe(9);
  });

  it('compares a node per case (total over the visits) and a milestone', () => {
    const mk = (q: number[], ms: number) => fact({ nodes: { review: { kind: 'user-task', visits: q.length, queue: q.map((h) => [h * HOUR, h * HOUR]) } }, milestones: { 'first-review': { at: '2026-03-02T02:00:00.000Z', span: [ms * HOUR, ms * HOUR], met: ms <= 4 } } });
    const a = Array.from({ length: 12 }, (_, i) => mk([1, 1 + (i % 3)], 8 + i));
    const b = Array.from({ length: 12 }, (_, i) => mk([1], 1 + (i % 4)));
    const r = compareCohorts(a, b, ['node:review:queue', 'milestone:first-review', 'milestone-met:first-review']);
    const [queue, milestone, met] = r.metrics as [DurationComparison, DurationComparison, RateComparison];
    expect(queue.a.median).toBe(3 * HOUR);
    expect(queue.b.median).toBe(1 * HOUR);
    expect(milestone.significant).toBe(true);
    expect(met.a).toEqual({ cases: 12, n: 12, count: 0, rate: 0 });
    expect(met.b).toEqual({ cases: 12, n: 12, count: 12, rate: 1 });
    expect(met.significant).toBe(true);
  });
});

describe('compareCohorts: rates', () => {
  it('finds a rise in straight-through processing (30 % → 45 %) in every run', () => {
    for (const seed of seeds(10)) {
      const rand = mulberry32(seed);
      const r = compareCohorts(cohort(rand, 400, 8, 0.3), cohort(rand, 400, 8, 0.45), ['stp']).metrics[0] as RateComparison;
      expect(r.significant).toBe(true);
      expect(r.ci?.[0]).toBeGreaterThan(0);
      expect(r.a.n).toBe(400);
    }
  });

  it('does not call equal rates different, beyond what 95 % allows', () => {
    let falseAlarms = 0;
    for (const seed of seeds(200)) {
      const rand = mulberry32(seed);
      const r = compareCohorts(cohort(rand, 150, 8, 0.2), cohort(rand, 150, 8, 0.2), ['stp']).metrics[0] as RateComparison;
      if (r.significant) falseAlarms += 1;
    }
    expect(falseAlarms).toBeLessThanOrEqual(20);
  });

  it('counts each rate over its own denominator', () => {
    const a = [
      fact({ status: 'completed', outcome: 'opened', rework: 1 }),
      fact({ status: 'terminated', outcome: 'rejected', stp: false }),
      fact({ status: 'waiting', endedAt: undefined, cycle: undefined, stp: undefined, caseSla: 'open' }),
      fact({ status: 'completed', outcome: 'opened', caseSla: 'breached', incidents: 2 }),
    ];
    const r = compareCohorts(a, a, ['stp', 'rework', 'incident', 'sla', 'outcome:rejected', 'status:completed']);
    const sides = r.metrics.map((m) => [m.metric, (m as RateComparison).a.n, (m as RateComparison).a.count]);
    expect(sides).toEqual([
      ['stp', 2, 0],
      ['rework', 3, 1],
      ['incident', 3, 1],
      ['sla', 1, 0],
      ['outcome:rejected', 3, 1],
      ['status:completed', 3, 2],
    ]);
  });
});

describe('metrics', () => {
  it('refuses unknown metrics with a stable code', () => {
    for (const bad of ['speed', 'stp:working', 'node:review', 'node:review:lunch', 'milestone', 'cycle:fast']) {
      expect(() => parseMetric(bad)).toThrow(HealthError);
      expect(() => parseMetric(bad)).toThrow(expect.objectContaining({ code: 'health.metric.unknown', params: expect.objectContaining({ metric: bad }) }));
    }
    expect(() => compareCohorts([], [], [])).toThrow(expect.objectContaining({ code: 'health.metric.missing' }));
    expect(() => compareCohorts([], [], ['cycle'], { confidence: 1 })).toThrow(expect.objectContaining({ code: 'health.compare.confidence' }));
  });
});
