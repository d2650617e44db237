/**
 * Moving a SQLite data folder to PostgreSQL with `flowpath copy-to-pg`: a folder with real work in
 * it (published flows, cases open and ended, tasks, timers, audit chains, outbox, lists, a
 * calendar, idempotency keys, process-health facts and digests) is copied by the CLI, and the
 * PostgreSQL store then answers every read exactly as the SQLite store did. A schema that holds
 * data is refused and left alone; a copy whose audit chain does not verify is reported.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { FlowDefinition } from '@flowpath/engine';
import {
  COPIED_TABLES,
  createManualClock,
  drainDigests,
  dropPgSchema,
  FlowpathRuntime,
  loadFlows,
  openPgStore,
  openSqliteStore,
  verifyAuditChain,
  type OpenWorkSummary,
  type Store,
} from '@flowpath/runtime-api';
import { describePostgres, freshSchemaName, TEST_DATABASE_URL } from './harness';
import { awkwardDocument, T0 } from './records';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

const FLOW: FlowDefinition = {
  key: 'copy-review',
  name: t('Review', '审查'),
  caseSchema: {
    type: 'object',
    required: ['customerId'],
    properties: {
      customerId: { type: 'string', customerRef: true },
      branchId: { type: 'string', dimension: true },
      note: { type: 'string' },
      decision: { type: 'string', enum: ['approve', 'reject'] },
    },
  },
  nodes: [
    { id: 'start', kind: 'start', name: t('Start', '开始') },
    {
      id: 'review',
      kind: 'user-task',
      name: t('Review', '审查'),
      queue: 'copy-review',
      sla: { duration: 'PT4H', mode: 'calendar', warnBefore: 'PT1H' },
      form: { fields: [{ key: 'decision', label: t('Decision', '结论'), type: 'enum', required: true, options: [{ value: 'approve', label: t('Approve', '同意') }, { value: 'reject', label: t('Reject', '拒绝') }] }] },
    },
    { id: 'decide', kind: 'decision', name: t('Approved?', '是否同意') },
    { id: 'approved', kind: 'end', name: t('Approved', '同意'), outcome: 'approved' },
    { id: 'rejected', kind: 'end', name: t('Rejected', '拒绝'), outcome: 'rejected' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'review' },
    { id: 'e2', source: 'review', target: 'decide' },
    { id: 'e3', source: 'decide', target: 'approved', condition: { '==': [{ var: 'decision' }, 'approve'] } },
    { id: 'e4', source: 'decide', target: 'rejected', default: true },
  ],
};

const dirs: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const s of schemas) await dropPgSchema({ connectionString: TEST_DATABASE_URL }, s);
});

/** A data folder whose SQLite file holds a little of everything; returns the folder and the case ids. */
async function folderWithWork(cases = 7): Promise<{ dir: string; caseIds: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-copy-'));
  dirs.push(dir);
  const store = openSqliteStore(join(dir, 'flowpath.db'));
  const clock = createManualClock(new Date(T0));
  const rt = new FlowpathRuntime({ store, clock });
  const loaded = await loadFlows(rt, [FLOW]);
  expect(loaded.draftsOnly).toEqual([]);
  const caseIds: string[] = [];
  for (let i = 0; i < cases; i++) {
    clock.advance(60_000);
    const started = await rt.transact((tx, scope) =>
      rt.startCase(tx, scope, { flowKey: FLOW.key, data: { customerId: `C-${i}`, branchId: i % 2 ? 'SH01' : 'BJ02', note: i === 0 ? JSON.stringify(awkwardDocument) : '客户 ✓' }, actor: { id: 'app', roles: ['app'] }, createdBy: 'app' }),
    );
    if ('rejected' in started) throw new Error(started.rejected.code);
    caseIds.push(started.record.id);
  }
  // Most cases end (approved or rejected), two stay open with their SLA timers scheduled.
  for (const [i, id] of caseIds.slice(0, -2).entries()) {
    clock.advance(30_000);
    const done = await rt.transact(async (tx, scope) => {
      const c = await tx.getCase(id);
      const task = (await tx.listCaseTasks(id)).find((x) => x.status === 'open');
      if (!c || !task) throw new Error(`case ${id} has no open task`);
      return rt.stepCase(tx, scope, c, { type: 'task.completed', taskId: task.engineTaskId, data: { decision: i % 3 ? 'approve' : 'reject' }, actor: { id: 'op-1', roles: ['operator'] } }, 'op-1');
    });
    if ('rejected' in done) throw new Error(done.rejected.code);
  }
  await drainDigests(rt);
  await store.markFactsCaughtUp(FLOW.key, T0);
  await store.putList({ name: 'blacklist', kind: 'blacklist', description: '黑名单', updatedBy: 'owner', updatedAt: T0 }, [
    { value: 'C-666', note: null, addedBy: 'owner', addedAt: T0 },
    { value: 'C-777', note: 'fraud ✗', addedBy: 'owner', addedAt: T0 },
  ]);
  await store.putCalendar('branch-sh', { utcOffset: '+08:00', weekdays: [1, 2, 3, 4, 5], holidays: ['2026-10-01'] }, 0, 'owner', T0);
  await store.putIdempotency({ caller: 'app', key: 'k-1', requestHash: 'h', status: 201, body: { id: caseIds[0], nested: awkwardDocument }, createdAt: T0 });
  await rt.stop();
  await store.close();
  return { dir, caseIds };
}

