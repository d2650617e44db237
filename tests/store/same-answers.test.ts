/**
 * The API gives the same answers on both stores: one script of requests (start, replay, work list,
 * claim and complete races, bad data, SLA timers, audit, drafts, paging) runs against a server on
 * SQLite and one on PostgreSQL with the same manual clock, and the two transcripts — status and
 * body of every response — must be equal byte for byte once the random ids are numbered.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import {
  createApp,
  createManualClock,
  defaultConnectors,
  dropPgSchema,
  FlowpathRuntime,
  loadFlows,
  openPgStore,
  openSqliteStore,
  type Store,
} from '@flowpath/runtime-api';
import { fourEyesFlow, reviewFlow } from '../helpers/flows';
import { KEYS } from '../helpers/server';
import { describePostgres, freshSchemaName, TEST_DATABASE_URL } from './harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

type KeyName = keyof typeof KEYS;

/** Runs the script against one store and returns its transcript. */
async function transcript(store: Store): Promise<string[]> {
  const clock = createManualClock();
  const rt = new FlowpathRuntime({ store, clock, connectors: defaultConnectors({ webhookSandbox: true }) });
  const loaded = await loadFlows(rt, [reviewFlow(), fourEyesFlow()]);
  expect(loaded.draftsOnly).toEqual([]);
  const app = createApp({ runtime: rt, apiKeys: Object.values(KEYS) });
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  cleanups.push(
    () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lines: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const req = async (label: string, method: string, path: string, as: KeyName, body?: unknown, headers: Record<string, string> = {}): Promise<any> => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${KEYS[as].key}`, 'x-request-id': `req-${lines.length}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    lines.push(`${label}: ${res.status} ${res.headers.get('idempotent-replayed') ?? ''} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const data = (customerId: string, segment = 'standard') => ({ customerId, amount: 1000, segment, idNumber: '310101199001011234', applicant: { name: '张三', mobile: '13800000000', city: '上海' } });

  const a = await req('start A', 'POST', '/api/cases', 'app', { flow: 'test-review', data: data('A') }, { 'Idempotency-Key': 'k-a' });
  await req('replay A', 'POST', '/api/cases', 'app', { flow: 'test-review', data: data('A') }, { 'Idempotency-Key': 'k-a' });
  await req('reuse key', 'POST', '/api/cases', 'app', { flow: 'test-review', data: data('other') }, { 'Idempotency-Key': 'k-a' });
  clock.advance('PT1M');
  const b = await req('start B vip', 'POST', '/api/cases', 'app', { flow: 'test-review', data: data('B', 'vip') });
  clock.advance('PT1M');
  await req('start C', 'POST', '/api/cases', 'app', { flow: 'test-review', data: data('C') });
  clock.advance('PT1M');
  await req('start four eyes', 'POST', '/api/cases', 'app', { flow: 'test-four-eyes', data: { customerId: 'D', amount: 5 } });
  await req('bad start', 'POST', '/api/cases', 'app', { flow: 'test-review', data: { amount: -1 } });
  await req('unknown flow', 'POST', '/api/cases', 'app', { flow: 'nope', data: {} });

  const list1 = await req('cases page 1', 'GET', '/api/cases?limit=2', 'admin');
  await req('cases page 2', 'GET', `/api/cases?limit=2&cursor=${encodeURIComponent(list1.nextCursor)}`, 'admin');
  await req('cases by customer', 'GET', '/api/cases?customerRef=B', 'admin');
  await req('work list', 'GET', '/api/tasks', 'operator');
  const tasks = await req('work list page', 'GET', '/api/tasks?limit=1', 'operator');
  await req('work list page 2', 'GET', `/api/tasks?limit=1&cursor=${encodeURIComponent(tasks.nextCursor)}`, 'operator');

  const taskA = a.tasks[0].id as string;
  await req('claim A', 'POST', `/api/tasks/${taskA}/claim`, 'operator');
  await req('claim A again', 'POST', `/api/tasks/${taskA}/claim`, 'operator2');
  await req('complete A by other', 'POST', `/api/tasks/${taskA}/complete`, 'operator2', { data: { decision: 'approve' } });
  await req('complete A bad data', 'POST', `/api/tasks/${taskA}/complete`, 'operator', { data: { decision: 'maybe', comment: 'x'.repeat(300) } });
  await req('complete A', 'POST', `/api/tasks/${taskA}/complete`, 'operator', { data: { decision: 'approve', comment: '同意' } }, { 'Idempotency-Key': 'c-a' });
  await req('complete A replay', 'POST', `/api/tasks/${taskA}/complete`, 'operator', { data: { decision: 'approve', comment: '同意' } }, { 'Idempotency-Key': 'c-a' });
  await req('complete A twice', 'POST', `/api/tasks/${taskA}/complete`, 'operator2', { data: { decision: 'reject' } });
  await req('case A as analyst (masked)', 'GET', `/api/cases/${a.id}`, 'analyst');
  await req('case A as auditor', 'GET', `/api/cases/${a.id}`, 'auditor');

  clock.advance('PT5H');
  await rt.settle();
  await req('case B after breach', 'GET', `/api/cases/${b.id}`, 'auditor');
  await req('timers of B', 'GET', `/api/cases/${b.id}/timers`, 'auditor');
  await req('events of A', 'GET', `/api/cases/${a.id}/events`, 'auditor');
  await req('audit of B', 'GET', `/api/cases/${b.id}/audit`, 'auditor');
  await req('verify B', 'GET', `/api/cases/${b.id}/audit/verify`, 'auditor');
  await req('senior work list', 'GET', '/api/tasks', 'senior');
  await req('breached cases', 'GET', '/api/cases?breached=true', 'admin');
  await req('cancel C', 'POST', `/api/cases/${(await req('find C', 'GET', '/api/cases?customerRef=C', 'admin')).items[0].id}/cancel`, 'admin', { reason: 'customer withdrew' });

  const draft = await req('draft', 'GET', '/api/flows/test-review/draft', 'analyst');
  await req('save draft', 'PUT', '/api/flows/test-review/draft', 'analyst', { ...draft.definition, description: { en: 'edited', 'zh-CN': '已编辑' } }, { 'If-Match': `"${draft.revision}"` });
  await req('save stale draft', 'PUT', '/api/flows/test-review/draft', 'analyst2', draft.definition, { 'If-Match': `"${draft.revision}"` });
  await req('flows', 'GET', '/api/flows', 'analyst');
  await req('versions', 'GET', '/api/flows/test-review/versions', 'analyst');

  // Random ids (cases, tasks, outbox rows) and the hashes that cover them are numbered by first appearance.
  const numbered = new Map<string, string>();
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{64}\b/g;
  return lines.map((l) =>
    // Paging cursors carry an id too: show them decoded so the id inside is numbered as well.
    l.replace(/"nextCursor":"([^"]+)"/g, (_m, c: string) => `"nextCursor":${JSON.stringify(Buffer.from(c, 'base64url').toString('utf8'))}`).replace(uuid, (m) => {
      let n = numbered.get(m);
      if (!n) numbered.set(m, (n = `<${m.length === 64 ? 'hash' : 'id'}-${numbered.size + 1}>`));
      return n;
    }),
  );
}

describePostgres('the API answers the same on SQLite and on PostgreSQL', () => {
  it('gives byte-identical responses to the same script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowpath-same-'));
    const sqlite = openSqliteStore(join(dir, 'flowpath.db'));
    const schema = freshSchemaName('fpsame');
    const pg = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 4 });
    cleanups.push(async () => {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
      await pg.close();
      await dropPgSchema({ connectionString: TEST_DATABASE_URL }, schema);
    });
    const onSqlite = await transcript(sqlite);
    const onPg = await transcript(pg);
    expect(onSqlite.length).toBe(37);
    // Sanity: the script did what it says (a replay, conflicts, a validation error, a breach).
    expect(onSqlite.filter((l) => / 409 /.test(l)).length).toBeGreaterThanOrEqual(4);
    expect(onSqlite.some((l) => l.startsWith('replay A: 201 true'))).toBe(true);
    expect(onSqlite.some((l) => l.startsWith('case B after breach: 200') && l.includes('"breached":true'))).toBe(true);
    for (let i = 0; i < onSqlite.length; i++) expect(onPg[i]).toBe(onSqlite[i]);
    expect(onPg.length).toBe(onSqlite.length);
  });
});
