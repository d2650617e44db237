/**
 * The health API on the hand-built February (tests/health/history.ts): every figure is the one
 * worked out by hand, working time included across the Spring Festival holiday and the make-up
 * Saturday 14 February. Then grouping, filters, the per-node figures, comparisons, CSV, roles,
 * personal data and bad parameters.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createManualClock, createValidators, schemaErrors } from '@flowpath/runtime-api';
import { newcombe } from '@flowpath/engine';
import { expectProblem, errorPaths, startServer, type ApiResponse, type Json, type KeyName, type TestServer } from '../helpers/server';
import { healthFlow } from './flows';
import { HOUR, MINUTE, buildFebruary, type February } from './history';

let s: TestServer;
let feb: February;
let doc: Json;

beforeAll(async () => {
  s = await startServer({ flows: [healthFlow()], clock: createManualClock('2026-02-01T00:00:00Z') });
  feb = await buildFebruary(s);
  doc = (await s.request('GET', '/api/openapi.json')).body;
});
afterAll(async () => {
  await s.close();
});

const FEBRUARY = 'from=2026-02-01&to=2026-02-28';

/** GET as a role; the response must match the schema the OpenAPI document gives for it. */
async function get(path: string, as: KeyName = 'auditor', headers: Record<string, string> = {}): Promise<ApiResponse> {
  const res = await s.request('GET', path, { as, headers });
  const template = Object.keys(doc.paths).find((p) => new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!));
  expect(template, path).toBeDefined();
  const op = doc.paths[template!].get;
  if (res.status === 200 && /json/.test(res.headers.get('content-type') ?? '')) {
    const validate = createValidators(doc.components.schemas).compile(op.responses['200'].content['application/json'].schema);
    expect(validate(res.body) ? [] : schemaErrors(validate.errors).map((e) => `${e.path} ${e.message}`), path).toEqual([]);
  }
  return res;
}

const stats = (n: number, values: { mean: number; p50: number; p90: number; max: number }) => ({ n, mean: values.mean, p50: values.p50, p90: values.p90, p95: values.p90, max: values.max });

