/** Cases over HTTP: start (with idempotency), read with masking, search, messages, cancel, timers. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { documentsFlow, reviewFlow } from '../helpers/flows';
import { errorPaths, expectProblem, startServer, type KeyName, type TestServer } from '../helpers/server';

let s: TestServer;

beforeEach(async () => {
  s = await startServer({ flows: [reviewFlow(), documentsFlow()] });
});
afterEach(async () => {
  await s.close();
});

const application = (over: Record<string, unknown> = {}) => ({
  customerId: 'C-1001',
  idNumber: '310101199001011234',
  applicant: { name: '王小明', mobile: '13800138000', city: 'Shanghai' },
  amount: 50000,
  branchId: 'SH-PD-01',
  ...over,
});

async function start(data = application(), as: KeyName = 'app', headers: Record<string, string> = {}) {
  return s.request('POST', '/api/cases', { as, body: { flow: 'test-review', data }, headers });
}

describe('POST /api/cases', () => {
  test('starts a case that waits at the review task, with its SLA, priority and history', async () => {
    const res = await start(application({ segment: 'vip' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/cases/${res.body.id}`);
    expect(res.body).toMatchObject({
      flow: 'test-review',
      version: 1,
      status: 'waiting',
      priority: 90,
      customerRef: 'C-1001',
      branch: 'SH-PD-01',
      waitingAt: ['review'],
      createdBy: 'app',
      masked: false,
    });
    expect(res.body.tasks).toHaveLength(1);
    expect(res.body.tasks[0]).toMatchObject({ nodeId: 'review', queue: 'credit-approval', status: 'open', priority: 90, dueAt: '2026-03-02T05:00:00.000Z', warnAt: '2026-03-02T04:00:00.000Z', sla: 'ok' });
    expect(res.body.waits[0]).toMatchObject({ nodeId: 'review', type: 'task', taskId: res.body.tasks[0].id });
    expect(res.body.history[0]).toMatchObject({ type: 'case.started', actor: 'app' });
    expect(res.body.sla[0]).toMatchObject({ nodeId: 'review', dueAt: '2026-03-02T05:00:00.000Z' });
  });

  test('the same Idempotency-Key returns the same case, never a second one', async () => {
    const first = await start(application(), 'app', { 'idempotency-key': 'order-42' });
    const retry = await start(application(), 'app', { 'idempotency-key': 'order-42' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    const list = await s.request('GET', '/api/cases', { as: 'app' });
    expect(list.body.items).toHaveLength(1);
    // The key belongs to its caller: another app starts its own case with it.
    const other = await start(application(), 'app2', { 'idempotency-key': 'order-42' });
    expect(other.body.id).not.toBe(first.body.id);
  });

  test('a reused Idempotency-Key with a different request is 422', async () => {
    await start(application(), 'app', { 'idempotency-key': 'k1' });
    const res = await start(application({ amount: 1 }), 'app', { 'idempotency-key': 'k1' });
    expectProblem(res, 422, 'idempotency.key.reused');
  });

  test('keys are forgotten after 24 hours', async () => {
    const first = await start(application(), 'app', { 'idempotency-key': 'k-old' });
    s.clock.advance('PT23H');
    await s.rt.scheduler.runDue();
    expect((await start(application(), 'app', { 'idempotency-key': 'k-old' })).body.id).toBe(first.body.id);
    s.clock.advance('PT2H');
    await s.rt.scheduler.runDue();
    const later = await start(application({ amount: 7 }), 'app', { 'idempotency-key': 'k-old' });
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
  });

  test('422 with the path of every field that breaks the case schema', async () => {
    const res = await start({ customerId: 'C-1', amount: -5, segment: 'gold' } as never);
    expectProblem(res, 422, 'case.data.invalid');
    expect(errorPaths(res)).toEqual(['/data/amount', '/data/segment']);
    expect((await s.request('GET', '/api/cases', { as: 'app' })).body.items).toHaveLength(0);
  });

  test('400 for a body without data, 404 for an unknown flow, 409 for a flow never published', async () => {
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review' } });
    expectProblem(res, 400, 'request.body.invalid');
    expect(errorPaths(res)).toEqual(['/data']);
    expectProblem(await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'no-such-flow', data: {} } }), 404, 'flow.not-found');
    await s.request('POST', '/api/flows', { as: 'analyst', body: { definition: { ...reviewFlow(), key: 'draft-only' } } });
    expectProblem(await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'draft-only', data: application() } }), 409, 'flow.unpublished');
  });

  test('only an owner may choose the version; operators may not start cases', async () => {
    expectProblem(await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: application(), version: 1 } }), 403, 'case.version.forbidden');
    const owner = await s.request('POST', '/api/cases', { as: 'owner', body: { flow: 'test-review', data: application(), version: 1 } });
    expect(owner.status).toBe(201);
    expectProblem(await s.request('POST', '/api/cases', { as: 'owner', body: { flow: 'test-review', data: application(), version: 4 } }), 404, 'flow.version.not-found');
    expectProblem(await s.request('POST', '/api/cases', { as: 'operator', body: { flow: 'test-review', data: application() } }), 403, 'auth.role.missing');
    expectProblem(await s.request('POST', '/api/cases', { authorization: 'Bearer wrong-key', body: { flow: 'test-review', data: application() } }), 401, 'auth.required');
  });
});

describe('GET /api/cases/{id}: who sees what', () => {
  test('sensitive fields are masked for roles that do not need them, nested ones too', async () => {
    const id = (await start()).body.id as string;
    const view = async (as: KeyName) => (await s.request('GET', `/api/cases/${id}`, { as })).body;

    for (const who of ['app', 'admin', 'auditor', 'operator', 'supervisor'] as const) {
      const v = await view(who);
      expect({ who, masked: v.masked, id: v.data.idNumber, name: v.data.applicant.name }).toEqual({ who, masked: false, id: '310101199001011234', name: '王小明' });
    }
    for (const who of ['analyst', 'owner', 'senior', 'supervisor2'] as const) {
      const v = await view(who);
      expect({ who, masked: v.masked, data: v.data }).toEqual({
        who,
        masked: true,
        data: { ...application(), idNumber: '310***********1234', applicant: { name: '***', mobile: '***', city: 'Shanghai' } },
      });
    }
  });

  test('an app sees only the cases it started: another app gets 404', async () => {
    const id = (await start()).body.id as string;
    expectProblem(await s.request('GET', `/api/cases/${id}`, { as: 'app2' }), 404, 'case.not-found');
    expectProblem(await s.request('GET', '/api/cases/00000000-0000-0000-0000-000000000000', { as: 'admin' }), 404, 'case.not-found');
    expectProblem(await s.request('GET', `/api/cases/${id}`), 401, 'auth.required');
  });
});

describe('GET /api/cases', () => {
  test('filters by flow, status, waiting node, customer reference and branch, newest first, with paging', async () => {
    const a = (await start(application({ customerId: 'A', branchId: 'B1' }))).body.id;
    s.clock.advance(1000);
    const b = (await start(application({ customerId: 'B', branchId: 'B2' }))).body.id;
    s.clock.advance(1000);
    const c = (await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-documents', data: { customerId: 'C' } } })).body.id;
    const ids = async (q: string) => (await s.request('GET', `/api/cases${q}`, { as: 'auditor' })).body.items.map((x: { id: string }) => x.id);
    expect(await ids('')).toEqual([c, b, a]);
    expect(await ids('?flow=test-review')).toEqual([b, a]);
    expect(await ids('?waitingAt=wait-docs')).toEqual([c]);
    expect(await ids('?customerRef=A')).toEqual([a]);
    expect(await ids('?branch=B2')).toEqual([b]);
    expect(await ids('?status=completed')).toEqual([]);
    expect(await ids('?breached=false&incident=false')).toEqual([c, b, a]);

    const page1 = await s.request('GET', '/api/cases?limit=2', { as: 'auditor' });
    expect(page1.body.items.map((x: { id: string }) => x.id)).toEqual([c, b]);
    const page2 = await s.request('GET', `/api/cases?limit=2&cursor=${page1.body.nextCursor}`, { as: 'auditor' });
    expect(page2.body.items.map((x: { id: string }) => x.id)).toEqual([a]);
    expect(page2.body.nextCursor).toBeNull();
  });

  test('lists the cases started in a period (from inclusive, to exclusive), with customer reference and branch', async () => {
    const t0 = s.clock.now().toISOString();
    const a = (await start(application({ customerId: 'C-1' }))).body.id as string;
    s.clock.advance('PT1H');
    const t1 = s.clock.now().toISOString();
    const b = (await start(application({ customerId: 'C-2', branchId: 'BJ-01' }))).body.id as string;
    s.clock.advance('PT1H');
    const c = (await start(application({ customerId: 'C-1' }))).body.id as string;
    const ids = async (q: string) => (await s.request('GET', `/api/cases${q}`, { as: 'operator' })).body.items.map((x: { id: string }) => x.id);
    expect(await ids(`?startedFrom=${encodeURIComponent(t1)}`)).toEqual([c, b]);
    expect(await ids(`?startedTo=${encodeURIComponent(t1)}`)).toEqual([a]);
    expect(await ids(`?startedFrom=${encodeURIComponent(t0)}&startedTo=${encodeURIComponent(t1)}`)).toEqual([a]);
    // An offset names the same instant.
    const t1Shanghai = new Date(Date.parse(t1) + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    expect(await ids(`?startedFrom=${encodeURIComponent(t1Shanghai)}&customerRef=C-1`)).toEqual([c]);
    expect(await ids(`?startedFrom=${encodeURIComponent(t0)}&branch=BJ-01`)).toEqual([b]);
  });

  test('an app lists only its own cases', async () => {
    await start(application(), 'app');
    await start(application(), 'app2');
    const mine = await s.request('GET', '/api/cases', { as: 'app2' });
    expect(mine.body.items.map((x: { createdBy: string }) => x.createdBy)).toEqual(['app2']);
  });

  test('400 for an unknown filter, a bad value, a repeated parameter or a forged cursor', async () => {
    const typo = await s.request('GET', '/api/cases?stauts=waiting', { as: 'auditor' });
    expectProblem(typo, 400, 'request.query.invalid');
    expect(typo.body.errors[0]).toMatchObject({ path: '/stauts', in: 'query' });
    expectProblem(await s.request('GET', '/api/cases?status=sleeping', { as: 'auditor' }), 400, 'request.query.invalid');
    expectProblem(await s.request('GET', '/api/cases?limit=1000', { as: 'auditor' }), 400, 'request.query.invalid');
    expectProblem(await s.request('GET', '/api/cases?flow=a&flow=b', { as: 'auditor' }), 400, 'request.query.invalid');
    expectProblem(await s.request('GET', '/api/cases?cursor=bm9wZQ', { as: 'auditor' }), 400, 'request.cursor.invalid');
  });
});

describe('POST /api/cases/{id}/messages', () => {
  async function startDocs(as: KeyName = 'app') {
    return (await s.request('POST', '/api/cases', { as, body: { flow: 'test-documents', data: { customerId: 'D-1' } } })).body.id as string;
  }

  test('a message the case waits for moves it on and merges its data', async () => {
    const id = await startDocs();
    const res = await s.request('POST', `/api/cases/${id}/messages`, { as: 'app', body: { name: 'documents.received', data: { documentCount: 3 } } });
    expect(res.status).toBe(200);
    expect(res.body.waitingAt).toEqual(['check']);
    expect(res.body.data.documentCount).toBe(3);
    expect(res.body.history.some((h: { type: string; actor: string }) => h.type === 'message.received' && h.actor === 'app')).toBe(true);
  });

  test('409 for a message nobody waits for, and for a case that has ended', async () => {
    const id = await startDocs();
    const res = await s.request('POST', `/api/cases/${id}/messages`, { as: 'app', body: { name: 'contract.signed' } });
    expectProblem(res, 409, 'message.not-awaited');
    await s.request('POST', `/api/cases/${id}/cancel`, { as: 'app' });
    expectProblem(await s.request('POST', `/api/cases/${id}/messages`, { as: 'app', body: { name: 'documents.received' } }), 409, 'case.ended');
  });

  test('422 for message data that breaks the case schema; 400 without a name', async () => {
    const id = await startDocs();
    const res = await s.request('POST', `/api/cases/${id}/messages`, { as: 'app', body: { name: 'documents.received', data: { documentCount: 0 } } });
    expectProblem(res, 422, 'case.data.invalid');
    expect(errorPaths(res)).toEqual(['/data/documentCount']);
    expectProblem(await s.request('POST', `/api/cases/${id}/messages`, { as: 'app', body: { data: {} } }), 400, 'request.body.invalid');
  });

  test('a retried message with its Idempotency-Key returns the first answer instead of 409', async () => {
    const id = await startDocs();
    const send = () => s.request('POST', `/api/cases/${id}/messages`, { as: 'app', body: { name: 'documents.received', data: { documentCount: 1 } }, headers: { 'idempotency-key': 'm-1' } });
    const first = await send();
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  test("another app's case is 404, an analyst is 403", async () => {
    const id = await startDocs();
    expectProblem(await s.request('POST', `/api/cases/${id}/messages`, { as: 'app2', body: { name: 'documents.received' } }), 404, 'case.not-found');
    expectProblem(await s.request('POST', `/api/cases/${id}/messages`, { as: 'analyst', body: { name: 'documents.received' } }), 403, 'auth.role.missing');
  });
});

describe('POST /api/cases/{id}/cancel', () => {
  test('cancels the case and withdraws its open task and pending timers', async () => {
    const created = await start();
    const id = created.body.id as string;
    const taskId = created.body.tasks[0].id as string;
    const res = await s.request('POST', `/api/cases/${id}/cancel`, { as: 'app', body: { reason: 'customer withdrew' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', waitingAt: [], tasks: [] });
    expect((await s.request('GET', `/api/tasks/${taskId}`, { as: 'operator' })).body.status).toBe('cancelled');
    const timers = await s.request('GET', `/api/cases/${id}/timers`, { as: 'app' });
    expect(timers.body.items.map((t: { status: string }) => t.status)).toEqual(['cancelled', 'cancelled']);
    expectProblem(await s.request('POST', `/api/cases/${id}/cancel`, { as: 'app' }), 409, 'case.ended');
  });

  test("404 for another app's case, 403 for an operator", async () => {
    const id = (await start()).body.id as string;
    expectProblem(await s.request('POST', `/api/cases/${id}/cancel`, { as: 'app2' }), 404, 'case.not-found');
    expectProblem(await s.request('POST', `/api/cases/${id}/cancel`, { as: 'operator' }), 403, 'auth.role.missing');
  });
});

describe('GET /api/cases/{id}/timers', () => {
  test("lists the review SLA's warning and breach timers", async () => {
    const id = (await start()).body.id as string;
    const res = await s.request('GET', `/api/cases/${id}/timers`, { as: 'operator' });
    expect(res.body.items).toEqual([
      expect.objectContaining({ purpose: 'sla.warn', nodeId: 'review', dueAt: '2026-03-02T04:00:00.000Z', status: 'scheduled' }),
      expect.objectContaining({ purpose: 'sla.breach', nodeId: 'review', dueAt: '2026-03-02T05:00:00.000Z', status: 'scheduled' }),
    ]);
    expectProblem(await s.request('GET', `/api/cases/${id}/timers`, { as: 'app2' }), 404, 'case.not-found');
  });
});

describe('a supervisor cancels a case with a reason (issue 11)', () => {
  test('in its queues: the reason is required, trimmed and recorded with the supervisor as actor', async () => {
    const id = (await start()).body.id as string;
    const blank = await s.request('POST', `/api/cases/${id}/cancel`, { as: 'supervisor', body: { reason: '  ' } });
    expectProblem(blank, 422, 'case.reason.required');
    expect(errorPaths(blank)).toEqual(['/reason']);
    expectProblem(await s.request('POST', `/api/cases/${id}/cancel`, { as: 'supervisor' }), 422, 'case.reason.required');
    expect((await s.request('GET', `/api/cases/${id}`, { as: 'supervisor' })).body.status).toBe('waiting');

    const res = await s.request('POST', `/api/cases/${id}/cancel`, { as: 'supervisor', body: { reason: ' 客户来电撤回申请 ' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', tasks: [] });
    const audit = await s.request('GET', `/api/cases/${id}/audit`, { as: 'auditor' });
    expect(audit.body.items.at(-1)).toMatchObject({ type: 'case.cancelled', actor: 'supervisor', details: { reason: '客户来电撤回申请' } });
  });

  test('outside its queues 403, and nothing changes; an operator still may not cancel', async () => {
    const id = (await start()).body.id as string;
    expectProblem(await s.request('POST', `/api/cases/${id}/cancel`, { as: 'supervisor2', body: { reason: 'not mine' } }), 403, 'case.queue.forbidden');
    expectProblem(await s.request('POST', `/api/cases/${id}/cancel`, { as: 'operator', body: { reason: 'not allowed' } }), 403, 'auth.role.missing');
    expect((await s.request('GET', `/api/cases/${id}`, { as: 'auditor' })).body.status).toBe('waiting');
  });

  test('also sends a waiting case its message', async () => {
    const id = (await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-documents', data: { customerId: 'D-2' } } })).body.id as string;
    const res = await s.request('POST', `/api/cases/${id}/messages`, { as: 'supervisor', body: { name: 'documents.received', data: { documentCount: 2 } } });
    expect(res.status).toBe(200);
    expect(res.body.history.some((h: { type: string; actor: string }) => h.type === 'message.received' && h.actor === 'supervisor')).toBe(true);
  });
});
