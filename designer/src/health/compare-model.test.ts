import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { higherIsBetter, pilotDimension, pilotMetrics, verdict } from './compare-model';
import { comparison } from './test-fixtures';

describe('reading a pilot comparison', () => {
  it('calls a shorter wait better, a lower SLA attainment worse, an interval across zero not significant, and too few cases too few', () => {
    // given the fixture's four metrics
    const [wait, sla, incident, milestone] = comparison().metrics;
    // then
    expect(verdict(wait!)).toBe('better');
    expect(verdict(sla!)).toBe('worse');
    expect(verdict(incident!)).toBe('not-significant');
    expect(verdict(milestone!)).toBe('too-few');
  });

  it('knows which direction is better for each kind of metric', () => {
    expect(higherIsBetter('cycle:working')).toBe(false);
    expect(higherIsBetter('rework')).toBe(false);
    expect(higherIsBetter('stp')).toBe(true);
    expect(higherIsBetter('node-sla:review')).toBe(true);
    expect(higherIsBetter('milestone-met:first-review')).toBe(true);
    expect(higherIsBetter('outcome:approved')).toBeNull();
  });

  it('calls a significant change of an outcome share different, not better or worse', () => {
    const m = { ...comparison().metrics[1]!, metric: 'outcome:approved' };
    expect(verdict(m)).toBe('different');
  });

  it('asks for cycle times, rates and the waiting, handling and SLA of every user task', () => {
    // given the loan fixture flow
    const def = loanFlow();
    const tasks = def.nodes.filter((n) => n.kind === 'user-task');
    // when
    const metrics = pilotMetrics(def);
    // then
    expect(metrics.slice(0, 2)).toEqual(['cycle', 'cycle:working']);
    expect(metrics).toEqual(expect.arrayContaining(['stp', 'rework', 'incident']));
    for (const t of tasks) expect(metrics).toEqual(expect.arrayContaining([`node:${t.id}:queue:working`, `node:${t.id}:handling:working`]));
    expect(new Set(metrics).size).toBe(metrics.length);
  });

  it('reads the pilot branches from a simple "field in list" rule and nothing else', () => {
    expect(pilotDimension({ in: [{ var: 'branchId' }, ['B01', 'B02']] })).toEqual({ field: 'branchId', values: ['B01', 'B02'] });
    expect(pilotDimension({ '==': [{ var: 'branchId' }, 'B01'] })).toBeNull();
    expect(pilotDimension({ in: ['x', 'xyz'] })).toBeNull();
    expect(pilotDimension(true)).toBeNull();
  });
});
