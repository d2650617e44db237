/** Where tests find PostgreSQL, and names for the schemas they create there. */
import { randomBytes } from 'node:crypto';

/** FLOWPATH_TEST_DATABASE_URL, default the local test database (trust auth, role postgres). */
export const TEST_DATABASE_URL = process.env.FLOWPATH_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Names a fresh schema (unique per process and call). */
export function freshSchemaName(prefix = 'fpt'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
