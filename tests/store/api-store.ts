/**
 * The store behind the in-process API test server (tests/helpers/server.ts).
 *
 * By default it is SQLite in the test's data folder. `FLOWPATH_TEST_STORE=pg` runs the same API
 * tests on PostgreSQL instead (FLOWPATH_TEST_DATABASE_URL, default the local test database): each
 * data folder gets its own schema, named in a file there so that a restart on the folder finds
 * the same data, and dropped when the folder is disposed.
 *
 *   FLOWPATH_TEST_STORE=pg pnpm exec vitest run tests/api --exclude tests/api/audit.test.ts --exclude tests/api/transactions.test.ts
 *
 * The two files left out reach into the SQLite file directly (`store.db`) to tamper with rows and
 * count them; tests/store covers the same on PostgreSQL.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropPgSchema, openPgStore, openSqliteStore, type SqliteStore } from '@flowpath/runtime-api';
import { freshSchemaName, TEST_DATABASE_URL } from './pg-test-env';

const SCHEMA_FILE = 'pg-schema';

/** Whether API tests run on PostgreSQL (FLOWPATH_TEST_STORE=pg). */
export const apiTestsOnPostgres = process.env.FLOWPATH_TEST_STORE === 'pg';

/**
 * Opens the test server's store for `dir`. On PostgreSQL the store has no `db` (the SQLite
 * connection); it is typed as the SQLite store only so the helper's signature stays as it is.
 */
export async function openTestStore(dir: string, kind?: 'sqlite'): Promise<SqliteStore> {
  if (!apiTestsOnPostgres || kind === 'sqlite') return openSqliteStore(join(dir, 'flowpath.db'));
  const file = join(dir, SCHEMA_FILE);
  const schema = existsSync(file) ? readFileSync(file, 'utf8').trim() : freshSchemaName('fpapi');
  writeFileSync(file, schema);
  const store = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 4 });
  return store as unknown as SqliteStore;
}

/** Drops the PostgreSQL schema of `dir`, if it has one (call before deleting the folder). */
export async function disposeTestStore(dir: string): Promise<void> {
  const file = join(dir, SCHEMA_FILE);
  if (!existsSync(file)) return;
  await dropPgSchema({ connectionString: TEST_DATABASE_URL }, readFileSync(file, 'utf8').trim());
}
