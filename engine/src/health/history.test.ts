import { describe, expect, it } from 'vitest';
import { cnMainlandCalendar } from '../calendar';
import { aggregateHealth, countWorkingDays, localDate } from './aggregate';
import { compareCohorts, type DurationComparison, type RateComparison } from './compare';
import { caseFacts } from './facts';
import { generateHistory, type HistoryCase } from './history';
import { openingHistory, pilotFlow } from './fixtures/history-spec';
import { openingFlow } from './fixtures/opening-flow';
import type { CaseFacts } from './types';

const cal = cnMainlandCalendar;
const definitions = { 1: openingFlow(), 2: pilotFlow() } as const;
const factsOf = (c: HistoryCase): CaseFacts => caseFacts(definitions[c.version as 1 | 2], c.audit, cal);

describe('generateHistory: three months of account openings with a pilot', () => {
  const t0 = performance.now();
  const history = [...generateHistory(openingHistory())];
  const elapsed = performance.now() - t0;
  const facts = history.map(factsOf);

  it('is generated in reasonable time', () => {
    expect(history.length).toBeGreaterThan(1000);
    expect(elapsed).toBeLessThan(15_000);
  });

  it('is the same history for the same seed, and another for another seed', () => {
    const again = [...generateHistory(openingHistory())];
    expect(JSON.stringify(again)).toBe(JSON.stringify(history));
    const other = [...generateHistory(openingHistory(43))];
    expect(other.length).not.toBe(history.length);
  });

  it('brings customers on working days only: make-up Saturdays yes, the Spring Festival no', () => {
    const days = new Set(history.map((c) => localDate(cal, c.startedAt)));
    expect(days.has('2026-02-14')).toBe(true); // make-up working Saturday
    expect(days.has('2026-02-28')).toBe(true);
    for (const holiday of ['2026-02-15', '2026-02-18', '2026-02-23', '2026-01-10', '2026-03-01']) expect(days.has(holiday)).toBe(false);
    const workingDays = countWorkingDays(cal, '2026-01-05', '2026-03-31');
    const expected = workingDays * 24;
    // Poisson arrivals: within four standard deviations of the mean.
    expect(Math.abs(history.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('writes journals the runtime could have written: ordered, inside the history, claims before completions', () => {
    const end = Date.parse(openingHistory().to);
    for (const c of history) {
      expect(c.audit[0]?.type).toBe('case.started');
      let last = 0;
      for (const r of c.audit) {
        const at = Date.parse(r.at);
        expect(at).toBeGreaterThanOrEqual(last);
        expect(at).toBeLessThan(end);
        last = at;
      }
      const claimed = new Set(c.audit.filter((r) => r.type === 'task.claimed').map((r) => r.details.taskId));
      for (const done of c.audit.filter((r) => r.type === 'task.completed')) expect(claimed.has(done.details.taskId)).toBe(true);
      expect(c.state.id).toBe(c.caseId);
    }
  });

  it('runs the pilot version only at the pilot branches, from the pilot start', () => {
    for (const c of history) {
      const pilotBranch = ['pudong', 'jiading'].includes(c.state.data.branch as string);
      const expected = pilotBranch && c.startedAt >= '2026-02-01T16:00:00.000Z' ? 2 : 1;
      expect(c.version).toBe(expected);
    }
    expect(history.filter((c) => c.version === 2).length).toBeGreaterThan(200);
  });

  it('leaves the last cases open, with the tasks the store would show', () => {
    const open = history.filter((c) => c.state.status === 'waiting');
    expect(open.length).toBeGreaterThan(5);
    for (const c of open) {
      const f = factsOf(c);
      expect(Object.keys(f.open?.tasks ?? {}).sort()).toEqual(c.openTasks.map((t) => t.taskId).sort());
    }
    const r = aggregateHealth(facts, { asOf: openingHistory().to });
    expect(r.volume.wip.count).toBe(open.length);
    expect(r.people.queues.length).toBeGreaterThan(0);
  });

  it('produces the figures the behaviour was drawn from', () => {
    const v1 = aggregateHealth(facts, { filter: { versions: [1] }, definition: openingFlow() });
    const review = v1.nodes.find((n) => n.nodeId === 'first-review');
    // Handling drawn lognormal with a median of 30 working minutes.
    expect(review?.handling.working.p50).toBeGreaterThan(25 * 60_000);
    expect(review?.handling.working.p50).toBeLessThan(35 * 60_000);
    // 15 % of first reviews find the documents incomplete.
    expect(v1.rework.rate).toBeGreaterThan(0.08);
    expect(v1.rework.rate).toBeLessThan(0.2);
    expect(v1.volume.terminated).toBeGreaterThan(0); // blacklisted applicants stopped at the gate
    expect(v1.incidents.withIncident).toBeGreaterThan(0); // OCR failures, retried by operations
    expect(v1.compliance.alerts.response.calendar.n).toBeGreaterThan(0);
    expect(v1.people.operators.map((o) => o.actor)).toEqual(expect.arrayContaining(['op-1', 'risk-1']));
  });

  it('lets a pilot-vs-control comparison find the designed effects and no others', () => {
    const since = Date.parse('2026-02-01T16:00:00.000Z');
    const control = facts.filter((f) => f.version === 1 && Date.parse(f.startedAt) >= since && f.status !== 'waiting');
    const pilot = facts.filter((f) => f.version === 2 && f.status !== 'waiting');
    const r = compareCohorts(control, pilot, ['node:first-review:handling:working', 'rework', 'stp', 'node:risk-review:handling:working', 'incident']);
    const [handling, rework, stp, risk, incident] = r.metrics as [DurationComparison, RateComparison, RateComparison, DurationComparison, RateComparison];
    // Designed: quicker reviews, fewer incomplete files, and the strategic green channel.
    expect(handling).toMatchObject({ significant: true });
    expect(handling.ratio).toBeLessThan(0.6);
    expect(rework.significant).toBe(true);
    expect(rework.difference).toBeLessThan(0);
    // The green channel skips a human task, but not all of them: every case still has two reviews.
    expect(stp.b.rate).toBe(0);
    // Not designed: risk review and OCR behave the same in both versions.
    expect(risk.significant).toBe(false);
    expect(incident.significant).toBe(false);
  });
});

describe('generateHistory: bad specs', () => {
  it('refuses a release that names an unknown version, and an empty period', () => {
    expect(() => [...generateHistory(openingHistory(1, { release: { version: 3 } }))]).toThrow(expect.objectContaining({ code: 'health.history.version.unknown' }));
    expect(() => [...generateHistory(openingHistory(1, { to: '2026-01-01T00:00:00.000Z' }))]).toThrow(expect.objectContaining({ code: 'health.history.period' }));
    expect(() => [...generateHistory(openingHistory(1, { segments: [] }))]).toThrow(expect.objectContaining({ code: 'health.history.segments' }));
  });

  it('says which case and task refused a drawn form', () => {
    const spec = openingHistory(1, { tasks: { 'first-review': { form: { docsComplete: { const: 'maybe' } } } }, to: '2026-01-06T16:00:00.000Z' });
    expect(() => [...generateHistory(spec)]).toThrow(expect.objectContaining({ code: 'health.history.rejected', params: expect.objectContaining({ what: 'completing task first-review' }) }));
  });
});