describe('GET /api/flows/{key}/health: February, worked out by hand', () => {
  let r: Json;
  beforeAll(async () => {
    const res = await get(`/api/flows/health-loan/health?${FEBRUARY}`);
    expect(res.status).toBe(200);
    r = res.body;
  });

  test('the period is February on the flow\'s calendar (dates are whole Beijing days)', () => {
    expect(r).toMatchObject({ flowKey: 'health-loan', basis: 'ended', period: { from: '2026-01-31T16:00:00.000Z', to: '2026-02-28T16:00:00.000Z' }, asOf: '2026-02-28T16:00:00.000Z' });
  });

  test('volume: five started, three completed, one cancelled; one case still open at the end of the month', () => {
    expect(r.volume).toMatchObject({ started: 5, completed: 3, cancelled: 1, terminated: 0, outcomes: { approved: 2, rejected: 1, cancelled: 1 } });
    // c5 opened Mon 23 Feb 10:00 (holiday): 134 h to 1 March; working: Tue–Fri 24–27 and the make-up Saturday 28 = 40 h.
    expect(r.volume.wip).toMatchObject({ count: 1, age: { calendar: stats(1, { mean: 134 * HOUR, p50: 134 * HOUR, p90: 134 * HOUR, max: 134 * HOUR }), working: { p50: 40 * HOUR } } });
  });

  test('cycle time in calendar and working time: the Spring Festival counts for nothing, the make-up Saturday counts', () => {
    expect(r.measured).toBe(4);
    // c1 1.5 h; c2 Fri 13 Feb 16:00 → Tue 24 Feb 16:00 = 264 h, working 1 + 8 (Sat 14) + 7 = 16 h; c3 5 h on the make-up Saturday.
    expect(r.cycle.calendar).toEqual(stats(3, { mean: (1.5 + 264 + 5) * HOUR / 3, p50: 5 * HOUR, p90: 264 * HOUR, max: 264 * HOUR }));
    expect(r.cycle.working).toEqual(stats(3, { mean: (1.5 + 16 + 5) * HOUR / 3, p50: 5 * HOUR, p90: 16 * HOUR, max: 16 * HOUR }));
    expect(r.cycleByOutcome.approved.working).toMatchObject({ n: 2, p50: 1.5 * HOUR, max: 16 * HOUR });
    expect(r.cycleByOutcome.rejected.calendar).toMatchObject({ n: 1, p50: 5 * HOUR });
  });

  test('milestone "first review" (target 4 working hours): met by c1 only', () => {
    expect(r.milestones).toEqual([
      expect.objectContaining({ id: 'first-review', target: 'PT4H', reached: 3, notReached: 1, withTarget: 3, met: 1, attainment: 1 / 3, name: { en: 'First review', 'zh-CN': '首次审查' } }),
    ]);
    expect(r.milestones[0].duration.working).toMatchObject({ p50: 5 * HOUR, max: 16 * HOUR });
  });

  test('SLA: the case limit (1 working day) missed by c2 only; the review limit (4 working hours) missed by c2 and c3', () => {
    expect(r.sla).toEqual({
      case: { decided: 3, met: 2, breached: 1, warned: 0, attainment: 2 / 3 },
      nodes: { decided: 3, met: 1, breached: 2, warned: 0, attainment: 1 / 3 },
      escalations: 0,
    });
  });

  test('rates: no straight-through case, no rework, no incident', () => {
    expect(r.stp).toEqual({ completed: 3, count: 0, rate: 0 });
    expect(r.rework).toEqual({ cases: 4, reworked: 0, rate: 0, visits: 0, perCase: 0 });
    expect(r.incidents).toEqual({ cases: 4, withIncident: 0, rate: 0, total: 0 });
  });

  test('the review: waiting for a claim, handling time and the whole stay', () => {
    const review = r.nodes.find((n: Json) => n.nodeId === 'review');
    expect(review).toMatchObject({ kind: 'user-task', cases: 4, visits: 4, completed: 3, unclaimed: 0, breachRate: 2 / 3, name: { en: 'Credit review' } });
    expect(review.queue.working).toEqual(stats(3, { mean: 40 * MINUTE, p50: 30 * MINUTE, p90: 60 * MINUTE, max: 60 * MINUTE }));
    // c2 held from Fri 16:30 to Tue 24 16:00: 263.5 h, working 0.5 + 8 + 7 = 15.5 h.
    expect(review.handling.calendar).toMatchObject({ n: 3, p50: 4 * HOUR, max: 263.5 * HOUR });
    expect(review.handling.working).toMatchObject({ n: 3, p50: 4 * HOUR, max: 15.5 * HOUR });
    expect(review.time.working).toMatchObject({ n: 3, max: 16 * HOUR });
  });

  test('compliance: the large-amount rule flagged c2; its alert was answered by the review 16 working hours later', () => {
    expect(r.compliance.rules).toEqual([
      { nodeId: 'gate', rule: 'large-amount', action: 'flag', evaluated: 4, fired: 1, passed: 3, flagged: 1, requiredStep: 0, stopped: 0, errors: 0, fireRate: 0.25, cases: 4, casesFired: 1 },
    ]);
    expect(r.compliance.alerts).toMatchObject({ raised: 1, byAction: { flag: 1, 'require-step': 0, stop: 0 }, answered: 1, unanswered: 0, stopped: 0 });
    expect(r.compliance.alerts.response.calendar.p50).toBe(264 * HOUR);
    expect(r.compliance.alerts.response.working.p50).toBe(16 * HOUR);
    expect(r.nodes.find((n: Json) => n.nodeId === 'gate')).toMatchObject({ kind: 'compliance-gate', hits: 1, hitRate: 0.25 });
  });

  test('people: 16 working days in February 2026 (two make-up Saturdays in, nine holiday weekdays out); tasks per operator', () => {
    expect(r.people.workingDays).toBe(16);
    expect(r.people.operators).toEqual([
      { actor: 'operator', tasks: 2, activeDays: 2, perActiveDay: 1, perWorkingDay: 2 / 16 },
      { actor: 'operator2', tasks: 1, activeDays: 1, perActiveDay: 1, perWorkingDay: 1 / 16 },
    ]);
    expect(r.people.queues).toEqual([
      { queue: 'credit-approval', open: 1, claimed: 0, age: expect.objectContaining({ working: expect.objectContaining({ p50: 40 * HOUR }) }), oldest: '2026-02-23T02:00:00.000Z' },
    ]);
  });
});

