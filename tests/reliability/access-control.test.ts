/**
 * Access control against the real server: every route of the OpenAPI document × every role,
 * no key and a wrong key, checked against the table below that states who may do what (a route
 * without a row fails the test, so a new route cannot ship without a decision). Allowed calls
 * are made so that they succeed (2xx); refused ones must be 403 `auth.role.missing` and change
 * nothing; missing or unknown keys are 401 everywhere but the public routes.
 * Then: an app sees only the cases it started, and personal data stays masked in every
 * response that carries case data (case, list, audit, events, message answers) for roles that
 * do not need it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChildServer } from './support/child-server';
import { QUEUES, documentsFlow, incidentFlow, privacyFlow, publishFlow, reliabilityKeys, reviewFlow } from './support/flows';
import { Api, type Json, type Reply } from './support/http';
import { sleep } from './support/rng';

const keys = reliabilityKeys();
let srv: ChildServer;
let api: Api;

const ROLES = ['analyst', 'owner', 'operator', 'supervisor', 'app', 'auditor', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Who = Role | 'no key' | 'wrong key';
const EVERYONE: readonly Role[] = ROLES;

beforeAll(async () => {
  srv = new ChildServer({ keys });
  api = new Api(() => srv.url, keys);
  await srv.start();
  for (const f of [reviewFlow(), documentsFlow(), incidentFlow(), privacyFlow()]) await publishFlow(api, f);
  const list = await api.call('PUT', '/api/lists/rel-acl-list', { as: 'admin', body: { kind: 'blacklist', entries: ['seed-value'] } });
  expect(list.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await srv.dispose();
});

let serial = 0;
const unique = (prefix: string): string => `${prefix}-${++serial}`;

async function must(r: Promise<Reply>, status: number): Promise<Json> {
  const res = await r;
  if (res.status !== status) throw new Error(`fixture: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
}

const newCase = async (flow: string, data: Record<string, unknown> = {}): Promise<Json> =>
  must(api.call('POST', '/api/cases', { as: 'app', body: { flow, data: { customerId: unique('acl'), ...data } } }), 201);
const newTask = async (): Promise<string> => (await newCase('rel-review')).tasks[0].id as string;
async function newIncident(): Promise<{ caseId: string; incidentId: string }> {
  const c = await newCase('rel-incident');
  for (let i = 0; i < 200; i++) {
    const v = await api.get(`/api/cases/${c.id}`, 'auditor');
    if (v.incidents.length > 0) return { caseId: c.id, incidentId: v.incidents[0].id };
    await sleep(50);
  }
  throw new Error('no incident was raised');
}
async function draftRevision(key: string): Promise<number> {
  return (await api.get(`/api/flows/${key}/draft`, 'admin')).revision as number;
}

interface Call {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Row {
  /** Who may call (admin may always; listed anyway so the table reads whole). */
  allowed: readonly Role[];
  /** Builds a request; `succeed` says whether the caller is allowed, so the request must then work. */
  prepare(who: Who, succeed: boolean): Promise<Call>;
}

/** Shared fixtures for callers who are refused: they must not be able to change them. */
let shared: { caseId: string; docsCaseId: string; taskId: string; incident: { caseId: string; incidentId: string } };

const fixed = (path: string, body?: unknown): Row['prepare'] => async () => ({ path, ...(body === undefined ? {} : { body }) });

