import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { openSqliteStore, type SqliteStore } from './sqlite-store';
import type { FlowRecord } from './store';

const now = '2026-03-02T01:00:00.000Z';
const dirs: string[] = [];
const stores: SqliteStore[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(options: Parameters<typeof openSqliteStore>[1] = {}): { store: SqliteStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-checkpoint-'));
  dirs.push(dir);
  const path = join(dir, 'flowpath.db');
  const store = openSqliteStore(path, options);
  stores.push(store);
  return { store, path };
}

/** A flow whose draft carries `kib` KiB, so a few writes make a WAL worth checkpointing. */
function bulky(key: string, kib = 8): FlowRecord {
  return { key, draft: { key, notes: 'x'.repeat(kib * 1024) }, draftRevision: 1, owner: null, createdBy: 'a', createdAt: now, updatedBy: 'a', updatedAt: now };
}

const size = (p: string): number => (existsSync(p) ? statSync(p).size : 0);

describe('WAL checkpoints off the request path', () => {
  test('a commit never checkpoints: the serving connection has SQLite\'s automatic checkpoint off', () => {
    const { store } = open();
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(store.checkpoints).toMatchObject({ mode: 'idle', runs: 0 });
  });

  test('an in-memory store has no WAL and no checkpointer', () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    expect(store.checkpoints).toBeNull();
  });

  test('with the interval at 0, SQLite checkpoints inside commits as it does by default', () => {
    const { store } = open({ checkpoint: { intervalMs: 0 } });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(store.checkpoints).toBeNull();
  });

  test('a worker copies the WAL into the database file while the store serves, and the WAL then starts over', async () => {
    // given a store that checkpoints once 64 frames wait (looking every 5 ms), cutting the WAL back to nothing on restart
    const { store, path } = open({ checkpoint: { intervalMs: 20, pollMs: 5, thresholdFrames: 64, walSizeLimitBytes: 0 } });
    const dbBefore = size(path);
    // when a MiB and a half is written (one transaction: the WAL holds all of it at once)
    await store.transaction(async (tx) => {
      for (let i = 0; i < 144; i++) await tx.insertFlow(bulky(`f${i}`));
    });
    const walFull = size(`${path}-wal`);
    expect(walFull).toBeGreaterThan(1024 * 1024);
    // then a worker thread checkpoints all of it into the database file
    await vi.waitFor(
      () => {
        const c = store.checkpoints!;
        expect(c).toMatchObject({ mode: 'worker', lastError: null });
        expect(c.lastLog).toBeGreaterThan(0);
        expect(c.lastCheckpointed).toBe(c.lastLog);
        expect(size(path) - dbBefore).toBeGreaterThan(1024 * 1024);
      },
      { timeout: 5000, interval: 10 },
    );
    // and a later write starts the WAL over instead of growing it (one that meets a checkpoint in
    // progress appends, and the next one restarts)
    let next = 0;
    await vi.waitFor(
      async () => {
        await store.insertFlow(bulky(`next-${next++}`, 1));
        expect(size(`${path}-wal`)).toBeLessThan(walFull / 4);
      },
      { timeout: 5000, interval: 30 },
    );
    expect((await store.listFlows()).length).toBe(144 + next);
  });

  test('a WAL below the threshold is left for close: no worker is started for it', async () => {
    const { store, path } = open({ checkpoint: { intervalMs: 5, pollMs: 5, thresholdFrames: 100_000 } });
    for (let i = 0; i < 5; i++) await store.insertFlow(bulky(`small-${i}`, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.checkpoints).toMatchObject({ mode: 'idle', runs: 0 });
    expect(size(`${path}-wal`)).toBeGreaterThan(0);
  });

  test('everything written while checkpoints ran is in the file after close and reopen; close removes the WAL', async () => {
    const { store, path } = open({ checkpoint: { intervalMs: 5, pollMs: 5, thresholdFrames: 1 } });
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.transaction((tx) => tx.insertFlow(bulky(`c${i}`, 4)))));
    await vi.waitFor(() => expect(store.checkpoints?.runs).toBeGreaterThan(0), { timeout: 5000, interval: 5 });
    for (let i = 40; i < 80; i++) await store.insertFlow(bulky(`c${i}`, 4));
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = openSqliteStore(path);
    stores.push(again);
    expect((await again.listFlows()).length).toBe(80);
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
