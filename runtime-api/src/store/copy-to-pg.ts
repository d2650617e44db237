/**
 * Moving from the embedded SQLite file to PostgreSQL: copies every table of a SQLite data file
 * into an empty PostgreSQL schema, in batches (one transaction each), then checks that every
 * table holds as many rows on both sides and that every audit chain verifies in PostgreSQL.
 *
 * The SQLite file is first brought up to this version's schema (as `pnpm start` would) and read
 * inside one read transaction, so the copy is a consistent snapshot even if a server still has
 * the file open; stop the server anyway, or new work after the snapshot is not copied.
 */
import { openPgStore, type PgStoreOptions, type PgStore } from './pg-store';
import { openSqliteStore } from './sqlite-store';
import { verifyAuditChain } from './audit-chain';

/** The tables in an order that satisfies every foreign key. A table the copy does not know stops it. */
export const COPIED_TABLES = [
  'meta',
  'flows',
  'flow_versions',
  'release_policies',
  'cases',
  'case_waits',
  'tasks',
  'task_queue_changes',
  'timers',
  'audit',
  'audit_heads',
  'outbox',
  'idempotency',
  'lists',
  'list_entries',
  'calendars',
  'case_facts',
  'health_digests',
  'health_start_digests',
  'health_caught_up',
] as const;

/** Tables of the PostgreSQL schema that are its own bookkeeping, not data. */
const PG_ONLY = new Set(['schema_migrations']);

export interface CopyOptions {
  /** Rows per INSERT transaction (default 500; fewer for wide tables, within PostgreSQL's 65,535 parameters per statement). */
  batch?: number;
  /** Told after each batch: table, rows copied so far, rows in the table. */
  onProgress?: (table: string, done: number, total: number) => void;
}

export interface CopyResult {
  schema: string;
  tables: { table: string; rows: number }[];
  /** Audit streams whose hash chain was verified in PostgreSQL after the copy. */
  auditStreams: number;
  seconds: number;
}

/** Why a copy was refused or failed its check; `code` is stable. */
export class CopyError extends Error {
  constructor(
    readonly code: 'copy.target.not-empty' | 'copy.schema.mismatch' | 'copy.count.mismatch' | 'copy.audit.broken',
    message: string,
  ) {
    super(message);
    this.name = 'CopyError';
  }
}

interface PgColumn {
  name: string;
  type: string;
  identity: boolean;
}

type SqliteValue = string | number | bigint | Buffer | null;

