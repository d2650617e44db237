/**
 * One engine step = one transaction: a store that fails midway (after the case, task and timer
 * rows of the step were written, before its audit entries) leaves nothing half-written.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Store } from '@flowpath/runtime-api';
import { faultyStore, type FaultSwitch } from '../helpers/faulty-store';
import { reviewFlow, serviceFlow } from '../helpers/flows';
import { expectProblem, startServer, type TestServer } from '../helpers/server';

let s: TestServer;
let faults: FaultSwitch;

beforeEach(async () => {
  s = await startServer({
    flows: [reviewFlow(), serviceFlow()],
    sqliteFile: true, // counts rows in the file itself
    wrapStore: (st) => {
      const f = faultyStore(st as Store);
      faults = f.faults;
      return f.store;
    },
  });
});
afterEach(async () => {
  await s.close();
});

/** Row counts straight from the database file's tables. */
function counts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of ['cases', 'case_waits', 'tasks', 'timers', 'audit', 'audit_heads', 'outbox', 'idempotency']) {
    out[table] = Number((s.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
  }
  // Flows' own audit (publishing) is not part of any case.
  out.caseAudit = Number((s.store.db.prepare("SELECT COUNT(*) AS n FROM audit WHERE stream LIKE 'case:%'").get() as { n: number }).n);
  return out;
}

const data = { customerId: 'TX-1', amount: 10, idNumber: '310101199001011234' };

test('a failure while writing the audit entries of a new case leaves no case, task, timer, outbox or idempotency row', async () => {
  const before = counts();
  faults.arm('appendAudit');
  const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data }, headers: { 'idempotency-key': 'tx-1' } });
  expectProblem(res, 500, 'internal');
  expect(res.body.requestId).toEqual(expect.any(String));
  expect(res.text).not.toContain('injected fault');
  expect(faults.thrown).toBe(1);
  expect(counts()).toEqual(before);

  // The same request succeeds once the store is healthy, and its key then works as usual.
  const ok = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data }, headers: { 'idempotency-key': 'tx-1' } });
  expect(ok.status).toBe(201);
  expect(counts()).toMatchObject({ cases: 1, tasks: 1, timers: 2, idempotency: 1 });
});

test('a failure midway through completing a task leaves the task open and the case as it was', async () => {
  const created = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data } });
  const caseId = created.body.id as string;
  const taskId = created.body.tasks[0].id as string;
  const before = counts();
  const caseRow = () => s.store.db.prepare('SELECT status, state, row_version FROM cases WHERE id = ?').get(caseId);
  const rowBefore = caseRow();

  // The fault hits after the case row and the task row were updated in the transaction.
  faults.arm('appendAudit');
  const res = await s.request('POST', `/api/tasks/${taskId}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } });
  expectProblem(res, 500, 'internal');
  expect(counts()).toEqual(before);
  expect(caseRow()).toEqual(rowBefore);
  const task = await s.request('GET', `/api/tasks/${taskId}`, { as: 'operator' });
  expect(task.body).toMatchObject({ status: 'open', assignee: null });
  const timers = await s.request('GET', `/api/cases/${caseId}/timers`, { as: 'app' });
  expect(timers.body.items.map((t: { status: string }) => t.status)).toEqual(['scheduled', 'scheduled']);

  const ok = await s.request('POST', `/api/tasks/${taskId}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } });
  expect(ok.status).toBe(200);
  expect((await s.request('GET', `/api/cases/${caseId}`, { as: 'app' })).body.status).toBe('completed');
});

test('a timer whose step fails stays scheduled, is retried later, and then fires exactly once', async () => {
  const created = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data } });
  const caseId = created.body.id as string;
  s.clock.advance('PT5H');
  faults.arm('appendAudit', { always: true });
  expect(await s.rt.scheduler.runDue()).toBe(0);
  faults.disarm();
  const timers = (await s.request('GET', `/api/cases/${caseId}/timers`, { as: 'app' })).body.items;
  expect(timers[0]).toMatchObject({ purpose: 'sla.warn', status: 'scheduled', attempts: 1, lastError: 'injected fault in appendAudit' });
  expect((await s.request('GET', `/api/cases/${caseId}`, { as: 'auditor' })).body.breached).toBe(false);

  s.clock.advance('PT1M');
  expect(await s.rt.scheduler.runDue()).toBe(2);
  expect(await s.rt.scheduler.runDue()).toBe(0);
  const audit = (await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' })).body.items.map((e: { type: string }) => e.type);
  expect(audit.filter((t: string) => t === 'sla.breached')).toHaveLength(1);
});

test('a failure while applying a connector result keeps the outbox row pending, and the result is applied once on retry', async () => {
  const created = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-service', data } });
  const caseId = created.body.id as string;
  faults.arm('appendAudit');
  await s.rt.worker.runPending();
  const events = (await s.request('GET', `/api/cases/${caseId}/events`, { as: 'app' })).body.items;
  expect(events).toEqual([expect.objectContaining({ kind: 'service.call', status: 'pending', attempts: 1, lastError: 'injected fault in appendAudit' })]);
  expect((await s.request('GET', `/api/cases/${caseId}`, { as: 'app' })).body.waitingAt).toEqual(['bureau']);

  s.clock.advance('PT1M');
  await s.settle();
  const c = (await s.request('GET', `/api/cases/${caseId}`, { as: 'app' })).body;
  expect(c.status).toBe('completed');
  const audit = (await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' })).body.items.map((e: { type: string }) => e.type);
  expect(audit.filter((t: string) => t === 'service.succeeded')).toHaveLength(1);
});
