import { describe, expect, it } from 'vitest';
import { cnMainlandCalendar } from '../calendar';
import { createSimulator } from '../simulator';
import { aggregateHealth, countWorkingDays } from './aggregate';
import { caseFacts } from './facts';
import { fact } from './fixtures/facts';
import { HOUR, bj, claim } from './fixtures/journal';
import { openingFlow } from './fixtures/opening-flow';
import type { CaseFacts } from './types';

const flow = openingFlow();
const cal = cnMainlandCalendar;
const february = { from: bj('2026-02-01 00:00'), to: bj('2026-03-01 00:00') };

describe('aggregateHealth: volume and work in progress', () => {
  const facts = [
    fact({ startedAt: bj('2026-02-02 09:00'), endedAt: bj('2026-02-05 10:00'), status: 'completed', outcome: 'opened' }),
    fact({ startedAt: bj('2026-02-10 09:00'), endedAt: bj('2026-03-03 10:00'), status: 'terminated', outcome: 'rejected' }),
    fact({ startedAt: bj('2026-02-27 09:00'), endedAt: undefined, cycle: undefined, status: 'waiting', outcome: undefined }),
    fact({ startedAt: bj('2026-01-20 09:00'), endedAt: bj('2026-02-03 10:00'), status: 'cancelled', outcome: 'cancelled' }),
    fact({ startedAt: bj('2026-02-25 09:00'), endedAt: bj('2026-02-26 10:00'), status: 'completed', outcome: 'opened' }),
  ];
  const r = aggregateHealth(facts, { period: february });

  it('counts cases started and ended in the period, by status and outcome', () => {
    expect(r.volume).toMatchObject({ started: 4, completed: 2, cancelled: 1, terminated: 0, outcomes: { opened: 2, cancelled: 1 } });
    expect(r.measured).toBe(3); // ended in February
  });

  it('gives the work in progress at the end of the period and its age, across the Spring Festival', () => {
    expect(r.volume.wip.at).toBe(february.to);
    expect(r.volume.wip.count).toBe(2);
    // Feb 27 09:00 → Mar 1 00:00 is 39 h: Fri 27 and the make-up Saturday 28 are working days.
    // Feb 10 09:00 → Mar 1 00:00 is 447 h: 10–13, 14 (make-up), 24–27 and 28 (make-up) are working days.
    expect(r.volume.wip.age.calendar).toMatchObject({ n: 2, p50: 39 * HOUR, p90: 447 * HOUR, max: 447 * HOUR });
    expect(r.volume.wip.age.working).toMatchObject({ n: 2, p50: 16 * HOUR, p90: 80 * HOUR });
  });

  it('follows the cohort of cases started in the period with basis "started"', () => {
    const s = aggregateHealth(facts, { period: february, basis: 'started' });
    expect(s.measured).toBe(3); // started in February and ended (at any time)
    expect(s.pending).toBe(1);
  });
});

describe('aggregateHealth: times', () => {
  const hours = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
  const facts = hours.map((h, i) =>
    fact({ cycle: [h * HOUR, (h * HOUR) / 2], outcome: i % 2 === 0 ? 'opened' : 'rejected', endedAt: bj('2026-03-02 10:00') }),
  );
  facts.push(fact({ status: 'terminated', outcome: 'rejected', cycle: [100 * HOUR, 100 * HOUR] }));

  it('gives nearest-rank percentiles and the mean of completed cases, calendar and working', () => {
    const r = aggregateHealth(facts);
    expect(r.cycle.calendar).toEqual({ n: 10, mean: 5.5 * HOUR, p50: 5 * HOUR, p90: 9 * HOUR, p95: 10 * HOUR, max: 10 * HOUR });
    expect(r.cycle.working).toEqual({ n: 10, mean: 2.75 * HOUR, p50: 2.5 * HOUR, p90: 4.5 * HOUR, p95: 5 * HOUR, max: 5 * HOUR });
    expect(r.cycleByOutcome.opened?.calendar.p50).toBe(5 * HOUR); // 7, 10, 5, 2, 4 h
    expect(r.cycleByOutcome.rejected?.calendar).toMatchObject({ n: 5, p50: 6 * HOUR }); // 3, 1, 9, 8, 6 h
  });

  it('measures milestones against their target', () => {
    const ms = (h: number, met: boolean) => ({ 'first-review': { at: bj('2026-03-02 10:00'), span: [h * HOUR, h * HOUR] as [number, number], met } });
    const r = aggregateHealth(
      [fact({ milestones: ms(2, true) }), fact({ milestones: ms(3, true) }), fact({ milestones: ms(20, false) }), fact({ milestones: ms(4, true) }), fact()],
      { definition: flow },
    );
    expect(r.milestones.map((m) => m.id)).toEqual(['first-review', 'approval']);
    expect(r.milestones[0]).toMatchObject({ name: flow.milestones?.[0]?.name, target: 'PT4H', reached: 4, notReached: 1, withTarget: 4, met: 3, attainment: 0.75 });
    expect(r.milestones[0]?.duration.calendar).toMatchObject({ p50: 3 * HOUR, p95: 20 * HOUR });
    expect(r.milestones[1]).toMatchObject({ reached: 0, attainment: null });
  });
});

