/**
 * The deferred facts projector of the embedded store (decision 0073): steps only append to the
 * journal; the projector folds what they committed into the facts rows shortly after, in batches,
 * from a position kept in the database. Its promises: rows appear without anyone asking, several
 * steps of a case folded at once equal a full recomputation, a process killed before its projector
 * ran loses nothing, and a database upgraded from folding in each step does not read its journal
 * again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { caseFacts, cnMainlandCalendar, type AuditRecord } from '@flowpath/engine';
import { FlowpathRuntime, auditRecordOf, caseStream, createManualClock, loadFlows, openSqliteStore, sqliteMigrations, type SqliteStore, type Store, type StoreTx } from '@flowpath/runtime-api';
import { startServer, type TestServer } from '../helpers/server';
import { healthFlow } from './flows';
import { bj } from './history';

const FLOW = healthFlow();
const APP = { id: 'app', roles: ['app'] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function server(delayMs: number, dir?: string): Promise<TestServer> {
  const s = await startServer({ flows: [FLOW], clock: createManualClock(bj('2026-03-02T09:00:00')), sqliteFile: true, healthProjectionDelayMs: delayMs, ...(dir ? { dir } : {}) });
  cleanups.push(() => s.close());
  return s;
}

async function journal(store: SqliteStore, caseId: string): Promise<AuditRecord[]> {
  return (await store.listAudit(caseStream(caseId))).map(auditRecordOf).filter((r): r is AuditRecord => r !== undefined);
}

describe('the deferred facts projector', () => {
  test('folds a step into its case row shortly after it commits, with no health query', async () => {
    const s = await server(20);
    expect(s.rt.factsProjector).not.toBeNull();
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: FLOW.key, data: { customerId: 'T-1', amount: 10, branchId: 'B01' } } });
    expect(res.status).toBe(201);
    await vi.waitFor(async () => expect(await s.store.getCaseFacts(res.body.id)).toBeDefined(), { timeout: 5_000, interval: 10 });
    const row = await s.store.getCaseFacts(res.body.id);
    expect(row?.seq).toBe((await s.store.auditHead(caseStream(res.body.id)))?.seq);
    expect(row?.status).toBe('waiting');
  });

  test('several steps of several cases folded in one drain equal a recomputation from each whole journal', async () => {
    const s = await server(Infinity);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: FLOW.key, data: { customerId: `T-${i}`, amount: i % 2 ? 150000 : 20000, branchId: 'B02' } } });
      ids.push(res.body.id);
      s.clock.advance('PT20M');
      const task = res.body.tasks[0];
      if (i % 3 !== 2) expect((await s.request('POST', `/api/tasks/${task.id}/claim`, { as: 'operator' })).status).toBe(200);
      s.clock.advance('PT40M');
      if (i % 3 === 0) expect((await s.request('POST', `/api/tasks/${task.id}/release`, { as: 'operator' })).status).toBe(200);
      if (i % 3 === 1) expect((await s.request('POST', `/api/tasks/${task.id}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } })).status).toBe(200);
    }
    // Nothing folded yet: the projector runs only when asked.
    for (const id of ids) expect(await s.store.getCaseFacts(id)).toBeUndefined();
    await s.rt.factsProjector?.drain();
    for (const id of ids) {
      const row = await s.store.getCaseFacts(id);
      expect(row?.facts, id).toEqual(caseFacts(FLOW, await journal(s.store, id), cnMainlandCalendar));
      expect(row?.seq).toBe((await s.store.auditHead(caseStream(id)))?.seq);
    }
    expect((await Promise.all(ids.map((id) => s.store.getCaseFacts(id)))).map((r) => r?.status)).toEqual(['waiting', 'completed', 'waiting', 'waiting', 'completed', 'waiting']);
  });

  test('a drain whose transaction fails writes nothing, and the next one folds every case in full', async () => {
    let failAt = 0;
    let puts = 0;
    const bind = <T extends object>(target: T, key: string | symbol): unknown => {
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    };
    // The third facts row a drain writes fails, as a full disk would: the drain's transaction rolls back.
    const failing = (tx: StoreTx): StoreTx =>
      new Proxy(tx, {
        get: (t, key) => (key === 'putCaseFacts' && failAt > 0 && ++puts === failAt ? () => Promise.reject(new Error('disk full')) : bind(t, key)),
      });
    const s = await startServer({
      flows: [FLOW],
      clock: createManualClock(bj('2026-03-02T09:00:00')),
      sqliteFile: true,
      healthProjectionDelayMs: Infinity,
      wrapStore: (inner) => new Proxy(inner, { get: (t, key) => (key === 'transaction' ? <T,>(fn: (tx: StoreTx) => Promise<T>) => t.transaction((tx) => fn(failing(tx))) : bind(t, key)) }) as Store,
    });
    cleanups.push(() => s.close());
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: FLOW.key, data: { customerId: `F-${i}`, amount: 10, branchId: 'B04' } } });
      ids.push(res.body.id);
      s.clock.advance('PT10M');
      expect((await s.request('POST', `/api/tasks/${res.body.tasks[0].id}/claim`, { as: 'operator' })).status).toBe(200);
    }
    failAt = 3;
    await expect(s.rt.factsProjector?.drain()).rejects.toThrow('disk full');
    for (const id of ids) expect(await s.store.getCaseFacts(id)).toBeUndefined();
    failAt = 0;
    await s.rt.factsProjector?.drain();
    for (const id of ids) {
      const row = await s.store.getCaseFacts(id);
      expect(row?.facts, id).toEqual(caseFacts(FLOW, await journal(s.store, id), cnMainlandCalendar));
      expect(row?.seq).toBe((await s.store.auditHead(caseStream(id)))?.seq);
    }
  });

  test('a process killed before its projector ran loses nothing: the next process counts its cases in the first report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowpath-projector-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const store = openSqliteStore(join(dir, 'flowpath.db'));
    const clock = createManualClock(bj('2026-03-02T09:00:00'));
    const rt = new FlowpathRuntime({ store, clock, healthProjectionDelayMs: Infinity });
    await loadFlows(rt, [FLOW]);
    const started = await rt.transact((tx, scope) => rt.startCase(tx, scope, { flowKey: FLOW.key, data: { customerId: 'K-1', amount: 10, branchId: 'B03' }, actor: APP, createdBy: 'app' }));
    if ('rejected' in started) throw new Error(started.rejected.code);
    clock.advance('PT1H');
    const ended = await rt.transact(async (tx, scope) => {
      const c = await tx.getCase(started.record.id);
      const task = (await tx.listCaseTasks(started.record.id))[0];
      if (!c || !task) throw new Error('no task');
      return rt.stepCase(tx, scope, c, { type: 'task.completed', taskId: task.engineTaskId, data: { decision: 'approve' }, actor: { id: 'operator', roles: ['operator'] } }, 'operator');
    });
    expect('record' in ended && ended.record.status).toBe('completed');
    const position = await store.factsPosition?.();
    // Killed: the file is closed without the runtime's stop (which would fold what is left).
    await store.close();

    const s = await server(Infinity, dir);
    expect(await s.store.getCaseFacts(started.record.id)).toBeUndefined();
    expect(await s.store.factsPosition?.()).toBe(position);
    s.clock.set(bj('2026-03-02T12:00:00'));
    const health = await s.request('GET', `/api/flows/${FLOW.key}/health?filter=branchId:B03`, { as: 'owner' });
    expect(health.status, health.text).toBe(200);
    expect(health.body.volume).toMatchObject({ started: 1, completed: 1 });
    expect(health.body.cycle.calendar.p50).toBe(3_600_000);
    // Folded once: the position is past the case's entries, and a second drain reads nothing.
    const after = await s.store.factsPosition?.();
    expect(after).toBeGreaterThan(position ?? 0);
    expect((await s.store.caseEntriesAfter?.(after ?? 0, 10))?.entries).toEqual([]);
  });

  test('migration 6 starts the projector at the end of the journal: every entry so far was folded by its step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowpath-projector-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'flowpath.db');
    // A database at schema 5, written by a version that folded each step in its transaction.
    const probe = openSqliteStore(':memory:');
    const Driver = probe.db.constructor as new (path: string) => typeof probe.db;
    await probe.close();
    const old = new Driver(file);
    for (const sql of sqliteMigrations.slice(0, 5)) old.exec(sql);
    old.pragma('user_version = 5');
    const insert = old.prepare("INSERT INTO audit (stream, seq, at, actor, entry, prev_hash, hash) VALUES (?, ?, '2026-03-02T01:00:00.000Z', 'app', '{}', 'p', 'h')");
    insert.run('case:c-1', 1);
    insert.run('case:c-1', 2);
    insert.run('flow:loan', 1);
    insert.run('case:c-2', 1);
    const head = old.prepare("INSERT INTO audit_heads (stream, seq, hash) VALUES (?, ?, 'h')");
    head.run('case:c-1', 2);
    head.run('flow:loan', 1);
    head.run('case:c-2', 1);
    old.close();

    const store = openSqliteStore(file);
    try {
      expect(await store.factsPosition?.()).toBe(4);
      expect((await store.caseEntriesAfter?.(4, 10))?.entries).toEqual([]);
      // What is appended from now on is after the position, in commit order, case streams only.
      await store.appendAudit('flow:loan', [{ at: '2026-03-02T02:00:00.000Z', actor: 'owner', entry: { type: 'flow.published' } }]);
      await store.appendAudit(caseStream('c-2'), [{ at: '2026-03-02T02:00:00.000Z', actor: 'app', entry: { type: 'case.note' } }]);
      await store.appendAudit(caseStream('c-1'), [{ at: '2026-03-02T02:00:00.000Z', actor: 'app', entry: { type: 'case.note' } }]);
      const read = await store.caseEntriesAfter?.(4, 10);
      expect(read?.entries.map((e) => [e.stream, e.seq])).toEqual([
        ['case:c-2', 2],
        ['case:c-1', 3],
      ]);
      expect(read?.position).toBe(7);
    } finally {
      await store.close();
    }
  });
});
