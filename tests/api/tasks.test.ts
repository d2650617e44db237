/** Tasks over HTTP: the work list, claim, release, complete, reassign, four eyes and races. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fourEyesFlow, reviewFlow } from '../helpers/flows';
import { errorPaths, expectProblem, startServer, type KeyName, type TestServer } from '../helpers/server';

let s: TestServer;

beforeEach(async () => {
  s = await startServer({ flows: [reviewFlow(), fourEyesFlow()] });
});
afterEach(async () => {
  await s.close();
});

async function startReview(customerId: string, segment: 'standard' | 'vip' = 'standard') {
  const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId, amount: 1000, segment, idNumber: '310101199001011234' } } });
  expect(res.status).toBe(201);
  return { caseId: res.body.id as string, taskId: res.body.tasks[0].id as string };
}

const claim = (taskId: string, as: KeyName) => s.request('POST', `/api/tasks/${taskId}/claim`, { as });
const complete = (taskId: string, as: KeyName, data: Record<string, unknown> = { decision: 'approve' }, headers: Record<string, string> = {}) =>
  s.request('POST', `/api/tasks/${taskId}/complete`, { as, body: { data }, headers });

describe('GET /api/tasks', () => {
  test('the work list holds the caller queues, highest priority first, then earliest due', async () => {
    const early = await startReview('early');
    s.clock.advance('PT1M');
    const vip = await startReview('vip', 'vip');
    s.clock.advance('PT1M');
    const late = await startReview('late');
    const res = await s.request('GET', '/api/tasks', { as: 'operator' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([vip.taskId, early.taskId, late.taskId]);
    expect(res.body.items[0]).toMatchObject({ priority: 90, queue: 'credit-approval', status: 'open', flow: 'test-review', nodeId: 'review', sla: 'ok' });

    const page1 = await s.request('GET', '/api/tasks?limit=2', { as: 'operator' });
    const page2 = await s.request('GET', `/api/tasks?limit=2&cursor=${page1.body.nextCursor}`, { as: 'operator' });
    expect([...page1.body.items, ...page2.body.items].map((t: { id: string }) => t.id)).toEqual([vip.taskId, early.taskId, late.taskId]);
  });

  test('operators see only their queues; asking for another queue is 403; auditors see all', async () => {
    await startReview('x');
    expect((await s.request('GET', '/api/tasks', { as: 'senior' })).body.items).toEqual([]);
    expectProblem(await s.request('GET', '/api/tasks?queue=credit-approval', { as: 'senior' }), 403, 'task.queue.forbidden');
    expect((await s.request('GET', '/api/tasks', { as: 'auditor' })).body.items).toHaveLength(1);
    expectProblem(await s.request('GET', '/api/tasks', { as: 'app' }), 403, 'auth.role.missing');
    expectProblem(await s.request('GET', '/api/tasks?status=done', { as: 'operator' }), 400, 'request.query.invalid');
  });

  test('status and assignee filters', async () => {
    const a = await startReview('a');
    const b = await startReview('b');
    await claim(a.taskId, 'operator');
    await complete(b.taskId, 'operator2');
    const ids = async (q: string, as: KeyName = 'operator') => (await s.request('GET', `/api/tasks${q}`, { as })).body.items.map((t: { id: string }) => t.id);
    expect(await ids('?assignee=me')).toEqual([a.taskId]);
    expect(await ids('?status=completed')).toEqual([b.taskId]);
    expect(await ids('')).toEqual([a.taskId]);
  });
});

describe('GET /api/tasks: work-list rows, filters and conditional polling', () => {
  const startAt = async (customerId: string, branchId: string) => {
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId, amount: 1000, segment: 'standard', branchId } } });
    expect(res.status).toBe(201);
    return { caseId: res.body.id as string, taskId: res.body.tasks[0].id as string };
  };
  const ids = async (q: string, as: KeyName = 'operator') => {
    const res = await s.request('GET', `/api/tasks${q}`, { as });
    expect(res.status).toBe(200);
    return res.body.items.map((t: { id: string }) => t.id);
  };

  test('each row carries the case\'s customer reference, branch and flow version, so the list needs no case reads', async () => {
    const { taskId } = await startAt('CUST-1', 'SH01');
    const list = await s.request('GET', '/api/tasks', { as: 'operator' });
    expect(list.body.items[0]).toMatchObject({ id: taskId, customerRef: 'CUST-1', branch: 'SH01', channel: null, version: 1, flow: 'test-review', priority: 50 });
    expect((await s.request('GET', `/api/tasks/${taskId}`, { as: 'operator' })).body).toMatchObject({ customerRef: 'CUST-1', branch: 'SH01', version: 1 });
    expect((await s.request('GET', '/api/tasks', { as: 'auditor' })).body.items[0]).toMatchObject({ customerRef: 'CUST-1', branch: 'SH01' });
  });

  test('filters by one or several branches, by due time ("due today") and by breach', async () => {
    const sh = await startAt('a', 'SH01');
    s.clock.advance('PT1M');
    const bj = await startAt('b', 'BJ02');
    s.clock.advance('PT1M');
    const gz = await startAt('c', 'GZ03');
    expect(await ids('?branch=SH01')).toEqual([sh.taskId]);
    expect(await ids('?branch=GZ03,SH01')).toEqual([sh.taskId, gz.taskId]);
    expect(await ids('?branch=XX99')).toEqual([]);
    const due = (await s.request('GET', `/api/tasks/${bj.taskId}`, { as: 'operator' })).body.dueAt as string;
    const later = (await s.request('GET', `/api/tasks/${gz.taskId}`, { as: 'operator' })).body.dueAt as string;
    expect(await ids(`?dueBefore=${encodeURIComponent(due)}`)).toEqual([sh.taskId]);
    expect(await ids(`?dueAfter=${encodeURIComponent(due)}&dueBefore=${encodeURIComponent(later)}`)).toEqual([bj.taskId]);
    // The same instant with an offset means the same filter.
    const dueInShanghai = new Date(Date.parse(due) + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    expect(await ids(`?dueAfter=${encodeURIComponent(dueInShanghai)}`)).toEqual([bj.taskId, gz.taskId]);
    expect(await ids('?breached=true')).toEqual([]);
    // At the second task's due time: it and the first are breached (due now counts, as in `sla`), the third not yet.
    s.clock.set(due);
    expect(await ids('?breached=true')).toEqual([sh.taskId, bj.taskId]);
    expect(await ids('?breached=false')).toEqual([gz.taskId]);
    expect(await ids('?breached=true&branch=BJ02')).toEqual([bj.taskId]);
  });

  test('a bad filter value is 400 with the JSON Pointer of the query parameter', async () => {
    const bad = async (q: string, path: string) => {
      const res = await s.request('GET', q, { as: 'operator' });
      expectProblem(res, 400, 'request.query.invalid');
      expect(errorPaths(res)).toEqual([path]);
      expect(res.body.errors[0].in).toBe('query');
    };
    await bad('/api/tasks?dueBefore=tomorrow', '/dueBefore');
    await bad('/api/tasks?dueAfter=2026-03-02', '/dueAfter');
    await bad('/api/tasks?branch=SH01,,BJ02', '/branch');
    await bad('/api/tasks?breached=maybe', '/breached');
    await bad('/api/tasks?dueAfter=2026-03-03T00:00:00Z&dueBefore=2026-03-02T00:00:00Z', '/dueAfter');
    await bad('/api/cases?startedFrom=yesterday', '/startedFrom');
    await bad('/api/cases?startedFrom=2026-03-03T00:00:00Z&startedTo=2026-03-03T00:00:00Z', '/startedFrom');
  });

  test('answers 304 to its own ETag until a task visible to the caller changes, also by someone else', async () => {
    const first = await startAt('a', 'SH01');
    const get = (as: KeyName, etag?: string, q = '') => s.request('GET', `/api/tasks${q}`, { as, headers: etag ? { 'if-none-match': etag } : {} });
    const r1 = await get('operator');
    const tag = r1.headers.get('etag') as string;
    expect(tag).toMatch(/^W\/"/);
    expect(r1.headers.get('cache-control')).toBe('private, no-cache');
    const same = await get('operator', tag);
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.get('etag')).toBe(tag);
    // Another query, or another caller, never reuses the tag.
    expect((await get('operator', tag, '?branch=SH01')).status).toBe(200);
    expect((await get('operator2', tag)).status).toBe(200);
    const seniorTag = (await get('senior')).headers.get('etag') as string;

    // A colleague claims the task: the list changed for everyone who works the queue.
    expect((await claim(first.taskId, 'operator2')).status).toBe(200);
    const r2 = await get('operator', tag);
    expect(r2.status).toBe(200);
    expect(r2.body.items[0]).toMatchObject({ status: 'claimed', assignee: 'operator2' });
    const tag2 = r2.headers.get('etag') as string;
    expect(tag2).not.toBe(tag);
    // Not for an operator of another queue.
    expect((await get('senior', seniorTag)).status).toBe(304);

    const tags = [tag, tag2];
    const changed = async (what: string): Promise<void> => {
      const r = await get('operator', tags.at(-1));
      expect(r.status, what).toBe(200);
      tags.push(r.headers.get('etag') as string);
      expect(new Set(tags).size, what).toBe(tags.length);
    };
    await s.request('POST', `/api/tasks/${first.taskId}/release`, { as: 'operator2' });
    await changed('released');
    const second = await startAt('b', 'BJ02');
    await changed('created');
    await complete(second.taskId, 'operator2');
    await changed('completed');
    await s.request('POST', `/api/tasks/${first.taskId}/reassign`, { as: 'operator', body: { queue: 'credit-senior' } });
    await changed('reassigned away');
    // The task arrived in the senior queue.
    expect((await get('senior', seniorTag)).status).toBe(200);
    const third = await startAt('c', 'GZ03');
    await changed('created again');
    expect((await s.request('POST', `/api/cases/${third.caseId}/cancel`, { as: 'app', body: {} })).status).toBeLessThan(300);
    await changed('withdrawn');
    expect((await get('operator', tags.at(-1))).status).toBe(304);
    // The tag moves with the clock too: SLA states and the breach filter do.
    s.clock.advance('PT1M');
    await changed('a minute later');
  });
});

describe('claim and release', () => {
  test('claim takes the task; a colleague then gets 409; releasing gives it back', async () => {
    const { taskId, caseId } = await startReview('c');
    const first = await claim(taskId, 'operator');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'claimed', assignee: 'operator' });
    expect((await claim(taskId, 'operator')).status).toBe(200);
    const second = await claim(taskId, 'operator2');
    expectProblem(second, 409, 'task.claimed');
    expect(second.body.assignee).toBe('operator');
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/release`, { as: 'operator2' }), 409, 'task.claimed');
    const released = await s.request('POST', `/api/tasks/${taskId}/release`, { as: 'operator' });
    expect(released.body).toMatchObject({ status: 'open', assignee: null });
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/release`, { as: 'operator' }), 409, 'task.not-claimed');
    const audit = await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' });
    expect(audit.body.items.filter((e: { type: string }) => e.type.startsWith('task.')).map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toEqual([
      'task.opened:app',
      'task.claimed:operator',
      'task.released:operator',
    ]);
  });

  test('404 for an unknown task, 403 outside the queues or for other roles', async () => {
    const { taskId } = await startReview('d');
    expectProblem(await claim('no-such-task', 'operator'), 404, 'task.not-found');
    expectProblem(await claim(taskId, 'senior'), 403, 'task.queue.forbidden');
    expectProblem(await claim(taskId, 'app'), 403, 'auth.role.missing');
    expectProblem(await claim(taskId, 'auditor'), 403, 'auth.role.missing');
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/claim`), 401, 'auth.required');
  });
});

describe('POST /api/tasks/{id}/complete', () => {
  test('completes with valid form data and the case moves on to its end', async () => {
    const { taskId, caseId } = await startReview('e');
    const res = await complete(taskId, 'operator', { decision: 'reject', comment: 'income not proven' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', completedBy: 'operator', assignee: 'operator' });
    const c = await s.request('GET', `/api/cases/${caseId}`, { as: 'app' });
    expect(c.body).toMatchObject({ status: 'completed', outcome: 'rejected', tasks: [] });
    expect(c.body.data).toMatchObject({ decision: 'reject', comment: 'income not proven' });
  });

  test('422 with the path of each bad form field; nothing changes', async () => {
    const { taskId } = await startReview('f');
    const res = await complete(taskId, 'operator', { decision: 'maybe', comment: 'x'.repeat(201), extra: 1 });
    expectProblem(res, 422, 'task.data.invalid');
    expect(errorPaths(res)).toEqual(['/data/comment', '/data/decision', '/data/extra']);
    expect((await s.request('GET', `/api/tasks/${taskId}`, { as: 'operator' })).body.status).toBe('open');
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/complete`, { as: 'operator', body: {} }), 400, 'request.body.invalid');
  });

  test('completing twice is 409; a task claimed by someone else is 409', async () => {
    const one = await startReview('g');
    expect((await complete(one.taskId, 'operator')).status).toBe(200);
    const again = await complete(one.taskId, 'operator2');
    expectProblem(again, 409, 'task.completed');
    expect(again.body.completedBy).toBe('operator');
    const two = await startReview('h');
    await claim(two.taskId, 'operator2');
    expectProblem(await complete(two.taskId, 'operator'), 409, 'task.claimed');
  });

  test('a retry with the same Idempotency-Key gets the first answer, not 409', async () => {
    const { taskId } = await startReview('i');
    const first = await complete(taskId, 'operator', { decision: 'approve' }, { 'idempotency-key': 'done-1' });
    const retry = await complete(taskId, 'operator', { decision: 'approve' }, { 'idempotency-key': 'done-1' });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
  });

  test('operators racing to complete the same task: exactly one wins, the others get 409', async () => {
    const { taskId, caseId } = await startReview('race');
    const racers: KeyName[] = ['operator', 'operator2', 'operator', 'operator2', 'operator', 'operator2', 'operator', 'operator2'];
    const results = await Promise.all(racers.map((who) => complete(taskId, who)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(['task.completed', 'task.claimed']).toContain(r.body.code);
    }
    const audit = await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' });
    expect(audit.body.items.filter((e: { type: string }) => e.type === 'task.completed')).toHaveLength(1);
  });

  test('four eyes: the maker may not check; a colleague may', async () => {
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-four-eyes', data: { customerId: 'F' } } });
    const caseId = res.body.id as string;
    expect((await complete(res.body.tasks[0].id, 'operator', { made: true })).status).toBe(200);
    const checker = (await s.request('GET', `/api/cases/${caseId}`, { as: 'operator' })).body.tasks[0];
    expect(checker.nodeId).toBe('checker');
    expectProblem(await complete(checker.id, 'operator', { checked: true }), 403, 'task.four-eyes');
    expectProblem(await claim(checker.id, 'operator'), 403, 'task.four-eyes');
    expect((await complete(checker.id, 'operator2', { checked: true })).status).toBe(200);
    expect((await s.request('GET', `/api/cases/${caseId}`, { as: 'app' })).body.status).toBe('completed');
  });
});

describe('POST /api/tasks/{id}/reassign', () => {
  test('moves the task to another queue, where that queue\'s operators see and claim it', async () => {
    const { taskId, caseId } = await startReview('j');
    await claim(taskId, 'operator');
    const res = await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'operator', body: { queue: 'credit-senior' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ queue: 'credit-senior', status: 'open', assignee: null });
    expect((await s.request('GET', '/api/tasks', { as: 'senior' })).body.items.map((t: { id: string }) => t.id)).toEqual([taskId]);
    expect((await claim(taskId, 'senior')).status).toBe(200);
    const audit = await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' });
    expect(audit.body.items.find((e: { type: string }) => e.type === 'task.reassigned')).toMatchObject({
      actor: 'operator',
      details: { from: { queue: 'credit-approval', assignee: 'operator' }, to: { queue: 'credit-senior', assignee: null } },
    });
  });

  test('assigns to a named operator; 400 for an empty body; 403 outside the queue; 409 when closed', async () => {
    const { taskId } = await startReview('k');
    const res = await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'operator', body: { assignee: 'operator2' } });
    expect(res.body).toMatchObject({ status: 'claimed', assignee: 'operator2' });
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'operator', body: {} }), 400, 'request.body.invalid');
    const nobody = await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'operator', body: { assignee: 'ghost' } });
    expectProblem(nobody, 422, 'task.assignee.invalid');
    expect(errorPaths(nobody)).toEqual(['/assignee']);
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'operator', body: { assignee: 'senior' } }), 422, 'task.assignee.invalid');
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'senior', body: { queue: 'credit-senior' } }), 403, 'task.queue.forbidden');
    await complete(taskId, 'operator2');
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'operator', body: { queue: 'x' } }), 409, 'task.completed');
  });
});

describe('a reason for a reassignment (issue 11)', () => {
  const reassign = (taskId: string, as: KeyName, body: Record<string, unknown>) => s.request('POST', `/api/tasks/${taskId}/reassign`, { as, body });
  const reassigned = async (caseId: string) =>
    (await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' })).body.items.filter((e: { type: string }) => e.type === 'task.reassigned');

  test('goes into the task.reassigned audit entry, trimmed, beside the move', async () => {
    const { taskId, caseId } = await startReview('r1');
    const res = await reassign(taskId, 'operator', { assignee: 'operator2', reason: '  客户指定由王经理跟进 \n' });
    expect(res.status).toBe(200);
    expect(await reassigned(caseId)).toEqual([
      expect.objectContaining({ actor: 'operator', details: expect.objectContaining({ from: { queue: 'credit-approval', assignee: null }, to: { queue: 'credit-approval', assignee: 'operator2' }, reason: '客户指定由王经理跟进' }) }),
    ]);
    // without one the entry has no reason at all, not an empty one
    await reassign(taskId, 'operator', { assignee: 'operator' });
    expect((await reassigned(caseId))[1].details).not.toHaveProperty('reason');
  });

  test('a blank reason is 422 at /reason, an overlong one or a reason alone 400, and nothing moves', async () => {
    const { taskId, caseId } = await startReview('r2');
    const blank = await reassign(taskId, 'operator', { assignee: 'operator2', reason: '   ' });
    expectProblem(blank, 422, 'task.reason.blank');
    expect(errorPaths(blank)).toEqual(['/reason']);
    const long = await reassign(taskId, 'operator', { assignee: 'operator2', reason: 'x'.repeat(1001) });
    expectProblem(long, 400, 'request.body.invalid');
    expect(errorPaths(long)).toContain('/reason');
    expectProblem(await reassign(taskId, 'operator', { reason: 'just because' }), 400, 'request.body.invalid');
    expect((await s.request('GET', `/api/tasks/${taskId}`, { as: 'operator' })).body).toMatchObject({ status: 'open', assignee: null });
    expect(await reassigned(caseId)).toEqual([]);
  });
});

describe('the supervisor role (issue 11)', () => {
  test('sees the tasks of the queues on its key, and no others', async () => {
    const { taskId } = await startReview('s1');
    expect((await s.request('GET', '/api/tasks', { as: 'supervisor' })).body.items.map((t: { id: string }) => t.id)).toEqual([taskId]);
    expect((await s.request('GET', `/api/tasks/${taskId}`, { as: 'supervisor' })).status).toBe(200);
    expect((await s.request('GET', '/api/tasks', { as: 'supervisor2' })).body.items).toEqual([]);
    expectProblem(await s.request('GET', `/api/tasks/${taskId}`, { as: 'supervisor2' }), 403, 'task.queue.forbidden');
    expectProblem(await s.request('GET', '/api/tasks?queue=credit-approval', { as: 'supervisor2' }), 403, 'task.queue.forbidden');
  });

  test('reassigns tasks of its queues with a reason, but does not work them and cannot be given one', async () => {
    const { taskId, caseId } = await startReview('s2');
    expectProblem(await claim(taskId, 'supervisor'), 403, 'auth.role.missing');
    expectProblem(await complete(taskId, 'supervisor'), 403, 'auth.role.missing');
    const toSelf = await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'operator', body: { assignee: 'supervisor' } });
    expectProblem(toSelf, 422, 'task.assignee.invalid');
    expectProblem(await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'supervisor2', body: { assignee: 'operator2', reason: 'x' } }), 403, 'task.queue.forbidden');

    const res = await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'supervisor', body: { assignee: 'operator2', reason: 'operator is on leave' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'claimed', assignee: 'operator2' });
    const audit = await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' });
    expect(audit.body.items.find((e: { type: string }) => e.type === 'task.reassigned')).toMatchObject({ actor: 'supervisor', details: { reason: 'operator is on leave' } });
    // moved to a queue the supervisor does not look after, the task leaves its sight
    expect((await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'supervisor', body: { queue: 'credit-senior', reason: 'needs a senior' } })).status).toBe(200);
    expectProblem(await s.request('GET', `/api/tasks/${taskId}`, { as: 'supervisor' }), 403, 'task.queue.forbidden');
    expect((await s.request('GET', `/api/tasks/${taskId}`, { as: 'supervisor2' })).body).toMatchObject({ queue: 'credit-senior', status: 'open' });
  });
});

describe('GET /api/queues/{queue}/operators', () => {
  const operators = (queue: string, as: KeyName) => s.request('GET', `/api/queues/${queue}/operators`, { as });

  test('names the operators who work the queue, with their roles and no key', async () => {
    const res = await operators('credit-approval', 'operator');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      queue: 'credit-approval',
      items: [
        { name: 'operator', roles: ['operator'] },
        { name: 'operator2', roles: ['operator'] },
      ],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/test-key|0123456789abcdef/);
    // supervisors and admins are not colleagues one can give a task to
    expect((await operators('credit-senior', 'supervisor2')).body.items.map((o: { name: string }) => o.name)).toEqual(['senior']);
    expect((await operators('nobody-works-this', 'admin')).body.items).toEqual([]);
  });

  test('only for those who work or supervise the queue (and admin)', async () => {
    expect((await operators('credit-approval', 'supervisor')).status).toBe(200);
    expect((await operators('credit-approval', 'admin')).status).toBe(200);
    expectProblem(await operators('credit-approval', 'senior'), 403, 'queue.forbidden');
    expectProblem(await operators('credit-approval', 'supervisor2'), 403, 'queue.forbidden');
    expectProblem(await operators('credit-approval', 'auditor'), 403, 'auth.role.missing');
    expectProblem(await operators('credit-approval', 'app'), 403, 'auth.role.missing');
  });

  test('every name it gives is an assignee the reassign call accepts', async () => {
    const { taskId } = await startReview('q1');
    for (const o of (await operators('credit-approval', 'supervisor')).body.items as { name: string }[]) {
      const res = await s.request('POST', `/api/tasks/${taskId}/reassign`, { as: 'supervisor', body: { assignee: o.name, reason: `to ${o.name}` } });
      expect({ name: o.name, status: res.status }).toEqual({ name: o.name, status: 200 });
    }
  });
});
