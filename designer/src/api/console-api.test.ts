import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from './client';
import { queryString } from './console-api';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(answer: (c: Call) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const call: Call = { url: String(url), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const a = answer(call);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

describe('console API calls', () => {
  it('pages the work list with the server filters and cursor', async () => {
    // given a server with a second page
    const f = fakeFetch(() => ({ status: 200, body: { items: [{ id: 't1' }], nextCursor: 'abc' } }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when the list is asked for with a queue, a flow, two statuses and a cursor
    const page = await api.listTasks({ queue: 'credit approval', flow: 'sme-loan', status: ['open', 'claimed'], cursor: 'xyz', limit: 50 });
    // then each reaches the query string, encoded, and the cursor comes back
    expect(f.calls[0]?.url).toBe('/api/tasks?queue=credit%20approval&flow=sme-loan&status=open%2Cclaimed&cursor=xyz&limit=50');
    expect(page).toEqual({ items: [{ id: 't1' }], nextCursor: 'abc' });
  });

  it('searches cases with boolean filters and leaves unset ones out', async () => {
    const f = fakeFetch(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    await api.listCases({ flow: 'sme-loan', breached: true, incident: false, customerRef: '', branch: undefined });
    expect(f.calls[0]?.url).toBe('/api/cases?flow=sme-loan&breached=true&incident=false');
  });

  it('completes a task with its data and surfaces the field errors of a 422', async () => {
    // given a server that refuses the amount
    const problem = { type: 'about:blank', title: 'Unprocessable', status: 422, code: 'task.data.invalid', errors: [{ path: '/data/amount', code: 'form.maximum', message: 'too big' }] };
    const f = fakeFetch(() => ({ status: 422, body: problem }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when the task is completed
    const err = await api.completeTask('t 1', { amount: 9 }).catch((e: unknown) => e);
    // then the body was { data } and the error carries the paths
    expect(f.calls[0]).toMatchObject({ url: '/api/tasks/t%201/complete', method: 'POST', body: { data: { amount: 9 } } });
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem.errors).toEqual(problem.errors);
  });

  it('asks the server to wait for automatic steps after a message', async () => {
    const f = fakeFetch(() => ({ status: 200, body: { id: 'c1' } }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    await api.sendMessage('c1', 'contract.signed', { signedAt: '2026-03-02' }, 5);
    expect(f.calls[0]).toMatchObject({ url: '/api/cases/c1/messages', method: 'POST', headers: { Prefer: 'wait=5' }, body: { name: 'contract.signed', data: { signedAt: '2026-03-02' } } });
  });

  it('sends a cancel reason, a reassignment and an incident retry to their paths', async () => {
    const f = fakeFetch(() => ({ status: 200, body: {} }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    await api.cancelCase('c1', 'customer withdrew');
    await api.reassignTask('t1', { assignee: 'li.na' });
    await api.retryIncident('c1', 'inc-3');
    expect(f.calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', '/api/cases/c1/cancel', { reason: 'customer withdrew' }],
      ['POST', '/api/tasks/t1/reassign', { assignee: 'li.na' }],
      ['POST', '/api/cases/c1/incidents/inc-3/retry', undefined],
    ]);
  });

  it('sends a reassignment\'s reason and reads a queue\'s operators', async () => {
    // given a server that names two operators of the queue
    const f = fakeFetch((c) => ({ status: 200, body: c.method === 'GET' ? { queue: 'credit approval', items: [{ name: 'li.na', roles: ['operator'] }, { name: 'wang.fang', roles: ['operator', 'credit-approver'] }] } : {} }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when the colleagues are listed and the task is given to one of them with a reason
    const colleagues = await api.listQueueOperators('credit approval');
    await api.reassignTask('t1', { assignee: 'wang.fang', reason: '客户指定' });
    // then the queue is encoded in the path and the reason travels in the body
    expect(colleagues.map((o) => o.name)).toEqual(['li.na', 'wang.fang']);
    expect(f.calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['GET', '/api/queues/credit%20approval/operators', undefined],
      ['POST', '/api/tasks/t1/reassign', { assignee: 'wang.fang', reason: '客户指定' }],
    ]);
  });

  it('builds no query string from nothing', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: undefined, b: '', c: [] })).toBe('');
  });
});