describe('grouping, filters, basis, versions', () => {
  test('groupBy=branchId repeats the figures per branch', async () => {
    const r = (await get(`/api/flows/health-loan/health?${FEBRUARY}&groupBy=branchId`)).body;
    expect(r.groups.by).toBe('branchId');
    expect(r.groups.groups.map((g: Json) => [g.value, g.report.volume.started, g.report.volume.completed, g.report.volume.cancelled, g.report.volume.wip.count])).toEqual([
      ['B01', 3, 2, 0, 1],
      ['B02', 2, 1, 1, 0],
    ]);
    expect(r.groups.groups[1].report.cycle.working.p50).toBe(16 * HOUR);
  });

  test('filter by a text and by an integer dimension', async () => {
    const app = (await get(`/api/flows/health-loan/health?${FEBRUARY}&filter=channel:app`)).body;
    expect(app.volume).toMatchObject({ started: 3, completed: 2, cancelled: 1 });
    const tier2 = (await get(`/api/flows/health-loan/health?${FEBRUARY}&filter=tier:2;channel:branch,app`)).body;
    expect(tier2.volume).toMatchObject({ started: 2, completed: 1, cancelled: 1 });
    expect(tier2.cycle.calendar.p50).toBe(264 * HOUR);
  });

  test('basis=started: the cohort started in the period, with the open ones pending', async () => {
    const early = (await get('/api/flows/health-loan/health?from=2026-02-01&to=2026-02-19&basis=started')).body;
    expect(early).toMatchObject({ basis: 'started', measured: 4, pending: 0 });
    const late = (await get('/api/flows/health-loan/health?from=2026-02-20&to=2026-02-28&basis=started')).body;
    expect(late).toMatchObject({ measured: 0, pending: 1, volume: { started: 1 } });
  });

  test('a period that ends in the future ends now; without a period the whole history is measured at now', async () => {
    const future = (await get('/api/flows/health-loan/health?from=2026-02-01&to=2027-01-01')).body;
    expect(future.period.to).toBe(s.clock.now().toISOString());
    const all = (await get('/api/flows/health-loan/health')).body;
    expect(all).toMatchObject({ period: {}, asOf: s.clock.now().toISOString(), volume: { started: 5, wip: { count: 1 } }, measured: 4 });
  });

  test('groupBy=version and version filter', async () => {
    const r = (await get(`/api/flows/health-loan/health?${FEBRUARY}&groupBy=version&version=1`)).body;
    expect(r.groups.groups.map((g: Json) => g.value)).toEqual([1]);
  });
});

describe('GET /api/flows/{key}/health/nodes', () => {
  test('one entry per node of the version, in its order, with the rules of the gate', async () => {
    const r = (await get(`/api/flows/health-loan/health/nodes?${FEBRUARY}`)).body;
    expect(r).toMatchObject({ flowKey: 'health-loan', version: 1, measured: 4 });
    expect(r.nodes.map((n: Json) => n.nodeId)).toEqual(['start', 'gate', 'review', 'decide', 'approved', 'rejected']);
    const review = r.nodes[2];
    expect(review).toMatchObject({ breachRate: 2 / 3, sla: { met: 1, breached: 2 }, rules: [] });
    expect(review.queue.working.p50).toBe(30 * MINUTE);
    expect(r.nodes[1]).toMatchObject({ hitRate: 0.25, rules: [expect.objectContaining({ rule: 'large-amount', fired: 1, evaluated: 4 })] });
    expect(r.nodes[4]).toMatchObject({ nodeId: 'approved', cases: 2 });
  });
});