/** THE TABLE: every route of the API and who may call it, from the roles of issue 3 (and the supervisor of issue 11, decision 0050). */
const TABLE: Record<string, Row> = {
  'GET /api/health': { allowed: EVERYONE, prepare: fixed('/api/health') },
  'GET /api/openapi.json': { allowed: EVERYONE, prepare: fixed('/api/openapi.json') },
  'GET /api/me': { allowed: EVERYONE, prepare: fixed('/api/me') },
  'GET /api/connectors': { allowed: EVERYONE, prepare: fixed('/api/connectors') },
  'GET /api/calendars': { allowed: EVERYONE, prepare: fixed('/api/calendars') },
  'GET /api/calendars/{id}': { allowed: EVERYONE, prepare: fixed('/api/calendars/cn-mainland') },
  'PUT /api/calendars/{id}': {
    allowed: ['owner', 'admin'],
    prepare: async () => {
      const id = unique('acl-cal');
      const base = (await api.get('/api/calendars/cn-mainland', 'admin')).calendar;
      return { path: `/api/calendars/${id}`, body: { ...base, id } };
    },
  },

  'GET /api/flows': { allowed: EVERYONE, prepare: fixed('/api/flows') },
  'POST /api/flows': { allowed: ['analyst', 'owner', 'admin'], prepare: async () => ({ path: '/api/flows', body: { definition: { ...reviewFlow(), key: unique('acl-flow') } } }) },
  'GET /api/flows/{key}/draft': { allowed: ['analyst', 'owner', 'auditor', 'admin'], prepare: fixed('/api/flows/rel-review/draft') },
  'PUT /api/flows/{key}/draft': {
    allowed: ['analyst', 'owner', 'admin'],
    prepare: async () => ({ path: '/api/flows/rel-review/draft', body: { definition: { ...reviewFlow(), tags: [unique('tag')] } }, headers: { 'if-match': `"${await draftRevision('rel-review')}"` } }),
  },
  'POST /api/flows/{key}/validate': { allowed: ['analyst', 'owner', 'admin'], prepare: fixed('/api/flows/rel-review/validate') },
  'POST /api/flows/{key}/versions': {
    allowed: ['owner', 'admin'],
    prepare: async (_who, succeed) => {
      if (succeed) {
        // A changed draft, so that there is something new to publish.
        const rev = await draftRevision('rel-documents');
        await must(api.call('PUT', '/api/flows/rel-documents/draft', { as: 'admin', body: { definition: { ...documentsFlow(), tags: [unique('v')] } }, headers: { 'if-match': `"${rev}"` } }), 200);
      }
      return { path: '/api/flows/rel-documents/versions', body: { note: 'access test' } };
    },
  },
  'GET /api/flows/{key}/versions': { allowed: EVERYONE, prepare: fixed('/api/flows/rel-review/versions') },
  'GET /api/flows/{key}/versions/{version}': { allowed: EVERYONE, prepare: fixed('/api/flows/rel-review/versions/1') },
  'GET /api/flows/{key}/diff': { allowed: ['analyst', 'owner', 'auditor', 'admin'], prepare: fixed('/api/flows/rel-review/diff?from=1&to=draft') },
  'GET /api/flows/{key}/release-policy': { allowed: ['analyst', 'owner', 'auditor', 'admin'], prepare: fixed('/api/flows/rel-review/release-policy') },
  'PUT /api/flows/{key}/release-policy': { allowed: ['owner', 'admin'], prepare: fixed('/api/flows/rel-review/release-policy', { defaultVersion: 1 }) },
  'GET /api/flows/{key}/audit': { allowed: ['analyst', 'owner', 'auditor', 'admin'], prepare: fixed('/api/flows/rel-review/audit') },
  'GET /api/flows/{key}/health': { allowed: ['analyst', 'owner', 'auditor', 'admin'], prepare: fixed('/api/flows/rel-review/health') },
  'GET /api/flows/{key}/health/nodes': { allowed: ['analyst', 'owner', 'auditor', 'admin'], prepare: fixed('/api/flows/rel-review/health/nodes') },
  'GET /api/flows/{key}/health/compare': { allowed: ['analyst', 'owner', 'auditor', 'admin'], prepare: fixed('/api/flows/rel-review/health/compare?by=version&a=1&b=1') },

  'POST /api/cases': { allowed: ['app', 'owner', 'admin'], prepare: async () => ({ path: '/api/cases', body: { flow: 'rel-review', data: { customerId: unique('acl-start') } } }) },
  'GET /api/cases': { allowed: EVERYONE, prepare: fixed('/api/cases') },
  'GET /api/cases/{id}': { allowed: EVERYONE, prepare: async () => ({ path: `/api/cases/${shared.caseId}` }) },
  'POST /api/cases/{id}/messages': {
    allowed: ['app', 'operator', 'supervisor', 'admin'],
    prepare: async (_who, succeed) => ({ path: `/api/cases/${succeed ? (await newCase('rel-documents')).id : shared.docsCaseId}/messages`, body: { name: 'documents.received', data: { documentCount: 1 } } }),
  },
  'POST /api/cases/{id}/cancel': {
    allowed: ['app', 'supervisor', 'admin'],
    prepare: async (_who, succeed) => ({ path: `/api/cases/${succeed ? (await newCase('rel-review')).id : shared.caseId}/cancel`, body: { reason: 'access test' } }),
  },
  'POST /api/cases/{id}/incidents/{incidentId}/retry': {
    allowed: ['operator', 'supervisor', 'admin'],
    prepare: async (_who, succeed) => {
      const i = succeed ? await newIncident() : shared.incident;
      return { path: `/api/cases/${i.caseId}/incidents/${i.incidentId}/retry` };
    },
  },
  'GET /api/cases/{id}/timers': { allowed: EVERYONE, prepare: async () => ({ path: `/api/cases/${shared.caseId}/timers` }) },
  'GET /api/cases/{id}/events': { allowed: EVERYONE, prepare: async () => ({ path: `/api/cases/${shared.caseId}/events` }) },
  'GET /api/cases/{id}/audit': { allowed: EVERYONE, prepare: async () => ({ path: `/api/cases/${shared.caseId}/audit` }) },
  'GET /api/cases/{id}/audit/verify': { allowed: ['auditor', 'owner', 'admin'], prepare: async () => ({ path: `/api/cases/${shared.caseId}/audit/verify` }) },

  'GET /api/tasks': { allowed: ['operator', 'supervisor', 'auditor', 'admin'], prepare: fixed('/api/tasks') },
  'GET /api/tasks/{id}': { allowed: ['operator', 'supervisor', 'auditor', 'admin'], prepare: async () => ({ path: `/api/tasks/${shared.taskId}` }) },
  'POST /api/tasks/{id}/claim': { allowed: ['operator', 'admin'], prepare: async (_who, succeed) => ({ path: `/api/tasks/${succeed ? await newTask() : shared.taskId}/claim` }) },
  'POST /api/tasks/{id}/release': {
    allowed: ['operator', 'admin'],
    prepare: async (who, succeed) => {
      if (!succeed) return { path: `/api/tasks/${shared.taskId}/release` };
      const id = await newTask();
      await must(api.call('POST', `/api/tasks/${id}/claim`, { as: who }), 200);
      return { path: `/api/tasks/${id}/release` };
    },
  },
  'POST /api/tasks/{id}/complete': {
    allowed: ['operator', 'admin'],
    prepare: async (_who, succeed) => ({ path: `/api/tasks/${succeed ? await newTask() : shared.taskId}/complete`, body: { data: { decision: 'approve' } } }),
  },
  'POST /api/tasks/{id}/reassign': {
    allowed: ['operator', 'supervisor', 'admin'],
    prepare: async (_who, succeed) => ({ path: `/api/tasks/${succeed ? await newTask() : shared.taskId}/reassign`, body: { queue: QUEUES.ops, reason: 'access test' } }),
  },
  'GET /api/queues/{queue}/operators': { allowed: ['operator', 'supervisor', 'admin'], prepare: fixed(`/api/queues/${QUEUES.review}/operators`) },

  'GET /api/lists': { allowed: ['analyst', 'owner', 'operator', 'auditor', 'admin'], prepare: fixed('/api/lists') },
  'GET /api/lists/{name}': { allowed: ['analyst', 'owner', 'operator', 'auditor', 'admin'], prepare: fixed('/api/lists/rel-acl-list') },
  'PUT /api/lists/{name}': { allowed: ['owner', 'admin'], prepare: fixed('/api/lists/rel-acl-list', { kind: 'blacklist', entries: ['seed-value', 'other'] }) },
  'POST /api/lists/{name}/entries': { allowed: ['owner', 'admin'], prepare: fixed('/api/lists/rel-acl-list/entries', { values: ['added'] }) },
  'DELETE /api/lists/{name}/entries': { allowed: ['owner', 'admin'], prepare: fixed('/api/lists/rel-acl-list/entries', { values: ['added'] }) },
};

