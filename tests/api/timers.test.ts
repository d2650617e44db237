/** SLA warnings, breaches and escalations, wait time limits, exactly-once firing and restarts, with a manual clock. */
import { afterEach, describe, expect, test } from 'vitest';
import { documentsFlow, reviewFlow } from '../helpers/flows';
import { startServer, type TestServer } from '../helpers/server';

let s: TestServer;

afterEach(async () => {
  await s.close();
});

async function startReview() {
  const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId: 'T-1', amount: 1 } } });
  return { caseId: res.body.id as string, taskId: res.body.tasks[0].id as string };
}

async function auditTypes(caseId: string): Promise<string[]> {
  return (await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' })).body.items.map((e: { type: string }) => e.type);
}

describe('SLA timers', () => {
  test('nothing fires early; the warning fires at its time, the breach escalates (reassign, raise priority), each exactly once', async () => {
    s = await startServer({ flows: [reviewFlow()] });
    const { caseId, taskId } = await startReview();

    s.clock.set('2026-03-02T03:59:59.999Z');
    expect(await s.rt.scheduler.runDue()).toBe(0);

    s.clock.set('2026-03-02T04:00:00.000Z');
    expect(await s.rt.scheduler.runDue()).toBe(1);
    expect((await s.request('GET', `/api/tasks/${taskId}`, { as: 'operator' })).body.sla).toBe('warning');
    expect(await auditTypes(caseId)).toContain('sla.warned');

    s.clock.set('2026-03-02T05:00:00.000Z');
    expect(await s.rt.scheduler.runDue()).toBe(1);
    expect(await s.rt.scheduler.runDue()).toBe(0);
    const task = (await s.request('GET', `/api/tasks/${taskId}`, { as: 'senior' })).body;
    expect(task).toMatchObject({ queue: 'credit-senior', priority: 95, status: 'open', sla: 'breached' });
    const c = (await s.request('GET', `/api/cases/${caseId}`, { as: 'auditor' })).body;
    expect(c).toMatchObject({ breached: true, breaches: ['review'] });
    expect((await s.request('GET', '/api/cases?breached=true', { as: 'auditor' })).body.items.map((x: { id: string }) => x.id)).toEqual([caseId]);
    const types = await auditTypes(caseId);
    expect(types.filter((t) => t === 'sla.warned')).toHaveLength(1);
    expect(types.filter((t) => t === 'sla.breached')).toHaveLength(1);
    const timers = (await s.request('GET', `/api/cases/${caseId}/timers`, { as: 'auditor' })).body.items;
    expect(timers.map((t: { purpose: string; status: string; firedAt: string }) => [t.purpose, t.status, t.firedAt])).toEqual([
      ['sla.warn', 'fired', '2026-03-02T04:00:00.000Z'],
      ['sla.breach', 'fired', '2026-03-02T05:00:00.000Z'],
    ]);
  });

  test('a completed task withdraws its timers: nothing fires later', async () => {
    s = await startServer({ flows: [reviewFlow()] });
    const { caseId, taskId } = await startReview();
    await s.request('POST', `/api/tasks/${taskId}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } });
    s.clock.advance('P1D');
    expect(await s.rt.scheduler.runDue()).toBe(0);
    expect(await auditTypes(caseId)).not.toContain('sla.breached');
  });

  test('two scheduler passes at once fire each timer once', async () => {
    s = await startServer({ flows: [reviewFlow()] });
    const { caseId } = await startReview();
    s.clock.advance('PT5H');
    const counts = await Promise.all([s.rt.scheduler.runDue(), s.rt.scheduler.runDue(), s.rt.scheduler.runDue()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect((await auditTypes(caseId)).filter((t) => t === 'sla.breached')).toHaveLength(1);
  });

  test('timers that came due while the server was down fire once when it comes back', async () => {
    s = await startServer({ flows: [reviewFlow()] });
    const { caseId } = await startReview();
    const dir = s.dir;
    const clock = s.clock;
    await s.stop();
    clock.advance('PT6H');
    s = await startServer({ dir, clock });
    expect(await s.rt.scheduler.runDue()).toBe(2);
    expect(await s.rt.scheduler.runDue()).toBe(0);
    const types = await auditTypes(caseId);
    expect(types.filter((t) => t === 'sla.warned')).toHaveLength(1);
    expect(types.filter((t) => t === 'sla.breached')).toHaveLength(1);
  });

  test('the background scheduler fires a due timer within a second, without being called', async () => {
    s = await startServer({ flows: [reviewFlow()] });
    const { taskId } = await startReview();
    s.rt.start({ timerPollMs: 50, outboxPollMs: 50 });
    s.clock.advance('PT5H');
    const deadline = Date.now() + 1000;
    let queue = 'credit-approval';
    while (Date.now() < deadline && queue !== 'credit-senior') {
      queue = (await s.request('GET', `/api/tasks/${taskId}`, { as: 'auditor' })).body.queue;
    }
    expect(queue).toBe('credit-senior');
  });
});

describe('wait time limits', () => {
  test('documents not received within 2 hours take the timeout path', async () => {
    s = await startServer({ flows: [documentsFlow()] });
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-documents', data: { customerId: 'W' } } });
    s.clock.advance('PT2H');
    await s.settle();
    const c = (await s.request('GET', `/api/cases/${res.body.id}`, { as: 'app' })).body;
    expect(c).toMatchObject({ status: 'completed', outcome: 'expired' });
  });

  test('documents received in time cancel the limit', async () => {
    s = await startServer({ flows: [documentsFlow()] });
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-documents', data: { customerId: 'W' } } });
    s.clock.advance('PT1H');
    await s.request('POST', `/api/cases/${res.body.id}/messages`, { as: 'app', body: { name: 'documents.received', data: { documentCount: 2 } } });
    s.clock.advance('PT2H');
    expect((await s.settle()).timers).toBe(0);
    expect((await s.request('GET', `/api/cases/${res.body.id}`, { as: 'app' })).body.waitingAt).toEqual(['check']);
  });
});
