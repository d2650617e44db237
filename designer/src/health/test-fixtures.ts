/** Hand-built health answers for the health screens' tests (numbers chosen so every mapping can be checked by eye). */
import type { DurationStats, FlowHealth, HealthComparison, NodeFigure } from './types';

const H = 3_600_000;

/** Duration figures with the given percentiles in hours (calendar) and working hours. */
export function stats(n: number, cal: [number, number, number], work: [number, number, number]): DurationStats {
  const s = (p: [number, number, number]) => (n === 0 ? { n: 0, mean: null, p50: null, p90: null, p95: null, max: null } : { n, mean: p[0] * H, p50: p[0] * H, p90: p[1] * H, p95: p[2] * H, max: p[2] * H });
  return { calendar: s(cal), working: s(work) };
}

const none = stats(0, [0, 0, 0], [0, 0, 0]);
const sla = (decided: number, breached: number) => ({ decided, met: decided - breached, breached, warned: 0, attainment: decided ? (decided - breached) / decided : null });

/** A node's figures: `queue` in working hours (p50), or none. */
export function node(nodeId: string, kind: NodeFigure['kind'], opts: { queueP50?: number; breach?: [number, number]; hits?: [number, number] } = {}): NodeFigure {
  const [decided, breached] = opts.breach ?? [0, 0];
  const [evaluations, hits] = opts.hits ?? [0, 0];
  return {
    nodeId,
    name: { 'zh-CN': `节点 ${nodeId}`, en: `Node ${nodeId}` },
    kind,
    cases: 10,
    visits: 10,
    rework: 0,
    reworkCases: 0,
    queue: opts.queueP50 !== undefined ? stats(10, [opts.queueP50, opts.queueP50 * 2, opts.queueP50 * 3], [opts.queueP50, opts.queueP50 * 2, opts.queueP50 * 3]) : none,
    handling: opts.queueP50 !== undefined ? stats(10, [0.5, 1, 1.5], [0.5, 1, 1.5]) : none,
    time: none,
    completed: 10,
    unclaimed: 0,
    sla: sla(decided, breached),
    breachRate: decided ? breached / decided : null,
    escalations: 0,
    incidents: 0,
    incidentRate: 0,
    calls: 0,
    failures: 0,
    failureRate: null,
    hits,
    hitRate: evaluations ? hits / evaluations : null,
    rules: [],
  };
}

/** A report of 120 started, 100 completed cases of a loan flow. */
export function report(): FlowHealth {
  return {
    flowKey: 'sme-loan',
    period: { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' },
    basis: 'ended',
    asOf: '2026-04-01T00:00:00+08:00',
    measured: 108,
    pending: 0,
    volume: { started: 120, completed: 100, cancelled: 5, terminated: 3, outcomes: { approved: 80, rejected: 20, cancelled: 5, stopped: 3 }, wip: { at: '2026-04-01T00:00:00+08:00', count: 12, age: stats(12, [30, 60, 70], [6, 12, 14]) } },
    cycle: stats(100, [24, 72, 96], [6, 16, 20]),
    cycleByOutcome: { approved: stats(80, [20, 60, 80], [5, 14, 18]) },
    milestones: [{ id: 'first-review', name: { 'zh-CN': '首次审批', en: 'First review' }, target: 'PT4H', reached: 90, notReached: 10, duration: stats(90, [5, 20, 30], [3, 8, 10]), withTarget: 90, met: 45, attainment: 0.5 }],
    sla: { case: sla(100, 25), nodes: sla(200, 30), escalations: 4 },
    stp: { completed: 100, count: 30, rate: 0.3 },
    satisfaction: { csat: { responses: 40, scale: 5, mean: 4.1, satisfied: 34, rate: 0.85 }, nps: { responses: 40, promoters: 20, passives: 12, detractors: 8, score: 30 } },
    rework: { cases: 108, reworked: 16, rate: 16 / 108, visits: 20, perCase: 20 / 108 },
    incidents: { cases: 108, withIncident: 2, rate: 2 / 108, total: 2 },
    nodes: [node('review', 'user-task', { queueP50: 2.5, breach: [100, 15] }), node('gate', 'compliance-gate', { hits: [108, 9] }), node('start', 'start')],
    compliance: {
      rules: [{ nodeId: 'gate', rule: 'blacklist', action: 'stop', evaluated: 108, fired: 3, passed: 105, flagged: 0, requiredStep: 0, stopped: 3, errors: 0, fireRate: 3 / 108, cases: 108, casesFired: 3 }],
      alerts: { raised: 3, byAction: { flag: 0, 'require-step': 0, stop: 3 }, answered: 0, unanswered: 0, stopped: 3, response: none },
    },
    people: { workingDays: 60, operators: [{ actor: 'cr-01', tasks: 120, activeDays: 40, perActiveDay: 3, perWorkingDay: 2 }], queues: [{ queue: 'credit-approval', open: 4, claimed: 2, age: stats(6, [3, 5, 6], [2, 3, 4]), oldest: '2026-03-30T09:00:00+08:00' }] },
  };
}

/** A comparison with one significant improvement, one significant deterioration, one non-significant and one too-few metric. */
export function comparison(): HealthComparison {
  return {
    flowKey: 'sme-loan',
    by: 'version',
    basis: 'ended',
    period: { from: '2026-02-02T00:00:00+08:00' },
    a: { label: '1', versions: [1], cases: 900, pending: 0 },
    b: { label: '2', versions: [2], cases: 400, pending: 3 },
    confidence: 0.95,
    resamples: 2000,
    seed: 1,
    metrics: [
      { metric: 'node:credit-review:queue:working', kind: 'duration', mode: 'working', a: { cases: 900, n: 700, median: 2.5 * H, mean: 3 * H, p90: 6 * H }, b: { cases: 400, n: 300, median: 1 * H, mean: 1.2 * H, p90: 2 * H }, difference: -1.5 * H, ratio: 0.4, ci: [-1.8 * H, -1.2 * H], pValue: 0.0001, method: 'bootstrap-median', significant: true },
      { metric: 'node-sla:credit-review', kind: 'rate', a: { cases: 900, n: 700, count: 595, rate: 0.85 }, b: { cases: 400, n: 300, count: 171, rate: 0.57 }, difference: -0.28, ci: [-0.34, -0.22], method: 'newcombe', significant: true },
      { metric: 'incident', kind: 'rate', a: { cases: 900, n: 900, count: 18, rate: 0.02 }, b: { cases: 400, n: 400, count: 9, rate: 0.0225 }, difference: 0.0025, ci: [-0.013, 0.021], method: 'newcombe', significant: false },
      { metric: 'milestone:first-review:working', kind: 'duration', mode: 'working', a: { cases: 900, n: 5, median: H, mean: H, p90: H }, b: { cases: 400, n: 4, median: H, mean: H, p90: H }, difference: null, ratio: null, ci: null, pValue: null, method: 'bootstrap-median', significant: false, reason: 'too-few' },
    ],
  };
}
