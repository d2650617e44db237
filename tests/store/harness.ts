/**
 * The store conformance harness: every test in tests/store runs once per store, against a fresh
 * store from a factory — SQLite in a temp file, PostgreSQL in a fresh schema of the test database
 * (dropped afterwards).
 *
 * PostgreSQL: FLOWPATH_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). When it
 * cannot be reached the PostgreSQL half FAILS under CI=true; elsewhere it is skipped with a loud
 * warning, so a laptop without PostgreSQL can still run the SQLite half.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { checkPgConnection, dropPgSchema, openPgStore, openSqliteStore, type PgStore, type SqliteStore, type Store } from '@flowpath/runtime-api';
import { freshSchemaName, TEST_DATABASE_URL } from './pg-test-env';

export { freshSchemaName, TEST_DATABASE_URL };

export type StoreKind = 'sqlite' | 'postgres';

/** Direct access to the tables, to play the part of someone editing the database behind the store's back. */
export interface RawAccess {
  /** Runs SQL written with `?` placeholders (rewritten to $n for PostgreSQL); table names unqualified. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  /** Like run, returning rows. */
  rows(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
}

export interface StoreFixture {
  kind: StoreKind;
  store: Store;
  raw: RawAccess;
  /** Another store on the same database (another process, in production). SQLite: the same store (one process owns the file). */
  second(): Promise<Store>;
}

export interface StoreFactory {
  kind: StoreKind;
  open(): Promise<StoreFixture>;
}

const TABLES = /\b(meta|flows|flow_versions|release_policies|cases|case_waits|tasks|timers|audit|audit_heads|outbox|idempotency|lists|list_entries|calendars)\b/g;

function sqliteFactory(): StoreFactory {
  return {
    kind: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'flowpath-store-'));
      const store: SqliteStore = openSqliteStore(join(dir, 'flowpath.db'));
      cleanups.push(async () => {
        await store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      });
      return {
        kind: 'sqlite',
        store,
        raw: {
          async run(sql, ...params) {
            return store.db.prepare(sql).run(...params).changes;
          },
          async rows(sql, ...params) {
            return store.db.prepare(sql).all(...params) as Record<string, unknown>[];
          },
        },
        second: async () => store,
      };
    },
  };
}

function pgFactory(): StoreFactory {
  return {
    kind: 'postgres',
    async open() {
      const schema = freshSchemaName();
      const opened: PgStore[] = [];
      const open = async (): Promise<PgStore> => {
        const s = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 4 });
        opened.push(s);
        return s;
      };
      const store = await open();
      cleanups.push(async () => {
        for (const s of opened) await s.close().catch(() => undefined);
        await dropPgSchema({ connectionString: TEST_DATABASE_URL }, schema);
      });
      const toPg = (sql: string): string => {
        let n = 0;
        return sql.replace(/\?/g, () => `$${++n}`).replace(TABLES, (t) => store.table(t));
      };
      return {
        kind: 'postgres',
        store,
        raw: {
          async run(sql, ...params) {
            return (await store.pool.query(toPg(sql), params)).rowCount ?? 0;
          },
          async rows(sql, ...params) {
            return (await store.pool.query(toPg(sql), params)).rows as Record<string, unknown>[];
          },
        },
        second: open,
      };
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Whether PostgreSQL answers; checked once per test file. */
async function pgReachable(): Promise<string | undefined> {
  try {
    await checkPgConnection({ connectionString: TEST_DATABASE_URL });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const pgProblem = await pgReachable();

/** The stores the suite runs against, in order. */
export const factories: StoreFactory[] = [sqliteFactory(), pgFactory()];

/**
 * Declares `body` once per store. The callback gets a function that opens a fresh store for the
 * running test (cleaned up after it).
 */
export function describeStores(title: string, body: (open: () => Promise<StoreFixture>, kind: StoreKind) => void): void {
  for (const f of factories) describeFor(f, title, body);
}

/** Declares `body` for PostgreSQL only: behaviour that needs several processes on one database. */
export function describePostgres(title: string, body: (open: () => Promise<StoreFixture>) => void): void {
  describeFor(factories[1] as StoreFactory, title, (open) => body(open));
}

function describeFor(f: StoreFactory, title: string, body: (open: () => Promise<StoreFixture>, kind: StoreKind) => void): void {
  if (f.kind === 'postgres' && pgProblem !== undefined) {
    // Not skipped: a store nobody checked is a failure, wherever the suite runs.
    const message = `PostgreSQL at ${TEST_DATABASE_URL} is not reachable (${pgProblem})`;
    describe(`${title} [postgres]`, () => {
      it('needs PostgreSQL (.ci/run starts it; FLOWPATH_TEST_DATABASE_URL points elsewhere)', () => {
        throw new Error(`${message}: the PostgreSQL store cannot be checked`);
      });
    });
    return;
  }
  describe(`${title} [${f.kind}]`, () => body(f.open, f.kind));
}
