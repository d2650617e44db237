import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../api/client';
import { healthSearch } from './health-api';

function fakeFetch(answer: (url: string) => { status: number; text: string; type: string }) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const f = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), headers: init?.headers as Record<string, string> });
    const a = answer(String(url));
    return new Response(a.text, { status: a.status, headers: { 'content-type': a.type } });
  };
  return { calls, fetch: f as typeof globalThis.fetch };
}

describe('health API calls', () => {
  it('send only the parameters that are set, in the server\'s syntax', () => {
    expect(healthSearch({})).toBe('');
    expect(healthSearch({ from: '2026-01-01', to: '2026-03-31', versions: [1, 2], basis: 'started', groupBy: 'branchId', filter: { branchId: ['B01', 'B02'], channel: [] } })).toBe(
      '?from=2026-01-01&to=2026-03-31&version=1%2C2&filter=branchId%3AB01%2CB02&basis=started&groupBy=branchId',
    );
    expect(healthSearch({ by: 'version', a: ['1'], b: ['2'], metrics: ['cycle', 'node:review:queue:working'] })).toBe('?by=version&a=1&b=2&metrics=cycle%2Cnode%3Areview%3Aqueue%3Aworking');
  });

  it('read the figures, the node figures and a comparison from their routes', async () => {
    // given a client whose server answers JSON
    const f = fakeFetch(() => ({ status: 200, text: '{"flowKey":"sme-loan"}', type: 'application/json' }));
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when each is asked for
    await api.getFlowHealth('sme-loan', { versions: [2] });
    await api.getNodeHealth('sme loan');
    await api.compareHealth('sme-loan', { by: 'branchId', b: ['B01'] });
    // then the paths and the key are right
    expect(f.calls.map((c) => c.url)).toEqual(['/api/flows/sme-loan/health?version=2', '/api/flows/sme%20loan/health/nodes', '/api/flows/sme-loan/health/compare?by=branchId&b=B01']);
    expect(f.calls[0]?.headers.Authorization).toBe('Bearer k');
  });

  it('download CSV as text, and report a refused parameter as the server\'s problem', async () => {
    // given a server that answers CSV, and a 400 for a bad groupBy
    const f = fakeFetch((url) =>
      url.includes('groupBy=nope')
        ? { status: 400, text: JSON.stringify({ type: 'about:blank', title: 'Bad request', status: 400, code: 'health.group-by.unknown' }), type: 'application/problem+json' }
        : { status: 200, text: 'figure,value\r\nstarted,120\r\n', type: 'text/csv' },
    );
    const api = createApiClient({ getKey: () => 'k', fetch: f.fetch });
    // when
    const csv = await api.healthCsv('sme-loan', 'nodes', { from: '2026-01-01' });
    const refused = await api.healthCsv('sme-loan', 'health', { groupBy: 'nope' }).catch((e: unknown) => e);
    // then
    expect(f.calls[0]?.url).toBe('/api/flows/sme-loan/health/nodes?from=2026-01-01');
    expect(f.calls[0]?.headers.Accept).toMatch(/^text\/csv/);
    expect(csv).toBe('figure,value\r\nstarted,120\r\n');
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).problem.code).toBe('health.group-by.unknown');
  });
});
