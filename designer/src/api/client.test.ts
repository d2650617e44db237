import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { ApiError, createApiClient } from './client';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records calls and answers from a table. */
function fakeFetch(answer: (c: Call) => { status: number; body?: unknown; type?: string }) {
  const calls: Call[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const call: Call = { url: String(url), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const a = answer(call);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status, headers: { 'content-type': a.type ?? 'application/json' } });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

describe('API client', () => {
  it('sends the key as a bearer token and the UI language', async () => {
    // given a signed-in client in Chinese
    const f = fakeFetch(() => ({ status: 200, body: { items: [] } }));
    const api = createApiClient({ getKey: () => 'k1', getLang: () => 'zh-CN', fetch: f.fetch });
    // when flows are listed
    await api.listFlows();
    // then the request carries both
    expect(f.calls[0]).toMatchObject({ url: '/api/flows', method: 'GET', headers: { Authorization: 'Bearer k1', 'Accept-Language': 'zh-CN' } });
  });

  it('reads the flow list with versions counted up to the latest', async () => {
    // given the server's list shape
    const f = fakeFetch(() => ({
      status: 200,
      body: { items: [{ key: 'sme-loan', name: { 'zh-CN': '贷款', en: 'Loan' }, owner: 'ops', latestVersion: 3, defaultVersion: 2, draft: { revision: 7, changed: true }, pilots: [{ id: 'p1', version: 3 }] }] },
    }));
    // when listed
    const [flow] = await createApiClient({ getKey: () => 'k', fetch: f.fetch }).listFlows();
    // then versions 1..3 are known, with the draft and pilot
    expect(flow).toEqual({ key: 'sme-loan', name: { 'zh-CN': '贷款', en: 'Loan' }, owner: 'ops', versions: [1, 2, 3], latestVersion: 3, defaultVersion: 2, draft: { revision: 7, changed: true }, pilots: [{ id: 'p1', version: 3 }] });
  });

  it('saves the draft with the revision as If-Match', async () => {
    // given a draft at revision 4
    const f = fakeFetch(() => ({ status: 200, body: { key: 'small-loan', revision: 5, definition: loanFlow() } }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when saved
    const saved = await api.saveDraft('small-loan', loanFlow(), 4);
    // then If-Match names revision 4 and the new revision is 5
    expect(f.calls[0]).toMatchObject({ method: 'PUT', url: '/api/flows/small-loan/draft', headers: { 'If-Match': '"4"', 'Content-Type': 'application/json' } });
    expect(saved.revision).toBe(5);
  });

  it('turns a stale save into an ApiError carrying the current revision', async () => {
    // given a server that has revision 6
    const f = fakeFetch(() => ({
      status: 409,
      type: 'application/problem+json',
      body: { type: 'https://flowpath.dev/problems/draft.revision.stale', title: 'Conflict', status: 409, code: 'draft.revision.stale', currentRevision: 6 },
    }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when revision 4 is saved
    const err = await api.saveDraft('small-loan', loanFlow(), 4).catch((e: unknown) => e);
    // then the error says so
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem).toMatchObject({ status: 409, code: 'draft.revision.stale', currentRevision: 6 });
  });

  it('reports a server that cannot be reached as status 0', async () => {
    // given no network
    const api = createApiClient({
      getKey: () => 'k',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    // when called
    const err = (await api.listFlows().catch((e: unknown) => e)) as ApiError;
    // then it is a problem with status 0
    expect(err.problem).toMatchObject({ status: 0, code: 'network.unreachable', detail: 'Failed to fetch' });
  });

  it('keeps a non-JSON error body as the detail', async () => {
    // given a proxy answering with HTML
    const api = createApiClient({ getKey: () => 'k', fetch: async () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }) });
    // when called
    const err = (await api.me().catch((e: unknown) => e)) as ApiError;
    // then the status and text are kept
    expect(err.problem).toMatchObject({ status: 502, title: 'Bad Gateway', detail: '<h1>Bad gateway</h1>' });
  });

  it('publishes with the note, the saved revision and the default choice', async () => {
    // given a server
    const f = fakeFetch(() => ({ status: 201, body: { key: 'k', version: 2, publishedAt: '2026-01-01T00:00:00Z' } }));
    // when publishing
    await createApiClient({ getKey: () => 'k', fetch: f.fetch }).publish('small-loan', { note: 'raise limit', revision: 5, setDefault: true });
    // then the body carries all three
    expect(f.calls[0]?.body).toEqual({ note: 'raise limit', revision: 5, setDefault: true });
  });

  it('replaces the release policy with its revision as If-Match and without read-only fields', async () => {
    // given a policy at revision 2
    const f = fakeFetch((c) => ({ status: 200, body: { flowKey: 'k', ...(c.body as object), revision: 3 } }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when stopping every pilot
    const next = await api.putReleasePolicy('small-loan', { defaultVersion: 1, pilots: [], split: null, revision: 2 });
    // then the PUT is conditional and the answer has the new revision
    expect(f.calls[0]).toMatchObject({ method: 'PUT', headers: { 'If-Match': '"2"' }, body: { defaultVersion: 1, pilots: [], split: null } });
    expect(next.revision).toBe(3);
  });
});
