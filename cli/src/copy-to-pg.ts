/**
 * `flowpath copy-to-pg`: moves a data folder's SQLite file into PostgreSQL (the schema named by
 * FLOWPATH_DATABASE_URL and FLOWPATH_PG_SCHEMA, as `pnpm start` uses them), then checks row counts
 * and every audit chain there. Refuses a schema that already holds data.
 *
 *   FLOWPATH_DATABASE_URL=postgres://… flowpath copy-to-pg [--data DIR] [--batch N]
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copySqliteToPg, CopyError, describePgUrl, pgOptionsFromEnv } from '@flowpath/runtime-api';
import type { Io } from './cli';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const COPY_USAGE = `  flowpath copy-to-pg [--data DIR] [--batch N]
      Copies the data folder's SQLite file (default FLOWPATH_DATA or .data) into the empty
      PostgreSQL schema named by FLOWPATH_DATABASE_URL and FLOWPATH_PG_SCHEMA, N rows per
      transaction (default 500), then checks row counts and every audit chain. Stop the server first.
`;

/** Runs `flowpath copy-to-pg`; returns the exit code (0 copied and checked, 1 refused or failed, 2 usage). */
export async function copyToPgCommand(argv: string[], io: Io, env: Record<string, string | undefined> = process.env): Promise<number> {
  let data: string | undefined;
  let batch = 500;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = argv[i + 1];
    if (a === '--data' && v !== undefined && !v.startsWith('--')) {
      data = v;
      i += 1;
    } else if (a === '--batch' && v !== undefined && Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 5000) {
      batch = Number(v);
      i += 1;
    } else {
      io.err(`flowpath copy-to-pg: ${a === '--batch' ? '--batch takes a whole number from 1 to 5000' : a === '--data' ? '--data takes a folder' : `unknown option ${a}`}\n\nUsage:\n${COPY_USAGE}`);
      return 2;
    }
  }
  let target;
  try {
    target = pgOptionsFromEnv(env);
  } catch (e) {
    io.err(`flowpath copy-to-pg: ${(e as Error).message}\n`);
    return 2;
  }
  if (!target?.connectionString) {
    io.err('flowpath copy-to-pg: set FLOWPATH_DATABASE_URL (and FLOWPATH_PG_SCHEMA, default flowpath) to the PostgreSQL database to copy into\n');
    return 2;
  }
  const given = data ?? env.FLOWPATH_DATA;
  const dir = !given ? join(REPO_ROOT, '.data') : isAbsolute(given) ? given : resolve(env.INIT_CWD ?? process.cwd(), given);
  const file = join(dir, 'flowpath.db');
  if (!existsSync(file)) {
    io.err(`flowpath copy-to-pg: there is no flowpath.db in ${dir}\n`);
    return 2;
  }
  io.out(`Copying ${file} into ${describePgUrl(target.connectionString)} schema ${target.schema}, ${batch} rows per transaction\n`);
  try {
    const r = await copySqliteToPg(file, target, {
      batch,
      onProgress: (table, done, total) => {
        if (done === total) io.out(`  ${table.padEnd(16)} ${done} rows\n`);
      },
    });
    const rows = r.tables.reduce((a, t) => a + t.rows, 0);
    io.out(`Copied ${rows} rows in ${r.tables.length} tables in ${r.seconds.toFixed(1)} s; row counts match and ${r.auditStreams} audit chains verify in PostgreSQL.\n`);
    io.out(`Start Flowpath with the same FLOWPATH_DATABASE_URL and FLOWPATH_PG_SCHEMA; keep ${file} as the backup of the move.\n`);
    return 0;
  } catch (e) {
    if (e instanceof CopyError) {
      io.err(`flowpath copy-to-pg: ${e.message} (${e.code})\n`);
      if (e.code !== 'copy.target.not-empty') io.err(`The schema ${target.schema} may hold a partial copy: drop it (DROP SCHEMA ${target.schema} CASCADE) before trying again.\n`);
      return 1;
    }
    io.err(`flowpath copy-to-pg: ${e instanceof Error ? e.message : String(e)}\nThe schema ${target.schema} may hold a partial copy: drop it (DROP SCHEMA ${target.schema} CASCADE) before trying again.\n`);
    return 1;
  }
}
