/**
 * A plain connection to a store's SQLite file, as a database administrator (or an intruder)
 * would open it: no migrations, no pragmas beyond a busy timeout, nothing of Flowpath's store
 * code in between. The better-sqlite3 class is taken from the store module so that the tests
 * package needs no driver dependency of its own.
 */
import { openSqliteStore, type SqliteStore } from '@flowpath/runtime-api';

export type RawDatabase = SqliteStore['db'];

let driver: (new (file: string) => RawDatabase) | undefined;

/** Opens `file` directly; close it with `.close()`. */
export function openRawDatabase(file: string): RawDatabase {
  if (!driver) {
    const probe = openSqliteStore(':memory:');
    driver = probe.db.constructor as new (file: string) => RawDatabase;
    void probe.close();
  }
  const db = new driver(file);
  db.pragma('busy_timeout = 5000');
  return db;
}
