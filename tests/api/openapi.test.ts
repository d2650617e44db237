/**
 * The OpenAPI document: valid OpenAPI 3.1 (checked with swagger-parser), every route the app
 * serves is in it and nothing else, and real responses match the schemas it documents.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createValidators, pathPattern, schemaErrors } from '@flowpath/runtime-api';
import { documentsFlow, reviewFlow, serviceFlow } from '../helpers/flows';
import { startServer, type ApiResponse, type Json, type KeyName, type TestServer } from '../helpers/server';

let s: TestServer;
let doc: Json;

beforeAll(async () => {
  s = await startServer({ flows: [reviewFlow(), documentsFlow(), serviceFlow()] });
  doc = (await s.request('GET', '/api/openapi.json')).body;
});
afterAll(async () => {
  await s.close();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path/{param}` of every route Express has mounted. */
function expressRoutes(): string[] {
  const stack = (s.app as unknown as { router: { stack: Layer[] } }).router.stack;
  const out: string[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out;
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
}

test('is served without a key and is a valid OpenAPI 3.1 document', async () => {
  expect(doc.openapi).toBe('3.1.0');
  await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
});

test('every API route the app serves is documented, and every documented route is served', () => {
  const served = expressRoutes().filter((r) => r.split(' ')[1]!.startsWith('/api'));
  expect(served.length).toBeGreaterThan(30);
  expect([...served].sort()).toEqual([...documentedRoutes()].sort());
});

test('the paths issue 3 promises are all there', () => {
  const routes = new Set(documentedRoutes());
  for (const r of [
    'GET /api/flows',
    'POST /api/flows',
    'GET /api/flows/{key}/draft',
    'PUT /api/flows/{key}/draft',
    'POST /api/flows/{key}/validate',
    'POST /api/flows/{key}/versions',
    'GET /api/flows/{key}/versions',
    'GET /api/flows/{key}/versions/{version}',
    'GET /api/flows/{key}/diff',
    'GET /api/flows/{key}/release-policy',
    'PUT /api/flows/{key}/release-policy',
    'POST /api/cases',
    'GET /api/cases/{id}',
    'GET /api/cases',
    'POST /api/cases/{id}/messages',
    'POST /api/cases/{id}/cancel',
    'GET /api/tasks',
    'POST /api/tasks/{id}/claim',
    'POST /api/tasks/{id}/release',
    'POST /api/tasks/{id}/complete',
    'POST /api/tasks/{id}/reassign',
    'GET /api/cases/{id}/audit',
    'GET /api/cases/{id}/audit/verify',
    'GET /api/health',
    'GET /api/openapi.json',
  ]) {
    expect(routes.has(r), r).toBe(true);
  }
});

test('every operation has a unique id, a summary, its roles and its problem responses', () => {
  const ids = new Set<string>();
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [m, op] of Object.entries(ops)) {
      const where = `${m} ${p}`;
      expect(ids.has(op.operationId), where).toBe(false);
      ids.add(op.operationId);
      expect(op.summary, where).toEqual(expect.any(String));
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (!isPublic) {
        expect(op['x-roles'], where).toEqual(expect.any(Array));
        expect(op.responses['401'], where).toBeDefined();
        expect(op.responses['403'], where).toBeDefined();
      }
      if (op.requestBody) {
        for (const status of ['400', '413', '415']) expect(op.responses[status], `${where} ${status}`).toBeDefined();
      }
    }
  }
});

