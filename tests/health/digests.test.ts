/**
 * Daily digests answer exactly as the cases' facts do: on three months of simulated SME loans
 * (with a pilot version) every report the digests can answer (periods of whole days, a version or
 * a dimension filter, grouped by version) equals the report computed case by case, also after
 * more cases end while the server runs. The projector counts each ended case once.
 */
import { join } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aggregateHealth, cnMainlandCalendar, type HistorySpec } from '@flowpath/engine';
import { DEMO_SPECS, createManualClock, drainDigests, flowContext, healthReport, loadHistory, readTemplates, type HealthScope } from '@flowpath/runtime-api';
import { startServer, type TestServer } from '../helpers/server';
import { bj } from './history';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const template = readTemplates(join(repo, 'process-templates')).find((t) => t.key === 'sme-loan')!;
const demo = DEMO_SPECS['sme-loan']!;
let s: TestServer;

beforeAll(async () => {
  s = await startServer({ flows: [template], clock: createManualClock(bj('2026-04-01T08:00:00')) });
  const spec: HistorySpec = {
    ...demo.behaviour,
    seed: 5,
    from: bj('2026-01-05T00:00:00'),
    to: bj('2026-04-01T00:00:00'),
    calendar: cnMainlandCalendar,
    versions: [
      { version: 1, definition: template },
      { version: 2, definition: demo.pilot(template) },
    ],
    release: { version: 1, pilot: { version: 2, field: 'branchId', values: ['B01', 'B02'], from: bj('2026-02-02T00:00:00') } },
    arrivals: { perWorkingDay: 12, perOtherDay: 1 },
    caseIdPrefix: 'dg',
  };
  await loadHistory(s.rt, { spec });
}, 120_000);
afterAll(async () => {
  await s.close();
});

const scopes: [string, HealthScope, string?][] = [
  ['everything', { period: {}, basis: 'ended' }],
  ['a quarter of dates', { period: { from: bj('2026-01-01T00:00:00'), to: bj('2026-04-01T00:00:00') }, basis: 'ended' }],
  ['February (the Spring Festival)', { period: { from: bj('2026-02-01T00:00:00'), to: bj('2026-03-01T00:00:00') }, basis: 'ended' }],
  ['since March', { period: { from: bj('2026-03-01T00:00:00') }, basis: 'ended' }],
  ['until mid-February', { period: { to: bj('2026-02-16T00:00:00') }, basis: 'ended' }],
  ['the pilot version', { period: { from: bj('2026-02-02T00:00:00') }, basis: 'ended', versions: [2] }],
  ['two branches', { period: {}, basis: 'ended', dims: { branchId: ['B01', 'B03'] } }],
  ['an enterprise size in March', { period: { from: bj('2026-03-01T00:00:00'), to: bj('2026-04-01T00:00:00') }, basis: 'ended', dims: { enterpriseSize: ['micro'] } }],
  ['no approval mode (a dimension set later, so null at start)', { period: {}, basis: 'ended', dims: { approvalMode: [null] } }],
  ['grouped by version', { period: { from: bj('2026-02-01T00:00:00'), to: bj('2026-03-16T00:00:00') }, basis: 'ended' }, 'version'],
  ['grouped by version, one branch', { period: {}, basis: 'ended', dims: { branchId: ['B02'] } }, 'version'],
  ['the cohort started, all time', { period: {}, basis: 'started' }],
  ['the cohort started in February', { period: { from: bj('2026-02-01T00:00:00'), to: bj('2026-03-01T00:00:00') }, basis: 'started' }],
  ['the cohort started since March (some still open)', { period: { from: bj('2026-03-01T00:00:00') }, basis: 'started' }],
  ['the cohort started until mid-February, one branch', { period: { to: bj('2026-02-16T00:00:00') }, basis: 'started', dims: { branchId: ['B01'] } }],
  ['the cohort started, grouped by version', { period: { from: bj('2026-02-01T00:00:00') }, basis: 'started' }, 'version'],
];