const PUBLIC = new Set(['GET /api/health', 'GET /api/openapi.json']);

describe('access control matrix', () => {
  let operations: { op: string; xRoles: string[] | undefined; security: unknown }[];

  beforeAll(async () => {
    const doc = await api.get('/api/openapi.json', 'admin');
    operations = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ op: `${method.toUpperCase()} ${path}`, xRoles: op['x-roles'] as string[] | undefined, security: op.security })),
    );
    shared = { caseId: (await newCase('rel-review')).id, docsCaseId: (await newCase('rel-documents')).id, taskId: '', incident: await newIncident() };
    shared.taskId = (await api.get(`/api/cases/${shared.caseId}`, 'admin')).tasks[0].id;
  }, 60_000);

  test('the table has a row for every route of the OpenAPI document, and no row for a route that is gone', () => {
    const documented = operations.map((o) => o.op).sort();
    expect(documented.filter((op) => !(op in TABLE)), 'routes without a row in TABLE: decide who may call them').toEqual([]);
    expect(Object.keys(TABLE).filter((op) => !documented.includes(op)), 'rows for routes the API no longer has').toEqual([]);
  });

  test('the document states the same roles as the table (x-roles, admin implied; public routes need no key)', () => {
    for (const o of operations) {
      const row = TABLE[o.op];
      if (!row) continue;
      if (PUBLIC.has(o.op)) {
        expect({ op: o.op, security: o.security }).toEqual({ op: o.op, security: [] });
      } else {
        expect({ op: o.op, roles: [...new Set([...(o.xRoles ?? []), 'admin'])].sort() }).toEqual({ op: o.op, roles: [...row.allowed].sort() });
      }
    }
  });

  test('every route × every role, no key and a wrong key', async () => {
    const before = await sharedState();
    const mismatches: string[] = [];
    let calls = 0;
    for (const [op, row] of Object.entries(TABLE)) {
      const [method, template] = op.split(' ') as [string, string];
      for (const who of [...ROLES, 'no key', 'wrong key'] as Who[]) {
        const isPublic = PUBLIC.has(op);
        const allowed = isPublic || (who !== 'no key' && who !== 'wrong key' && row.allowed.includes(who));
        const call = await row.prepare(who, allowed);
        const auth = who === 'no key' ? {} : who === 'wrong key' ? { authorization: 'Bearer rel-not-a-key-0123456789abcdef' } : { as: who };
        const r = await api.call(method, call.path, { ...auth, ...(call.body === undefined ? {} : { body: call.body }), ...(call.headers ? { headers: call.headers } : {}) });
        calls += 1;
        const got = r.status < 300 ? 'allowed' : r.status === 401 && r.body?.code === 'auth.required' ? '401' : r.status === 403 && r.body?.code === 'auth.role.missing' ? '403' : `${r.status} ${String(r.body?.code)}`;
        const want = allowed ? 'allowed' : who === 'no key' || who === 'wrong key' ? '401' : '403';
        if (got !== want) mismatches.push(`${op} as ${who} (${template}): expected ${want}, got ${got}`);
      }
    }
    process.stdout.write(`[access] ${Object.keys(TABLE).length} routes × ${ROLES.length + 2} callers = ${calls} calls\n`);
    expect(mismatches).toEqual([]);
    // What refused callers aimed at is as it was.
    expect(await sharedState()).toEqual(before);
  }, 180_000);
});