describe('GET /api/flows/{key}/health/compare', () => {
  test('pilot branch against the rest: sizes, the difference of medians, and too few cases for an interval', async () => {
    const r = (await get(`/api/flows/health-loan/health/compare?${FEBRUARY}&by=branchId&b=B01&metrics=cycle,cycle:working,sla,status:cancelled`)).body;
    expect(r).toMatchObject({ by: 'branchId', basis: 'ended', a: { label: 'rest', cases: 2, pending: 0 }, b: { label: 'B01', values: ['B01'], cases: 2, pending: 0 } });
    const [cycle, working, sla, cancelled] = r.metrics;
    expect(cycle).toMatchObject({ kind: 'duration', mode: 'calendar', a: { n: 1, median: 264 * HOUR }, b: { n: 2, median: 1.5 * HOUR }, difference: -262.5 * HOUR, ci: null, significant: false, reason: 'too-few' });
    expect(working).toMatchObject({ mode: 'working', difference: 1.5 * HOUR - 16 * HOUR });
    const expected = newcombe(0, 1, 2, 2, 1.959963984540054);
    expect(sla).toMatchObject({ kind: 'rate', a: { n: 1, count: 0, rate: 0 }, b: { n: 2, count: 2, rate: 1 }, difference: 1 });
    expect(sla.ci[0]).toBeCloseTo(expected.ci[0], 6);
    expect(sla.ci[1]).toBeCloseTo(expected.ci[1], 6);
    expect(cancelled).toMatchObject({ a: { n: 2, count: 1 }, b: { n: 2, count: 0 }, difference: -0.5 });
  });

  test('period against period', async () => {
    const r = (await get('/api/flows/health-loan/health/compare?by=period&a=2026-02-01/2026-02-14&b=2026-02-15/2026-02-28&metrics=status:cancelled')).body;
    expect(r.a).toMatchObject({ cases: 2, period: { from: '2026-01-31T16:00:00.000Z', to: '2026-02-14T16:00:00.000Z' } });
    expect(r.b).toMatchObject({ cases: 2 });
    expect(r.metrics[0]).toMatchObject({ a: { count: 0, n: 2 }, b: { count: 1, n: 2 }, difference: 0.5 });
  });

  test('without metrics: cycle times, the milestone, rates and the case SLA', async () => {
    const r = (await get(`/api/flows/health-loan/health/compare?${FEBRUARY}&by=version&b=1`)).body;
    expect(r.metrics.map((m: Json) => m.metric)).toEqual(['cycle', 'cycle:working', 'milestone:first-review:working', 'milestone-met:first-review', 'stp', 'rework', 'incident', 'sla']);
    expect(r.a).toMatchObject({ label: 'rest', versions: [], cases: 0 });
    expect(r.b).toMatchObject({ versions: [1], cases: 4 });
  });
});