/** A SQLite value as PostgreSQL's column takes it: booleans were 0/1; JSON stays the text it was. */
function convert(v: SqliteValue, col: PgColumn): unknown {
  if (v === null) return null;
  if (col.type === 'boolean') return v === 1 || v === 1n;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

async function pgColumns(pg: PgStore, table: string): Promise<PgColumn[]> {
  const r = await pg.pool.query<{ column_name: string; data_type: string; is_identity: string }>(
    'SELECT column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [pg.schema, table],
  );
  return r.rows.map((c) => ({ name: c.column_name, type: c.data_type, identity: c.is_identity === 'YES' }));
}

/**
 * Copies the SQLite data file `sqliteFile` into the PostgreSQL schema of `target` (created and
 * migrated if missing). Refuses a schema that holds any row. Throws CopyError when refused or
 * when the check after the copy fails (the schema then holds a partial or doubtful copy: drop it).
 */
export async function copySqliteToPg(sqliteFile: string, target: PgStoreOptions, options: CopyOptions = {}): Promise<CopyResult> {
  const started = performance.now();
  const batch = options.batch ?? 500;
  const lite = openSqliteStore(sqliteFile);
  let pg: PgStore | undefined;
  try {
    pg = await openPgStore(target);
    const { pool } = pg;
    const pgTables = (await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'", [pg.schema])).rows
      .map((r) => r.table_name)
      .filter((t) => !PG_ONLY.has(t));
    const unknown = pgTables.filter((t) => !(COPIED_TABLES as readonly string[]).includes(t));
    const missing = COPIED_TABLES.filter((t) => !pgTables.includes(t));
    if (unknown.length || missing.length) {
      throw new CopyError('copy.schema.mismatch', `the PostgreSQL schema has tables this copy does not know (${unknown.join(', ') || 'none'}) or lacks some (${missing.join(', ') || 'none'}): use the copy of the same Flowpath version`);
    }
    for (const t of COPIED_TABLES) {
      const n = Number((await pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${pg.table(t)}`)).rows[0]?.n ?? 0);
      if (n > 0) throw new CopyError('copy.target.not-empty', `schema ${pg.schema} is not empty (${t} holds ${n} rows): copy into a new schema, or drop this one first`);
    }

    // Journal entries the facts have not folded yet (a server killed before its projector ran):
    // PostgreSQL must not inherit the marks that say every case is folded; its first health query
    // then checks every case against its journal. (The file's server is stopped: nothing moves.)
    const factsBehind = (await lite.caseEntriesAfter?.((await lite.factsPosition?.()) ?? 0, 1))?.entries.length !== 0;

    // One read transaction over the whole copy: a consistent snapshot of the file.
    lite.db.exec('BEGIN');
    const tables: CopyResult['tables'] = [];
    try {
      for (const table of COPIED_TABLES) {
        if (table === 'health_caught_up' && factsBehind) {
          tables.push({ table, rows: 0 });
          continue;
        }
        const cols = (await pgColumns(pg, table)).filter((c) => !c.identity);
        const liteCols = (lite.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
        const extra = liteCols.filter((c) => !cols.some((p) => p.name === c));
        const absent = cols.filter((p) => !liteCols.includes(p.name)).map((p) => p.name);
        if (extra.length || absent.length) {
          throw new CopyError('copy.schema.mismatch', `table ${table} differs: only in SQLite ${extra.join(', ') || 'none'}, only in PostgreSQL ${absent.join(', ') || 'none'}`);
        }
        const total = Number((lite.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
        const names = cols.map((c) => `"${c.name}"`).join(', ');
        // Insertion order (rowid) is kept: PostgreSQL's identity columns then number rows in the same order.
        const rows = lite.db.prepare(`SELECT ${names} FROM ${table} ORDER BY rowid`).raw().iterate() as IterableIterator<SqliteValue[]>;
        // PostgreSQL takes at most 65,535 parameters per statement: wide tables get smaller batches.
        const perBatch = Math.max(1, Math.min(batch, Math.floor(65_535 / cols.length)));
        let done = 0;
        let chunk: SqliteValue[][] = [];
        const flush = async (): Promise<void> => {
          if (chunk.length === 0) return;
          const values: unknown[] = [];
          const tuples = chunk.map((row) => `(${row.map((v, i) => `$${values.push(convert(v, cols[i] as PgColumn))}`).join(', ')})`);
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query(`INSERT INTO ${(pg as PgStore).table(table)} (${names}) VALUES ${tuples.join(', ')}`, values);
            await client.query('COMMIT');
          } catch (e) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw e;
          } finally {
            client.release();
          }
          done += chunk.length;
          chunk = [];
          options.onProgress?.(table, done, total);
        };
        for (const row of rows) {
          chunk.push(row);
          if (chunk.length >= perBatch) await flush();
        }
        await flush();
        tables.push({ table, rows: done });
      }
    } finally {
      if (lite.db.inTransaction) lite.db.exec('COMMIT');
    }

    // The check: the same number of rows everywhere, and every audit chain verifies as PostgreSQL reads it back.
    for (const { table, rows } of tables) {
      const n = Number((await pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${pg.table(table)}`)).rows[0]?.n ?? 0);
      if (n !== rows) throw new CopyError('copy.count.mismatch', `${table}: ${rows} rows in SQLite, ${n} in PostgreSQL`);
    }
    const streams = (await pool.query<{ stream: string }>(`SELECT stream FROM ${pg.table('audit_heads')} ORDER BY stream`)).rows.map((r) => r.stream);
    for (const stream of streams) {
      const verdict = verifyAuditChain(await pg.listAudit(stream), await pg.auditHead(stream));
      if (!verdict.ok) throw new CopyError('copy.audit.broken', `the audit chain of ${stream} does not verify in PostgreSQL (${verdict.firstBroken?.reason} at entry ${verdict.firstBroken?.seq})`);
    }
    return { schema: pg.schema, tables, auditStreams: streams.length, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pg?.close();
    await lite.close();
  }
}