async function sharedState(): Promise<Json> {
  const c = await api.get(`/api/cases/${shared.caseId}`, 'auditor');
  const d = await api.get(`/api/cases/${shared.docsCaseId}`, 'auditor');
  const task = await api.get(`/api/tasks/${shared.taskId}`, 'auditor');
  const i = await api.get(`/api/cases/${shared.incident.caseId}`, 'auditor');
  return { c: [c.status, c.waitingAt, c.history.length], d: [d.status, d.waitingAt, d.history.length], task: [task.status, task.queue, task.assignee], i: [i.incidents, i.history.length] };
}

describe('an app sees only the cases it started', () => {
  test('every case route answers another app 404 (or 403 by role), and its lists leave the case out', async () => {
    const c = await newCase('rel-documents', {});
    const doc = await api.get('/api/openapi.json', 'admin');
    const caseRoutes = Object.entries(doc.paths as Record<string, Record<string, Json>>)
      .filter(([path]) => path.startsWith('/api/cases/{id}'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, roles: op['x-roles'] as string[] })));
    expect(caseRoutes.length).toBeGreaterThanOrEqual(7);
    for (const r of caseRoutes) {
      const path = r.path.replace('{id}', c.id).replace('{incidentId}', 'x');
      const body = r.path.endsWith('/messages') ? { name: 'documents.received' } : r.method === 'POST' ? {} : undefined;
      const res = await api.call(r.method, path, { as: 'app2', ...(body === undefined ? {} : { body }) });
      const want = r.roles.includes('app') ? 404 : 403;
      expect({ route: `${r.method} ${r.path}`, status: res.status, code: res.body?.code }).toEqual({ route: `${r.method} ${r.path}`, status: want, code: want === 404 ? 'case.not-found' : 'auth.role.missing' });
    }
    const mine = await api.all('/api/cases', 'app2');
    expect(mine.filter((x) => x.id === c.id)).toEqual([]);
    expect(await api.all(`/api/cases?customerRef=${encodeURIComponent(c.customerRef)}`, 'app2')).toEqual([]);
    expect((await api.all(`/api/cases?customerRef=${encodeURIComponent(c.customerRef)}`, 'app')).map((x) => x.id)).toEqual([c.id]);
    // The case is untouched by all of that.
    expect((await api.get(`/api/cases/${c.id}`, 'auditor')).waitingAt).toEqual(['wait-docs']);
  });
});