describe('aggregateHealth: SLA, straight-through, rework, incidents, compliance', () => {
  const facts: CaseFacts[] = [
    fact({ caseSla: 'met', stp: true, humanTasks: 0, nodes: { review: { kind: 'user-task', visits: 1, slaMet: 1 } } }),
    fact({ caseSla: 'met', caseSlaWarned: true, rework: 2, nodes: { review: { kind: 'user-task', visits: 2, rework: 1, slaMet: 1, slaBreached: 1, slaWarned: 1, escalations: 1 } }, escalations: 1 }),
    fact({ caseSla: 'breached', incidents: 1, nodes: { ocr: { kind: 'service-task', visits: 1, calls: 3, failures: 2, incidents: 1 } } }),
    fact({ caseSla: 'void', status: 'cancelled', outcome: 'cancelled', stp: false }),
    fact({
      status: 'terminated',
      outcome: 'rejected',
      caseSla: 'met',
      nodes: { gate: { kind: 'compliance-gate', visits: 1, hits: 1 } },
      rules: {
        'gate/blacklist': { nodeId: 'gate', rule: 'blacklist', action: 'stop', evaluated: 1, fired: 1 },
        'gate/pep': { nodeId: 'gate', rule: 'pep', action: 'flag', evaluated: 1, fired: 0, errors: 1 },
      },
      alerts: [{ nodeId: 'gate', at: bj('2026-03-02 09:00'), action: 'stop', rules: ['blacklist'] }],
    }),
    fact({
      nodes: { gate: { kind: 'compliance-gate', visits: 1, hits: 1 } },
      rules: { 'gate/blacklist': { nodeId: 'gate', rule: 'blacklist', action: 'stop', evaluated: 1, fired: 0 }, 'gate/pep': { nodeId: 'gate', rule: 'pep', action: 'flag', evaluated: 1, fired: 1 } },
      alerts: [
        { nodeId: 'gate', at: bj('2026-03-02 09:00'), action: 'flag', rules: ['pep'], respondedAt: bj('2026-03-02 11:00'), response: [2 * HOUR, 2 * HOUR], by: 'op-a' },
        { nodeId: 'gate', at: bj('2026-03-02 12:00'), action: 'flag', rules: ['pep'] },
      ],
    }),
  ];
  const r = aggregateHealth(facts);

  it('gives case and node SLA attainment over the decided limits', () => {
    expect(r.sla.case).toEqual({ decided: 4, met: 3, breached: 1, warned: 1, attainment: 0.75 });
    expect(r.sla.nodes).toEqual({ decided: 3, met: 2, breached: 1, warned: 1, attainment: 2 / 3 });
    expect(r.sla.escalations).toBe(1);
  });

  it('gives the straight-through, rework and incident rates', () => {
    expect(r.stp).toEqual({ completed: 4, count: 1, rate: 0.25 });
    expect(r.rework).toEqual({ cases: 6, reworked: 1, rate: 1 / 6, visits: 2, perCase: 2 / 6 });
    expect(r.incidents).toEqual({ cases: 6, withIncident: 1, rate: 1 / 6, total: 1 });
  });

  it('gives per-node figures for the canvas heatmap', () => {
    const byId = Object.fromEntries(r.nodes.map((n) => [n.nodeId, n]));
    expect(byId.review).toMatchObject({ cases: 2, visits: 3, rework: 1, reworkCases: 1, breachRate: 1 / 3, escalations: 1 });
    expect(byId.ocr).toMatchObject({ incidents: 1, incidentRate: 1, calls: 3, failures: 2, failureRate: 2 / 3 });
    expect(byId.gate).toMatchObject({ visits: 2, hits: 2, hitRate: 1 });
    expect(byId.review?.hitRate).toBeNull();
  });

  it('counts every compliance rule by what it did, and alert responses', () => {
    expect(r.compliance.rules).toEqual([
      { nodeId: 'gate', rule: 'blacklist', action: 'stop', evaluated: 2, fired: 1, passed: 1, flagged: 0, requiredStep: 0, stopped: 1, errors: 0, fireRate: 0.5, cases: 2, casesFired: 1 },
      { nodeId: 'gate', rule: 'pep', action: 'flag', evaluated: 2, fired: 1, passed: 1, flagged: 1, requiredStep: 0, stopped: 0, errors: 1, fireRate: 0.5, cases: 2, casesFired: 1 },
    ]);
    expect(r.compliance.alerts).toMatchObject({ raised: 3, byAction: { flag: 2, 'require-step': 0, stop: 1 }, answered: 1, unanswered: 1, stopped: 1 });
    expect(r.compliance.alerts.response.calendar.p50).toBe(2 * HOUR);
  });
});