describe('digests answer as the facts do', () => {
  test.each(scopes)('%s', async (_name, scope, groupBy) => {
    const flow = await flowContext(s.rt, 'sme-loan');
    const fromDigests = await healthReport(s.rt, flow, scope, groupBy, 'digests');
    const fromFacts = await healthReport(s.rt, flow, scope, groupBy, 'facts');
    expect(fromDigests.measured).toBeGreaterThan(0);
    expect(fromDigests).toEqual(fromFacts);
  });

  test('and keep doing so as cases end while the server runs', async () => {
    s.clock.set(bj('2026-04-02T10:00:00'));
    await s.settle();
    const open = await s.store.listTasks({ statuses: ['open', 'claimed'] }, 500);
    expect(open.length).toBeGreaterThan(0);
    for (const t of open) {
      await s.request('POST', `/api/tasks/${t.id}/reassign`, { as: 'admin', body: { assignee: null } });
      const done = await s.request('POST', `/api/tasks/${t.id}/complete`, { as: 'admin', body: { data: { creditDecision: 'reject' } } });
      expect(done.status, done.text).toBe(200);
    }
    const flow = await flowContext(s.rt, 'sme-loan');
    for (const [, scope, groupBy] of scopes) {
      expect(await healthReport(s.rt, flow, scope, groupBy, 'digests')).toEqual(await healthReport(s.rt, flow, scope, groupBy, 'facts'));
    }
  });
});

describe('a dimension filter read by the database', () => {
  // The facts path lets the store select the filtered cases; the engine filtering every case the
  // period touches must give the same report, for every basis and grouping.
  const filtered: [string, HealthScope, string?][] = [
    ['cohort started, one branch', { period: {}, basis: 'started', dims: { branchId: ['B02'] } }],
    ['cohort started in February, two branches, a channel', { period: { from: bj('2026-02-01T00:00:00'), to: bj('2026-03-01T00:00:00') }, basis: 'started', dims: { branchId: ['B01', 'B03'], channel: ['mobile-app'] } }],
    ['ended, two dimensions', { period: {}, basis: 'ended', dims: { branchId: ['B04'], enterpriseSize: ['micro', 'small'] } }],
    ['no approval mode yet (null), grouped by branch', { period: {}, basis: 'ended', dims: { approvalMode: [null] } }, 'branchId'],
    ['a value no case has', { period: {}, basis: 'started', dims: { branchId: ['nowhere'] } }],
  ];
  test.each(filtered)('%s', async (_name, scope, groupBy) => {
    const flow = await flowContext(s.rt, 'sme-loan');
    const fast = await healthReport(s.rt, flow, scope, groupBy, 'facts');
    const every = (await s.store.listCaseFacts({ flowKey: 'sme-loan', ...(scope.period.to ? { startedBefore: scope.period.to } : {}), ...(scope.period.from ? { endedFrom: scope.period.from } : {}) })).map((r) => r.facts);
    const scan = aggregateHealth(every, {
      period: scope.period,
      basis: scope.basis,
      asOf: scope.period.to ?? flow.now,
      calendar: flow.calendar,
      definition: flow.latest,
      ...(groupBy !== undefined ? { groupBy } : {}),
      filter: { dims: scope.dims ?? {} },
    });
    expect(fast).toEqual(scan);
    if (_name !== 'a value no case has') expect(fast.measured + fast.pending).toBeGreaterThan(0);
  });
});

describe('the projector', () => {
  test('counts every ended case once, however often it runs', async () => {
    await drainDigests(s.rt);
    expect(await drainDigests(s.rt)).toBe(0);
    const ended = (await s.store.listCaseFacts({ flowKey: 'sme-loan' })).filter((r) => r.endedAt !== null).length;
    const totals = await s.store.listHealthDigests({ flowKey: 'sme-loan', dim: '' });
    expect(totals.reduce((n, r) => n + r.cases, 0)).toBe(ended);
    const byBranch = await s.store.listHealthDigests({ flowKey: 'sme-loan', dim: 'branchId' });
    expect(byBranch.reduce((n, r) => n + r.cases, 0)).toBe(ended);
    expect(new Set(byBranch.map((r) => r.value))).toEqual(new Set(['"B01"', '"B02"', '"B03"', '"B04"', '"B05"', '"B06"']));
  });

  test('the API answers a period of dates from the digests, an instant from the facts, alike', async () => {
    const byDates = await s.request('GET', '/api/flows/sme-loan/health?from=2026-02-01&to=2026-02-28', { as: 'owner' });
    const byInstants = await s.request('GET', `/api/flows/sme-loan/health?from=${encodeURIComponent(bj('2026-02-01T00:00:00'))}&to=${encodeURIComponent(bj('2026-03-01T00:00:00.000'))}&filter=branchId:B01,B02,B03,B04,B05,B06;channel:mobile-app,mini-program,branch-pad,account-manager`, { as: 'owner' });
    expect(byDates.status).toBe(200);
    expect(byDates.body.measured).toBe(byInstants.body.measured);
    expect(byDates.body.cycle).toEqual(byInstants.body.cycle);
  });
});