describe('CSV', () => {
  // fetch's text() drops the byte-order mark; the first test reads the raw bytes.
  const parse = (text: string): string[][] =>
    text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));

  test('starts with a UTF-8 byte-order mark, so spreadsheet programs read Chinese names', async () => {
    const res = await fetch(`${s.url}/api/flows/health-loan/health/nodes?format=csv`, { headers: { authorization: 'Bearer test-key-owner-0123456789abcdef', 'accept-language': 'zh-CN' } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toContain('信贷审查');
  });

  test('the report, one row per figure, with format=csv or Accept: text/csv', async () => {
    for (const [path, headers] of [
      [`/api/flows/health-loan/health?${FEBRUARY}&format=csv`, {}],
      [`/api/flows/health-loan/health?${FEBRUARY}`, { accept: 'text/csv' }],
    ] as const) {
      const res = await get(path, 'auditor', headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="health-loan-health.csv"');
      const rows = parse(res.text);
      expect(rows[0]).toEqual(['group_by', 'group', 'figure', 'value']);
      const value = (figure: string) => rows.find((r) => r[0] === '' && r[2] === figure)?.[3];
      expect(value('volume.started')).toBe('5');
      expect(value('cycle.working.p50')).toBe(String(5 * HOUR));
      expect(value('nodes.review.breachRate')).toBe(String(2 / 3));
      expect(value('compliance.rules.gate/large-amount.fired')).toBe('1');
      expect(value('people.operators.operator.tasks')).toBe('2');
    }
  });

  test('grouped report rows name their group; names follow Accept-Language', async () => {
    const res = await get(`/api/flows/health-loan/health?${FEBRUARY}&groupBy=branchId&format=csv`, 'owner', { 'accept-language': 'zh-CN' });
    const rows = parse(res.text);
    expect(rows.find((r) => r[0] === 'branchId' && r[1] === 'B02' && r[2] === 'volume.cancelled')?.[3]).toBe('1');
    expect(rows.find((r) => r[0] === '' && r[2] === 'nodes.review.name')?.[3]).toBe('信贷审查');
  });

  test('per-node figures: one row per node', async () => {
    const res = await get(`/api/flows/health-loan/health/nodes?${FEBRUARY}`, 'owner', { accept: 'text/csv' });
    const rows = parse(res.text);
    const header = rows[0]!;
    const review = rows.find((r) => r[0] === 'review')!;
    const col = (name: string) => review[header.indexOf(name)];
    expect(col('name')).toBe('Credit review');
    expect(col('queue_working_p50_ms')).toBe(String(30 * MINUTE));
    expect(col('handling_calendar_max_ms')).toBe(String(263.5 * HOUR));
    expect(col('breach_rate')).toBe(String(2 / 3));
    expect(rows.find((r) => r[0] === 'gate')![header.indexOf('rules_fired')]).toBe('large-amount=1/4');
    expect(rows).toHaveLength(7);
  });

  test('a comparison: one row per metric', async () => {
    const res = await get(`/api/flows/health-loan/health/compare?${FEBRUARY}&by=branchId&b=B01&metrics=cycle,sla&format=csv`);
    const rows = parse(res.text);
    const header = rows[0]!;
    expect(rows.map((r) => r[0])).toEqual(['metric', 'cycle', 'sla']);
    const sla = rows[2]!;
    expect([sla[header.indexOf('a')], sla[header.indexOf('a_rate')], sla[header.indexOf('b')], sla[header.indexOf('b_rate')], sla[header.indexOf('difference')]]).toEqual(['rest', '0', 'B01', '1', '1']);
  });
});

describe('roles and personal data', () => {
  test('owner, auditor, analyst and admin read; operators and apps do not; a key is needed', async () => {
    for (const who of ['owner', 'auditor', 'analyst', 'admin'] as const) {
      for (const path of ['/api/flows/health-loan/health', '/api/flows/health-loan/health/nodes', '/api/flows/health-loan/health/compare?by=version&b=1']) {
        expect((await get(path, who)).status, `${who} ${path}`).toBe(200);
      }
    }
    for (const who of ['operator', 'app'] as const) {
      expectProblem(await s.request('GET', '/api/flows/health-loan/health', { as: who }), 403, 'auth.role.missing');
      expectProblem(await s.request('GET', '/api/flows/health-loan/health/compare?by=version&b=1', { as: who }), 403, 'auth.role.missing');
    }
    expectProblem(await s.request('GET', '/api/flows/health-loan/health/nodes'), 401, 'auth.required');
  });

  test('analysts see the figures but not who did the work', async () => {
    const r = (await get(`/api/flows/health-loan/health?${FEBRUARY}&groupBy=branchId`, 'analyst')).body;
    expect(r.people.operators).toEqual([]);
    expect(r.groups.groups.every((g: Json) => g.report.people.operators.length === 0)).toBe(true);
    expect(r.volume.started).toBe(5);
    const csv = (await get(`/api/flows/health-loan/health?${FEBRUARY}&format=csv`, 'analyst')).text;
    expect(csv).toContain(',,people.operators,\r\n');
    expect(csv).not.toMatch(/people\.operators\./);
  });

  test('no customer data in any answer; a sensitive field is never a dimension', async () => {
    for (const path of [
      '/api/flows/health-loan/health?groupBy=branchId',
      '/api/flows/health-loan/health?groupBy=branchId&format=csv',
      '/api/flows/health-loan/health/nodes?format=csv',
      '/api/flows/health-loan/health/nodes',
      '/api/flows/health-loan/health/compare?by=branchId&b=B01',
    ]) {
      const text = (await get(path, 'auditor')).text;
      for (const secret of feb.secrets) expect(text, path).not.toContain(secret);
    }
    const bad = await get('/api/flows/health-loan/health?groupBy=idNumber');
    expectProblem(bad, 400, 'health.group-by.unknown');
    expect(bad.body.errors[0].params.dimensions).toEqual(['branchId', 'channel', 'tier']);
    expectProblem(await get('/api/flows/health-loan/health?filter=idNumber:310101199001010001'), 400, 'health.dimension.unknown');
  });
});

describe('bad parameters: 400 problem+json naming the parameter', () => {
  const cases: [string, string, string][] = [
    ['/api/flows/health-loan/health?from=yesterday', 'health.time.invalid', '/from'],
    ['/api/flows/health-loan/health?from=2026-02-30', 'health.time.invalid', '/from'],
    ['/api/flows/health-loan/health?to=2026-03-01T00:00:00', 'health.time.invalid', '/to'],
    ['/api/flows/health-loan/health?from=2026-03-01&to=2026-02-01', 'health.period.invalid', '/to'],
    ['/api/flows/health-loan/health?basis=closed', 'request.query.invalid', '/basis'],
    ['/api/flows/health-loan/health?format=xml', 'request.query.invalid', '/format'],
    ['/api/flows/health-loan/health?branch=B01', 'request.query.invalid', '/branch'],
    ['/api/flows/health-loan/health?version=9', 'health.version.unknown', '/version'],
    ['/api/flows/health-loan/health?version=one', 'health.version.invalid', '/version'],
    ['/api/flows/health-loan/health?groupBy=amount', 'health.group-by.unknown', '/groupBy'],
    ['/api/flows/health-loan/health?filter=branchId', 'health.filter.syntax', '/filter'],
    ['/api/flows/health-loan/health?filter=region:north', 'health.dimension.unknown', '/filter'],
    ['/api/flows/health-loan/health?filter=tier:high', 'health.filter.value', '/filter'],
    ['/api/flows/health-loan/health?filter=tier:1;tier:2', 'health.filter.repeated', '/filter'],
    ['/api/flows/health-loan/health/nodes?version=0', 'health.version.invalid', '/version'],
    ['/api/flows/health-loan/health/compare?b=1', 'request.query.invalid', '/by'],
    ['/api/flows/health-loan/health/compare?by=region&b=x', 'health.dimension.unknown', '/by'],
    ['/api/flows/health-loan/health/compare?by=version&b=3', 'health.version.unknown', '/b'],
    ['/api/flows/health-loan/health/compare?by=version&b=1&metrics=speed', 'health.metric.unknown', '/metrics'],
    ['/api/flows/health-loan/health/compare?by=version&b=1&metrics=node:ghost:queue', 'health.metric.node-unknown', '/metrics'],
    ['/api/flows/health-loan/health/compare?by=version&b=1&metrics=milestone:ghost', 'health.metric.milestone-unknown', '/metrics'],
    ['/api/flows/health-loan/health/compare?by=version&b=1&metrics=stp:working', 'health.metric.unknown', '/metrics'],
    ['/api/flows/health-loan/health/compare?by=version&b=1&metrics=,', 'health.metric.missing', '/metrics'],
    ['/api/flows/health-loan/health/compare?by=version&b=1&resamples=5', 'request.query.invalid', '/resamples'],
    ['/api/flows/health-loan/health/compare?by=version&b=1&confidence=1', 'request.query.invalid', '/confidence'],
    ['/api/flows/health-loan/health/compare?by=period&b=2026-02-01/2026-02-14', 'health.compare.cohort-missing', '/a'],
    ['/api/flows/health-loan/health/compare?by=period&a=2026-02-01&b=2026-02-15/2026-02-28', 'health.period.invalid', '/a'],
    ['/api/flows/health-loan/health/compare?by=period&a=2026-02-14/2026-02-01&b=2026-02-15/2026-02-28', 'health.period.invalid', '/a'],
    ['/api/flows/health-loan/health/compare?by=period&a=2026-02-01/2026-02-14&b=2026-02-15/2026-02-28&from=2026-01-01', 'health.compare.period-conflict', '/from'],
  ];
  test.each(cases)('%s → %s at %s', async (path, code, at) => {
    const res = await get(path);
    expectProblem(res, 400, code);
    expect(errorPaths(res)).toContain(at);
    expect(res.body.errors.every((e: Json) => e.in === 'query')).toBe(true);
  });

  test('an unknown flow is 404; a flow with no published version is 409', async () => {
    expectProblem(await get('/api/flows/no-such-flow/health'), 404, 'flow.not-found');
    const created = await s.request('POST', '/api/flows', { as: 'analyst', body: { definition: { ...healthFlow(), key: 'health-draft' } } });
    expect(created.status).toBe(201);
    expectProblem(await get('/api/flows/health-draft/health/nodes'), 409, 'flow.unpublished');
  });
});

describe('the OpenAPI document', () => {
  test('documents the three routes with their roles and a CSV alternative', () => {
    for (const path of ['/api/flows/{key}/health', '/api/flows/{key}/health/nodes', '/api/flows/{key}/health/compare']) {
      const op = doc.paths[path].get;
      expect(op['x-roles']).toEqual(['owner', 'auditor', 'analyst']);
      expect(Object.keys(op.responses['200'].content)).toEqual(['application/json', 'text/csv']);
      expect(op.responses['400']).toBeDefined();
    }
  });
});