function copy(dir: string, schema: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = { ...process.env, FLOWPATH_DATABASE_URL: TEST_DATABASE_URL, FLOWPATH_PG_SCHEMA: schema, FLOWPATH_DATA: dir };
  return new Promise((ok) => {
    execFile(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'cli', 'src', 'main.ts'), 'copy-to-pg', ...args], { cwd: repo, env, timeout: 120_000 }, (error, out, err) => {
      ok({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

/** Open work in one order (the stores gather it in their own). */
function sortedOpenWork(w: OpenWorkSummary): OpenWorkSummary {
  const byText = <T>(xs: T[]): T[] => xs.map((x) => [JSON.stringify(x), x] as const).sort(([a], [b]) => a.localeCompare(b)).map(([, x]) => x);
  return {
    starts: byText(w.starts.map((s) => ({ ...s, startedMs: [...s.startedMs].sort((a, b) => a - b) }))),
    tasks: byText(w.tasks.map((t) => ({ ...t, openedMs: [...t.openedMs].sort((a, b) => a - b) }))),
    work: byText(w.work),
    openNow: byText(w.openNow),
  };
}

/** Everything a caller can read about the folder's data, through the Store interface. */
async function readAll(store: Store, caseIds: string[]): Promise<unknown> {
  const cases = [];
  for (const id of caseIds) {
    const audit = await store.listAudit(`case:${id}`);
    cases.push({
      case: await store.getCase(id),
      tasks: await store.listCaseTasks(id),
      timers: await store.listCaseTimers(id),
      outbox: await store.listCaseOutbox(id),
      facts: await store.getCaseFacts(id),
      audit,
      head: await store.auditHead(`case:${id}`),
      verifies: verifyAuditChain(audit, await store.auditHead(`case:${id}`)).ok,
    });
  }
  return {
    flows: await store.listFlows(),
    flow: await store.getFlow(FLOW.key),
    version: await store.getVersion(FLOW.key, 1),
    policy: await store.getReleasePolicy(FLOW.key),
    flowAudit: await store.listAudit(`flow:${FLOW.key}`),
    cases,
    workList: await store.listTasks({ statuses: ['open', 'claimed', 'completed'] }, 100),
    lists: await store.listLists(),
    entries: await store.getListEntries('blacklist'),
    listsGeneration: await store.listsGeneration(),
    calendars: await store.listCalendars(),
    idempotency: await store.getIdempotency('app', 'k-1'),
    digests: await store.listHealthDigests({ flowKey: FLOW.key, dim: '' }),
    byBranch: await store.listHealthDigests({ flowKey: FLOW.key, dim: 'branchId' }),
    startDays: await store.listHealthDigests({ flowKey: FLOW.key, basis: 'started', dim: 'branchId' }),
    openWork: sortedOpenWork(await store.openWork({ flowKey: FLOW.key, at: T0, work: { utcOffset: '+08:00' } })),
    caughtUp: await store.factsCaughtUp(FLOW.key),
  };
}

describePostgres('flowpath copy-to-pg', () => {
  it('copies a data folder so that PostgreSQL answers every read as SQLite did, and then refuses to copy into it again', { timeout: 120_000 }, async () => {
    const { dir, caseIds } = await folderWithWork();
    const schema = freshSchemaName('fpcopy');
    schemas.push(schema);

    // Batches of 3 rows: most tables take several transactions.
    const r = await copy(dir, schema, '--batch', '3');
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    // One chain per case and one for the flow.
    expect(r.out).toContain(`row counts match and ${caseIds.length + 1} audit chains verify in PostgreSQL`);

    const lite = openSqliteStore(join(dir, 'flowpath.db'));
    const pg = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 2 });
    try {
      const expected = await readAll(lite, caseIds);
      expect(await readAll(pg, caseIds)).toEqual(expected);
      // Every table, row for row in number.
      for (const table of COPIED_TABLES) {
        const inLite = Number((lite.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
        const inPg = Number((await pg.pool.query(`SELECT COUNT(*) AS n FROM ${pg.table(table)}`)).rows[0]?.n);
        expect({ table, rows: inPg }).toEqual({ table, rows: inLite });
        if (table !== 'idempotency' && table !== 'release_policies' && table !== 'calendars') expect({ table, empty: inLite === 0 }).toEqual({ table, empty: false });
      }

      // Into a schema that holds data: refused, nothing written.
      const again = await copy(dir, schema);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/is not empty \(meta holds 2 rows\).*copy\.target\.not-empty/);
      expect((await pg.pool.query(`SELECT COUNT(*)::int AS n FROM ${pg.table('cases')}`)).rows[0]?.n).toBe(caseIds.length);
    } finally {
      await pg.close();
      await lite.close();
    }
  });

  it('copies no caught-up mark from a folder whose last steps were not folded into the facts, so PostgreSQL catches those cases up', { timeout: 120_000 }, async () => {
    const { dir } = await folderWithWork(3);
    // A server that started one more case and was killed before its facts projector ran.
    const store = openSqliteStore(join(dir, 'flowpath.db'));
    const rt = new FlowpathRuntime({ store, clock: createManualClock(new Date(Date.parse(T0) + 3_600_000)), healthProjectionDelayMs: Infinity });
    const started = await rt.transact((tx, scope) => rt.startCase(tx, scope, { flowKey: FLOW.key, data: { customerId: 'C-late', branchId: 'SH01' }, actor: { id: 'app', roles: ['app'] }, createdBy: 'app' }));
    if ('rejected' in started) throw new Error(started.rejected.code);
    expect(await store.factsCaughtUp(FLOW.key)).toBe(true);
    expect(await store.getCaseFacts(started.record.id)).toBeUndefined();
    await store.close();

    const schema = freshSchemaName('fpcopy');
    schemas.push(schema);
    const r = await copy(dir, schema);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    const pg = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 2 });
    try {
      expect(await pg.factsCaughtUp(FLOW.key)).toBe(false);
      // The first health query on PostgreSQL checks every case, and finds this one.
      expect(await pg.listCasesBehindFacts(FLOW.key, 10)).toEqual([started.record.id]);
    } finally {
      await pg.close();
    }
  });

  it('reports an audit chain that does not verify after the copy, and refuses a folder without a data file', { timeout: 120_000 }, async () => {
    const { dir, caseIds } = await folderWithWork(2);
    // Someone edited an entry in the file: the copy carries the edit and the check finds it.
    const edited = openSqliteStore(join(dir, 'flowpath.db'));
    expect(edited.db.prepare("UPDATE audit SET entry = json_set(entry, '$.approvedBy', 'mallory') WHERE stream = ? AND seq = 1").run(`case:${caseIds[1]}`).changes).toBe(1);
    await edited.close();
    const schema = freshSchemaName('fpcopy');
    schemas.push(schema);
    const r = await copy(dir, schema);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the audit chain of case:${caseIds[1]} does not verify in PostgreSQL (hash.mismatch at entry 1) (copy.audit.broken)`);
    expect(r.err).toContain(`drop it (DROP SCHEMA ${schema} CASCADE)`);

    const empty = mkdtempSync(join(tmpdir(), 'flowpath-copy-'));
    dirs.push(empty);
    const none = await copy(empty, freshSchemaName('fpcopy'));
    expect(none.code).toBe(2);
    expect(none.err).toContain('there is no flowpath.db in');
  });
});