describe('aggregateHealth: people and queues', () => {
  const work = (actor: string, local: string) => ({ actor, nodeId: 'review', queue: 'ops', at: bj(local) });

  it('counts working days across the Spring Festival: make-up Saturdays in, holidays out', () => {
    // Feb 9–13 (5), Sat 14 (make-up), 24–27 (4), Sat 28 (make-up); 15–23 are holidays.
    expect(countWorkingDays(cal, '2026-02-09', '2026-02-28')).toBe(11);
  });

  it('gives tasks per operator per working day and per active day', () => {
    const facts = [
      fact({ work: [work('op-a', '2026-02-13 10:00'), work('op-a', '2026-02-13 11:00'), work('op-a', '2026-02-13 16:59'), work('op-b', '2026-02-16 10:00')] }),
      fact({ work: [work('op-a', '2026-02-14 10:00'), work('op-a', '2026-02-14 11:00'), work('op-a', '2026-02-24 10:00'), work('op-a', '2026-03-02 10:00')] }),
    ];
    const r = aggregateHealth(facts, { period: { from: bj('2026-02-09 00:00'), to: bj('2026-03-01 00:00') } });
    expect(r.people.workingDays).toBe(11);
    expect(r.people.operators).toEqual([
      { actor: 'op-a', tasks: 6, activeDays: 3, perActiveDay: 2, perWorkingDay: 6 / 11 },
      { actor: 'op-b', tasks: 1, activeDays: 1, perActiveDay: 1, perWorkingDay: 1 / 11 },
    ]);
  });

  it('shows the open work of each queue and its age at asOf', () => {
    const open = (tasks: Record<string, { node: string; queue: string; at: string; claim?: string }>) =>
      fact({ status: 'waiting', endedAt: undefined, cycle: undefined, open: { tokens: {}, tasks, done: {}, retry: [] } });
    const facts = [
      open({ t1: { node: 'review', queue: 'ops', at: bj('2026-03-02 09:00') }, t2: { node: 'risk', queue: 'risk', at: bj('2026-03-02 13:00'), claim: bj('2026-03-02 14:00') } }),
      open({ t3: { node: 'review', queue: 'ops', at: bj('2026-03-03 09:00') } }),
    ];
    const r = aggregateHealth(facts, { asOf: bj('2026-03-03 11:00') });
    expect(r.people.queues).toEqual([
      expect.objectContaining({ queue: 'ops', open: 2, claimed: 0, oldest: bj('2026-03-02 09:00') }),
      expect.objectContaining({ queue: 'risk', open: 0, claimed: 1 }),
    ]);
    expect(r.people.queues[0]?.age.working).toMatchObject({ n: 2, p50: 2 * HOUR, max: 10 * HOUR });
  });
});

