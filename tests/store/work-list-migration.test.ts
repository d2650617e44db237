/**
 * The migration that puts the customer reference, branch, channel and version on tasks fills them
 * in for tasks opened before it, from their cases, and starts each queue's change counter at the
 * number of its tasks — on both stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { dropPgSchema, openPgStore, openSqliteStore, pgMigrations, sqliteMigrations, type Store } from '@flowpath/runtime-api';
import { describePostgres, freshSchemaName, TEST_DATABASE_URL } from './harness';
import { T0 } from './records';

/** The schema version just before the work-list columns, per store. */
const BEFORE = { sqlite: 3, postgres: 4 };

const state = (id: string, data: Record<string, unknown>): string =>
  JSON.stringify({ id, flowKey: 'loan', version: 3, status: 'waiting', data, priority: 0, tokens: [], visits: {}, flags: [], slas: [] });

/** Old-shape rows: two cases (one with a channel), three tasks in two queues. */
const OLD_ROWS: [string, unknown[]][] = [
  [
    `INSERT INTO cases (id, flow_key, version, status, state, customer_ref, branch, priority, breached, open_incidents, created_by, parent_case_id, parent_request_id, row_version, created_at, updated_at)
     VALUES (?, 'loan', 3, 'waiting', ?, 'CN-1', 'SH01', 0, ?, 0, 'app', NULL, NULL, 1, ?, ?)`,
    ['c-1', state('c-1', { channel: 'mobile-app', amount: 1 }), false, T0, T0],
  ],
  [
    `INSERT INTO cases (id, flow_key, version, status, state, customer_ref, branch, priority, breached, open_incidents, created_by, parent_case_id, parent_request_id, row_version, created_at, updated_at)
     VALUES (?, 'loan', 2, 'waiting', ?, NULL, NULL, 0, ?, 0, 'app', NULL, NULL, 1, ?, ?)`,
    ['c-2', state('c-2', { channel: { nested: true } }), false, T0, T0],
  ],
  ...['t-1', 't-2', 't-3'].map(
    (id, i): [string, unknown[]] => [
      `INSERT INTO tasks (id, case_id, engine_task_id, token_id, node_id, flow_key, name, queue, roles, priority, form, due_at, warn_at, sort_due, excluded_actors, status, assignee, completed_by, created_at, updated_at, closed_at, row_version)
       VALUES (?, ?, ?, 'tok', 'review', 'loan', '{"en":"Review"}', ?, '[]', 0, '[]', NULL, NULL, '9999-12-31T23:59:59.999Z', '[]', 'open', NULL, NULL, ?, ?, NULL, 1)`,
      [id, i === 2 ? 'c-2' : 'c-1', `e-${id}`, i === 0 ? 'operations' : 'credit-approval', T0, T0],
    ],
  ),
];

async function expectBackfilled(store: Store): Promise<void> {
  expect(await store.getTask('t-1')).toMatchObject({ version: 3, customerRef: 'CN-1', branch: 'SH01', channel: 'mobile-app' });
  expect(await store.getTask('t-3')).toMatchObject({ version: 2, customerRef: null, branch: null, channel: null });
  expect(await store.taskChanges(['operations'])).toBe(1);
  expect(await store.taskChanges(['credit-approval'])).toBe(2);
  expect((await store.listTasks({ statuses: ['open'], branches: ['SH01'] }, 10)).map((t) => t.id).sort()).toEqual(['t-1', 't-2']);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

it('SQLite: fills the new task columns and the queue counters from the cases', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-migrate-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'flowpath.db');
  // Borrow the driver from a store to build a database at the older schema version.
  const probe = openSqliteStore(':memory:');
  const Driver = probe.db.constructor as new (path: string) => typeof probe.db;
  await probe.close();
  const db = new Driver(file);
  for (const sql of sqliteMigrations.slice(0, BEFORE.sqlite)) db.exec(sql);
  db.pragma(`user_version = ${BEFORE.sqlite}`);
  for (const [sql, params] of OLD_ROWS) db.prepare(sql).run(...params.map((p) => (typeof p === 'boolean' ? Number(p) : p)));
  db.close();
  const store = openSqliteStore(file);
  cleanups.push(() => store.close());
  await expectBackfilled(store);
});

describePostgres('PostgreSQL: work-list migration', () => {
  it('fills the new task columns and the queue counters from the cases', async () => {
    const schema = freshSchemaName();
    // A store on another schema lends its pool to build this one at the older version.
    const lender = freshSchemaName();
    const first = await openPgStore({ connectionString: TEST_DATABASE_URL, schema: lender, poolMax: 2 });
    cleanups.push(async () => {
      await first.close();
      await dropPgSchema({ connectionString: TEST_DATABASE_URL }, lender);
      await dropPgSchema({ connectionString: TEST_DATABASE_URL }, schema);
    });
    const client = await first.pool.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`CREATE TABLE "${schema}".schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
      await client.query(`SET search_path TO "${schema}"`);
      for (const [i, sql] of pgMigrations.slice(0, BEFORE.postgres).entries()) {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [i + 1, T0]);
      }
      for (const [sql, params] of OLD_ROWS) {
        let n = 0;
        await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
      }
      await client.query('RESET search_path');
    } finally {
      client.release();
    }
    const store = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 2 });
    cleanups.push(() => store.close());
    await expectBackfilled(store);
  });
});
