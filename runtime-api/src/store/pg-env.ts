/**
 * Store choice from the environment: `FLOWPATH_DATABASE_URL=postgres://…` selects PostgreSQL
 * (several processes may share it); without it the embedded SQLite file is used.
 *
 * FLOWPATH_PG_SCHEMA (default `flowpath`) names the schema, FLOWPATH_PG_POOL_MAX (default 10)
 * the most connections one process opens.
 */
import { DEFAULT_PG_SCHEMA, type PgStoreOptions } from './pg-store';

/** PostgreSQL settings from `env`, or undefined when no database URL is set. Throws a readable error on bad values. */
export function pgOptionsFromEnv(env: Record<string, string | undefined>): PgStoreOptions | undefined {
  const url = env.FLOWPATH_DATABASE_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('FLOWPATH_DATABASE_URL must be a postgres:// (or postgresql://) URL; leave it unset for the embedded SQLite store');
  }
  try {
    new URL(url);
  } catch {
    throw new Error('FLOWPATH_DATABASE_URL is not a valid URL (percent-encode special characters in the password)');
  }
  const opts: PgStoreOptions = { connectionString: url, schema: env.FLOWPATH_PG_SCHEMA || DEFAULT_PG_SCHEMA };
  const max = env.FLOWPATH_PG_POOL_MAX;
  if (max !== undefined && max !== '') {
    const n = Number(max);
    if (!Number.isInteger(n) || n < 2) throw new Error(`FLOWPATH_PG_POOL_MAX must be an integer of at least 2, got ${JSON.stringify(max)}`);
    opts.poolMax = n;
  }
  return opts;
}

/** The database URL without its password, for logs and the start banner. */
export function describePgUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
