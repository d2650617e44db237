/**
 * What every route shares: authentication, problem+json for every kind of bad request (never a
 * 500 or a stack trace for bad input), unknown routes and methods, body limits, the designer's
 * static files and the health endpoint.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp, type RouteSpec } from '@flowpath/runtime-api';
import { reviewFlow } from '../helpers/flows';
import { KEYS, expectProblem, startServer, type TestServer } from '../helpers/server';
import { apiTestsOnPostgres } from '../store/api-store';

let s: TestServer;

beforeEach(async () => {
  s = await startServer({ flows: [reviewFlow()], bodyLimitBytes: 4096 });
});
afterEach(async () => {
  await s.close();
});

describe('authentication', () => {
  test('401 without a key, with an unknown key or another scheme, with a WWW-Authenticate challenge', async () => {
    for (const authorization of [undefined, 'Bearer not-a-key', 'Basic YWRtaW46YWRtaW4=', 'Bearer']) {
      const res = await s.request('GET', '/api/flows', authorization === undefined ? {} : { authorization });
      expectProblem(res, 401, 'auth.required');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  test('401 comes before validation: an unauthenticated bad request learns nothing about the schema', async () => {
    expectProblem(await s.request('POST', '/api/cases', { raw: '{bad' }), 401, 'auth.required');
  });

  test('403 names the roles needed and the key', async () => {
    const res = await s.request('PUT', '/api/flows/test-review/release-policy', { as: 'analyst', body: { defaultVersion: 1 } });
    expectProblem(res, 403, 'auth.role.missing');
    expect(res.body.detail).toContain('owner');
    expect(res.body.detail).toContain('analyst');
  });

  test('GET /api/me tells a key its roles and queues', async () => {
    const res = await s.request('GET', '/api/me', { as: 'operator' });
    expect(res.body).toEqual({ name: 'operator', roles: ['operator'], queues: KEYS.operator.queues });
  });
});

describe('malformed requests', () => {
  const post = (raw: string | Buffer, contentType = 'application/json') => s.request('POST', '/api/cases', { as: 'app', raw, contentType });

  test('400 for JSON that does not parse', async () => {
    expectProblem(await post('{"flow": "test-review", "data": {'), 400, 'request.body.malformed');
    expectProblem(await post('nul'), 400, 'request.body.malformed');
  });

  test('400 for a body that is not valid UTF-8', async () => {
    expectProblem(await post(Buffer.from([0x7b, 0x22, 0x66, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), 400, 'request.body.encoding');
  });

  test('400 for a __proto__ key anywhere in the body', async () => {
    const res = await post('{"flow":"test-review","data":{"customerId":"x","amount":1,"__proto__":{"admin":true}}}');
    expectProblem(res, 400, 'request.body.key.forbidden');
    // Spelled with escapes it is the same key.
    expectProblem(await post('{"flow":"test-review","data":{"customerId":"x","amount":1,"\\u005f_proto__":{"admin":true}}}'), 400, 'request.body.key.forbidden');
    expect((await s.request('GET', '/api/cases', { as: 'app' })).body.items).toEqual([]);
  });

  test('400 for U+0000 in any text, which neither store keeps (issue 8: PostgreSQL refused it with a 500)', async () => {
    expectProblem(await post('{"flow":"test-review","data":{"customerId":"C\\u0000","amount":1}}'), 400, 'request.body.nul-character');
    expectProblem(await post('{"flow":"test-review","data":{"customerId":"C","amount":1,"k\\u0000":1}}'), 400, 'request.body.nul-character');
    expect((await s.request('GET', '/api/cases', { as: 'app' })).body.items).toEqual([]);
  });

  test('400 for nesting deeper than 64 levels', async () => {
    const deep = `{"flow":"test-review","data":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}`;
    expectProblem(await post(deep), 400, 'request.body.too-deep');
  });

  test('400 for a required body that is missing', async () => {
    expectProblem(await s.request('POST', '/api/cases', { as: 'app' }), 400, 'request.body.missing');
  });

  test('415 for a body that is not JSON, or not UTF-8 JSON', async () => {
    expectProblem(await post('flow=test-review', 'application/x-www-form-urlencoded'), 415, 'request.content-type.unsupported');
    expectProblem(await post('{}', 'text/plain'), 415, 'request.content-type.unsupported');
    expectProblem(await post('{}', 'application/json; charset=latin1'), 415, 'request.charset.unsupported');
    const ok = await post(JSON.stringify({ flow: 'test-review', data: { customerId: 'x', amount: 1 } }), 'application/json; charset=utf-8');
    expect(ok.status).toBe(201);
  });

  test('413 for a body over the limit, before it is parsed', async () => {
    const big = JSON.stringify({ flow: 'test-review', data: { customerId: 'x', amount: 1, comment: 'x'.repeat(5000) } });
    const res = await post(big);
    expectProblem(res, 413, 'request.body.too-large');
    expect(res.body.limit).toBe(4096);
  });

  test('odd bodies on every write route never get a 500; refusals are problem+json', async () => {
    const bodies = ['[]', '"text"', '123', 'null', '{"data": []}', '{"definition": "x"}', '{"values": [{}]}', '{"name": 5}', JSON.stringify({ data: { a: 'x'.repeat(3000) } })];
    const routes = (s.app.routes as readonly RouteSpec[]).filter((r) => r.method !== 'get');
    for (const r of routes) {
      const path = r.path.replace(/\{(\w+)\}/g, (_m, p: string) => (p === 'key' ? 'test-review' : p === 'version' ? '1' : 'x'));
      for (const raw of bodies) {
        const res = await s.request(r.method.toUpperCase(), path, { as: 'admin', raw, headers: { 'if-match': '"1"' } });
        // (A draft may be saved incomplete, so some of these are accepted as drafts.)
        expect(res.status, `${r.method} ${path} ${raw.slice(0, 30)} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        else expect(r.path).toMatch(/^\/api\/flows/);
      }
    }
  });
});

describe('routes', () => {
  test('404 problem for an unknown API route, 405 with Allow for a wrong method', async () => {
    expectProblem(await s.request('GET', '/api/nothing-here', { as: 'admin' }), 404, 'route.not-found');
    const res = await s.request('DELETE', '/api/flows/test-review/draft', { as: 'admin' });
    expectProblem(res, 405, 'route.method.not-allowed');
    expect(res.headers.get('allow')).toBe('GET, PUT');
  });

  test('health is public and reports the store, due timers and the outbox', async () => {
    const res = await s.request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: { kind: apiTestsOnPostgres ? 'postgres' : 'sqlite', ok: true }, timers: { due: 0 }, outbox: { pending: 0 } });
  });

  test('API responses are not cached, carry a request id, and echo a caller-supplied one', async () => {
    const res = await s.request('GET', '/api/flows', { as: 'admin', headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    const problem = await s.request('GET', '/api/cases/nope', { as: 'admin', headers: { 'x-request-id': 'trace-456' } });
    expect(problem.body.requestId).toBe('trace-456');
  });
});

describe('the designer', () => {
  let dist: string;
  let server: Server;
  let url: string;

  beforeEach(async () => {
    dist = mkdtempSync(join(tmpdir(), 'flowpath-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Flowpath designer</title>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const app = createApp({ runtime: s.rt, apiKeys: Object.values(KEYS), designerDist: dist });
    server = await new Promise((ok) => {
      const x = app.listen(0, '127.0.0.1', () => ok(x));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((ok) => server.close(ok));
    rmSync(dist, { recursive: true, force: true });
  });

  test('is served at /, its assets as files, and any other page path falls back to index.html', async () => {
    const root = await fetch(`${url}/`);
    expect(await root.text()).toContain('Flowpath designer');
    expect(await (await fetch(`${url}/assets/app.js`)).text()).toBe('console.log(1)');
    const deep = await fetch(`${url}/flows/test-review/edit`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('Flowpath designer');
  });

  test('does not swallow unknown API routes', async () => {
    const res = await fetch(`${url}/api/nothing`, { headers: { authorization: `Bearer ${KEYS.admin.key}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