describe('aggregateHealth: grouping and filters', () => {
  const facts = [
    fact({ dims: { branch: 'pudong' }, cycle: [2 * HOUR, 2 * HOUR], version: 2 }),
    fact({ dims: { branch: 'pudong' }, cycle: [4 * HOUR, 4 * HOUR], version: 2 }),
    fact({ dims: { branch: 'jiading' }, cycle: [8 * HOUR, 8 * HOUR] }),
    fact({ dims: {}, cycle: [1 * HOUR, 1 * HOUR] }),
  ];

  it('groups by a dimension, with cases lacking it in a null group', () => {
    const r = aggregateHealth(facts, { groupBy: 'branch', definition: flow });
    expect(r.groups?.by).toBe('branch');
    expect(r.groups?.groups.map((g) => [g.value, g.report.measured, g.report.cycle.calendar.p50])).toEqual([
      ['jiading', 1, 8 * HOUR],
      ['pudong', 2, 2 * HOUR],
      [null, 1, 1 * HOUR],
    ]);
    expect(r.measured).toBe(4);
  });

  it('groups by version and filters by version and dimension values', () => {
    expect(aggregateHealth(facts, { groupBy: 'version' }).groups?.groups.map((g) => [g.value, g.report.measured])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(aggregateHealth(facts, { filter: { versions: [2] } }).measured).toBe(2);
    expect(aggregateHealth(facts, { filter: { dims: { branch: ['jiading', null] } } }).measured).toBe(2);
  });

  it('refuses a groupBy that is not a dimension, and sensitive fields in particular', () => {
    expect(() => aggregateHealth(facts, { groupBy: 'legalPersonId', definition: flow })).toThrow(
      expect.objectContaining({ code: 'health.group-by.unknown', params: expect.objectContaining({ groupBy: 'legalPersonId', dimensions: ['branch', 'channel', 'segment'] }) }),
    );
    expect(() => aggregateHealth(facts, { groupBy: 'nope' })).toThrow(expect.objectContaining({ code: 'health.group-by.unknown' }));
  });

  it('refuses a bad period', () => {
    expect(() => aggregateHealth(facts, { period: { from: 'soon' } })).toThrow(expect.objectContaining({ code: 'health.time.invalid', params: { name: 'period.from', value: 'soon' } }));
    expect(() => aggregateHealth(facts, { period: { from: february.to, to: february.from } })).toThrow(expect.objectContaining({ code: 'health.period.invalid' }));
  });
});

describe('aggregateHealth over facts from real journals', () => {
  it('names nodes in flow order and colours the review by its breaches', () => {
    const s = createSimulator(flow, { services: { ocr: { licenceNo: 'L1' } } });
    s.start({ companyId: 'C1', branch: 'b1' }, bj('2026-02-13 16:00'));
    claim(s, 'first-review', 'op-a', bj('2026-02-14 10:00'));
    s.advanceTo(bj('2026-02-24 11:00'));
    s.completeTask('first-review', { docsComplete: true }, { id: 'op-a' });
    s.completeTask('ops-review', {}, { id: 'op-a' });
    s.completeTask('risk-review', {}, { id: 'op-b' });
    const r = aggregateHealth([caseFacts(flow, s.audit, cal)], { definition: flow });
    expect(r.nodes.map((n) => n.nodeId)).toEqual(flow.nodes.map((n) => n.id));
    const review = r.nodes.find((n) => n.nodeId === 'first-review');
    expect(review).toMatchObject({ name: { en: 'First review', 'zh-CN': '初审' }, breachRate: 1, completed: 1 });
    expect(review?.queue.working.p50).toBe(2 * HOUR);
    expect(r.nodes.find((n) => n.nodeId === 'second-id')).toMatchObject({ cases: 0, visits: 0 });
    // Fri 16–17, Sat 14 (make-up) 9–17, Tue 24 9–11.
    expect(r.cycle.working.p50).toBe(11 * HOUR);
  });
});