describe('masked fields stay masked in every response that carries case data', () => {
  const SECRETS = { customerId: 'CUST-SECRET-20260001', idNumber: '310101199001019999', name: '王秘密', mobile: '13912345678' };

  test('for analyst, owner and an operator or supervisor of another queue; visible to admin, auditor, the app that started it and the operator and supervisor of its queue', async () => {
    const started = await api.call('POST', '/api/cases', {
      as: 'app',
      body: { flow: 'rel-privacy', data: { customerId: SECRETS.customerId, idNumber: SECRETS.idNumber, applicant: { name: SECRETS.name, city: 'Shanghai' } } },
    });
    expect(started.status, started.text).toBe(201);
    const id = started.body.id as string;
    for (let i = 0; i < 200; i++) {
      if ((await api.get(`/api/cases/${id}`, 'auditor')).waitingAt.includes('docs')) break;
      await sleep(50);
    }
    // An operator of another queue sends the documents message: its answer carries the case.
    const message = await api.call('POST', `/api/cases/${id}/messages`, { as: 'outsider', body: { name: 'documents.received', data: { note: 'scanned' } } });
    expect(message.status, message.text).toBe(200);
    const taskId = message.body.tasks[0].id as string;
    const completed = await api.call('POST', `/api/tasks/${taskId}/complete`, { as: 'operator', body: { data: { mobile: SECRETS.mobile, decision: 'approve' } } });
    expect(completed.status, completed.text).toBe(200);

    const responses = async (who: string): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const path of [`/api/cases/${id}`, `/api/cases?flow=rel-privacy`, `/api/cases/${id}/audit`, `/api/cases/${id}/events`, `/api/cases/${id}/timers`, `/api/tasks?caseId=${id}&status=completed`]) {
        const r = await api.call('GET', path, { as: who });
        if (r.status === 200) out[path] = r.text;
        else expect(r.status, `${who} ${path}`).toBe(403);
      }
      return out;
    };
    const leaks = (texts: Record<string, string>): string[] =>
      Object.entries(texts).flatMap(([path, text]) => Object.entries(SECRETS).filter(([, v]) => text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1))).map(([k]) => `${k} in ${path}`));

    const found: Record<string, string[]> = {};
    for (const who of ['analyst', 'owner', 'outsider', 'outside-supervisor']) found[who] = leaks(await responses(who));
    found['outsider (message answer)'] = leaks({ 'POST messages': message.text });
    expect(found).toEqual({ analyst: [], owner: [], outsider: [], 'outside-supervisor': [], 'outsider (message answer)': [] });

    // The same responses do carry the values for those who need them, so the check above can fail.
    for (const who of ['admin', 'auditor', 'app', 'operator', 'supervisor']) {
      const seen = leaks(await responses(who));
      for (const k of Object.keys(SECRETS)) expect(seen, `${who} should see ${k}`).toContain(`${k} in /api/cases/${id}/audit`);
    }
  }, 60_000);
});