describe('responses match their documented schemas', () => {
  const validators = () => createValidators(doc.components.schemas);
  const cache = new Map<string, (v: unknown) => string[]>();

  /** The validator of the documented response for a concrete request. */
  function checker(method: string, path: string, status: number): (v: unknown) => string[] {
    const template = Object.keys(doc.paths).find((p) => pathPattern(p).test(path.split('?')[0]!) && doc.paths[p][method.toLowerCase()]);
    expect(template, `${method} ${path} is documented`).toBeDefined();
    const op = doc.paths[template as string][method.toLowerCase()];
    const res = op.responses[String(status)];
    expect(res, `${method} ${template} documents ${status}`).toBeDefined();
    const ref: string | undefined = res.$ref;
    const schema = ref ? doc.components.responses[ref.split('/').at(-1)!].content['application/problem+json'].schema : res.content?.['application/json']?.schema;
    const key = `${method} ${template} ${status}`;
    let check = cache.get(key);
    if (!check) {
      const v = validators().compile(schema ?? {});
      check = (value) => (v(value) ? [] : schemaErrors(v.errors).map((e) => `${e.path} ${e.message}`));
      cache.set(key, check);
    }
    return check;
  }

  async function call(method: string, path: string, as: KeyName | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const res = await s.request(method, path, { ...(as ? { as } : {}), ...(body !== undefined ? { body } : {}), headers });
    expect(checker(method, path, res.status)(res.body), `${method} ${path} → ${res.status}`).toEqual([]);
    return res;
  }

  test('a walk through the API', async () => {
    await call('GET', '/api/health', undefined);
    await call('GET', '/api/me', 'operator');
    await call('GET', '/api/connectors', 'analyst');
    await call('GET', '/api/flows', 'analyst');
    await call('POST', '/api/flows', 'analyst', { definition: { ...reviewFlow(), key: 'walk' } });
    const draft = await call('GET', '/api/flows/walk/draft', 'analyst');
    await call('PUT', '/api/flows/walk/draft', 'analyst', { definition: draft.body.definition }, { 'if-match': '"1"' });
    await call('POST', '/api/flows/walk/validate', 'analyst');
    await call('POST', '/api/flows/walk/versions', 'owner', { note: 'first' });
    await call('GET', '/api/flows/walk/versions', 'owner');
    await call('GET', '/api/flows/walk/versions/1', 'owner');
    await call('GET', '/api/flows/walk/diff?from=1&to=draft', 'owner');
    await call('GET', '/api/flows/walk/release-policy', 'owner');
    await call('PUT', '/api/flows/walk/release-policy', 'owner', { defaultVersion: 1, pilots: [{ id: 'p1', when: { '==': [{ var: 'branchId' }, 'X'] }, version: 1 }], split: null });
    await call('GET', '/api/flows/walk/audit', 'auditor');

    const started = await call('POST', '/api/cases', 'app', { flow: 'test-review', data: { customerId: 'OA-1', amount: 3, idNumber: '310101199001011234' } });
    const caseId = started.body.id as string;
    const taskId = started.body.tasks[0].id as string;
    await call('GET', `/api/cases/${caseId}`, 'analyst');
    await call('GET', '/api/cases?flow=test-review', 'auditor');
    await call('GET', `/api/cases/${caseId}/timers`, 'app');
    await call('GET', `/api/cases/${caseId}/events`, 'app');
    await call('GET', '/api/tasks', 'operator');
    await call('GET', `/api/tasks/${taskId}`, 'operator');
    await call('POST', `/api/tasks/${taskId}/claim`, 'operator');
    await call('POST', `/api/tasks/${taskId}/release`, 'operator');
    await call('POST', `/api/tasks/${taskId}/reassign`, 'operator', { assignee: 'operator' });
    await call('POST', `/api/tasks/${taskId}/complete`, 'operator', { data: { decision: 'approve' } });
    await call('GET', `/api/cases/${caseId}/audit`, 'auditor');
    await call('GET', `/api/cases/${caseId}/audit/verify`, 'auditor');

    const docs = await call('POST', '/api/cases', 'app', { flow: 'test-documents', data: { customerId: 'OA-2' } });
    await call('POST', `/api/cases/${docs.body.id}/messages`, 'app', { name: 'documents.received', data: { documentCount: 1 } });
    await call('POST', `/api/cases/${docs.body.id}/cancel`, 'app', { reason: 'test' });

    const svc = await call('POST', '/api/cases', 'app', { flow: 'test-service', data: { customerId: 'OA-3', idNumber: '1' } });
    await s.settle();
    await call('GET', `/api/cases/${svc.body.id}/events`, 'auditor');

    await call('PUT', '/api/lists/walk-list', 'owner', { kind: 'other', entries: ['a'] });
    await call('POST', '/api/lists/walk-list/entries', 'owner', { values: ['b'] });
    await call('DELETE', '/api/lists/walk-list/entries', 'owner', { values: ['a'] });
    await call('GET', '/api/lists', 'owner');
    await call('GET', '/api/lists/walk-list', 'owner');
    await call('GET', '/api/calendars', 'owner');
    const cn = await call('GET', '/api/calendars/cn-mainland', 'owner');
    await call('PUT', '/api/calendars/walk-cal', 'owner', { ...cn.body.calendar, id: 'walk-cal' });

    // Problems, too.
    await call('GET', '/api/cases/nope', 'auditor');
    await call('POST', '/api/cases', 'app', { flow: 'test-review', data: { customerId: 'x', amount: -1 } });
    await call('GET', '/api/tasks', undefined);
  });
});
