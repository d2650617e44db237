import fs, { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { BatchAbortedError, DurabilityError, GroupCommitter } from './sqlite-group-commit';
import { openSqliteStore, type SqliteStore } from './sqlite-store';
import { StoreMisuseError, type FlowRecord, type StoreTx, type TimerRecord } from './store';

const now = '2026-03-02T01:00:00.000Z';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A store on a file in a fresh folder, and a second, independent connection to the same file. */
function fileStore(options: Parameters<typeof openSqliteStore>[1] = {}): { store: SqliteStore; other: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-group-commit-'));
  const store = openSqliteStore(join(dir, 'flowpath.db'), options);
  const other = new Database(join(dir, 'flowpath.db'), { readonly: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close().catch(() => undefined));
  cleanups.push(() => {
    other.close();
  });
  return { store, other };
}

function flow(key: string): FlowRecord {
  return { key, draft: { key }, draftRevision: 1, owner: null, createdBy: 'a', createdAt: now, updatedBy: 'a', updatedAt: now };
}

function ghostTimer(): TimerRecord {
  return { caseId: 'no-such-case', timerId: 't', dueAt: now, runAt: now, purpose: 'sla.breach', nodeId: null, status: 'scheduled', attempts: 0, lastError: null, createdAt: now, firedAt: null };
}

/** What each of the promises did: its value or its error. */
async function settleAll<T>(ps: Promise<T>[]): Promise<({ ok: true; value: T } | { ok: false; error: unknown })[]> {
  return Promise.all(ps.map((p) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }))));
}

const flowKeys = (db: Database.Database): string[] => (db.prepare('SELECT key FROM flows ORDER BY key').all() as { key: string }[]).map((r) => r.key);

describe('group commit', () => {
  test('transactions started together share one COMMIT and all of them are written', async () => {
    // given a store and twenty writers arriving at once
    const { store, other } = fileStore();
    const before = { ...store.groupCommit };
    // when they all write
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.transaction((tx) => tx.insertFlow(flow(`f${String(i).padStart(2, '0')}`)))));
    // then every write is in the file, and fewer commits than transactions were needed
    expect(flowKeys(other)).toHaveLength(20);
    expect(store.groupCommit.transactions - before.transactions).toBe(20);
    expect(store.groupCommit.batches - before.batches).toBeLessThan(20);
    expect(store.groupCommit.largestBatch).toBeGreaterThan(1);
  });

  test('a failing transaction in a batch is rolled back alone: the others commit, it leaves nothing and rejects with its own error', async () => {
    const { store, other } = fileStore();
    const boom = new Error('step failed');
    const results = await settleAll([
      store.transaction(async (tx) => {
        await tx.insertFlow(flow('first'));
        return 'first';
      }),
      store.transaction(async (tx) => {
        await tx.insertFlow(flow('failed'));
        await tx.appendAudit('flow:failed', [{ at: now, actor: 'a', entry: { type: 'flow.created' } }]);
        throw boom;
      }),
      store.transaction(async (tx) => {
        await tx.insertFlow(flow('third'));
        return 'third';
      }),
    ]);
    expect(results).toEqual([
      { ok: true, value: 'first' },
      { ok: false, error: boom },
      { ok: true, value: 'third' },
    ]);
    expect(store.groupCommit.largestBatch).toBe(3);
    expect(flowKeys(other)).toEqual(['first', 'third']);
    expect(other.prepare('SELECT COUNT(*) AS n FROM audit').get()).toEqual({ n: 0 });
    expect(other.prepare('SELECT COUNT(*) AS n FROM audit_heads').get()).toEqual({ n: 0 });
  });

  test('a transaction later in a batch sees what an earlier one wrote, in order of arrival', async () => {
    const { store } = fileStore();
    const [, seen] = await Promise.all([
      store.transaction((tx) => tx.insertFlow(flow('early'))),
      store.transaction(async (tx) => (await tx.getFlow('early'))?.key ?? 'missing'),
    ]);
    expect(seen).toBe('early');
  });

  test('no caller hears back before the shared COMMIT: each result is already readable by another connection', async () => {
    const { store, other } = fileStore();
    const seenElsewhere: boolean[] = [];
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((key) =>
        store.transaction((tx) => tx.insertFlow(flow(key))).then(() => {
          // A second connection sees only committed data.
          seenElsewhere.push(flowKeys(other).includes(key));
        }),
      ),
    );
    expect(store.groupCommit.largestBatch).toBe(4);
    expect(seenElsewhere).toEqual([true, true, true, true]);
  });

  test('when the COMMIT fails, every transaction of the batch rejects and none of them is visible', async () => {
    const { store, other } = fileStore();
    await store.insertFlow(flow('before'));
    const results = await settleAll([
      store.transaction((tx) => tx.insertFlow(flow('x1'))),
      store.transaction(async (tx) => {
        // A foreign key checked only at COMMIT: the shared COMMIT itself fails.
        store.db.pragma('defer_foreign_keys = ON');
        await tx.insertTimer(ghostTimer());
      }),
      store.transaction((tx) => tx.insertFlow(flow('x3'))),
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    for (const r of results) expect(String((r as { error: unknown }).error)).toMatch(/FOREIGN KEY constraint failed/);
    expect(flowKeys(other)).toEqual(['before']);
    expect(store.db.inTransaction).toBe(false);
    // The store goes on working.
    await store.transaction((tx) => tx.insertFlow(flow('after')));
    expect(flowKeys(other)).toEqual(['after', 'before']);
  });

  test('when SQLite abandons the transaction midway, no member of the batch is acknowledged and none is written', async () => {
    const { store, other } = fileStore();
    let writeAfterRollback: unknown;
    const results = await settleAll<unknown>([
      store.transaction((tx) => tx.insertFlow(flow('y1'))),
      store.transaction(async (tx) => {
        // What SQLite does by itself on an I/O error or a full disk.
        store.db.exec('ROLLBACK');
        writeAfterRollback = await (async () => tx.insertFlow(flow('autocommitted')))().catch((e: unknown) => e);
        return 'carried on';
      }),
      store.transaction((tx) => tx.insertFlow(flow('y3'))),
    ]);
    expect(results[0]).toMatchObject({ ok: false, error: expect.any(BatchAbortedError) });
    expect(results[1]).toMatchObject({ ok: false, error: expect.any(BatchAbortedError) });
    // The member after the break runs in a batch of its own.
    expect(results[2]).toEqual({ ok: true, value: undefined });
    // A write after the rollback is refused rather than committed on its own.
    expect(writeAfterRollback).toBeInstanceOf(StoreMisuseError);
    expect(flowKeys(other)).toEqual(['y3']);
  });

  test('a batch holds at most maxBatch transactions', async () => {
    const { store, other } = fileStore({ groupCommit: { maxBatch: 4 } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.transaction((tx) => tx.insertFlow(flow(`m${i}`)))));
    expect(flowKeys(other)).toHaveLength(10);
    expect(store.groupCommit.largestBatch).toBe(4);
    expect(store.groupCommit.batches).toBeGreaterThanOrEqual(3);
  });

  test('no transaction joins a batch that has run longer than maxBatchMs', async () => {
    const { store } = fileStore({ groupCommit: { maxBatchMs: 5 } });
    const slow = (key: string) => async (tx: StoreTx) => {
      const until = performance.now() + 8;
      while (performance.now() < until) {
        // Busy: the time a large step takes.
      }
      await tx.insertFlow(flow(key));
    };
    await Promise.all([store.transaction(slow('s1')), store.transaction(slow('s2')), store.transaction(slow('s3'))]);
    expect(store.groupCommit.largestBatch).toBe(1);
    expect(store.groupCommit.batches).toBe(3);
  });

  test('calls on the store from inside a batched transaction are still refused', async () => {
    const { store } = fileStore();
    const results = await settleAll<unknown>([store.transaction((tx) => tx.insertFlow(flow('ok'))), store.transaction(async () => store.getFlow('ok'))]);
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: expect.any(StoreMisuseError) });
  });
});

describe('durability after COMMIT', () => {
  /** A committer on its own connection, whose sync the test completes or fails by hand. */
  function manualSync() {
    const dir = mkdtempSync(join(tmpdir(), 'flowpath-sync-'));
    const path = join(dir, 'x.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    const other = new Database(path, { readonly: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => {
      db.close();
      other.close();
    });
    const syncs: { resolve: () => void; reject: (e: Error) => void }[] = [];
    const inline = { calls: 0, failWith: null as Error | null };
    const committer = new GroupCommitter(db, {
      sync: {
        later: () =>
          new Promise<void>((resolve, reject) => {
            syncs.push({ resolve, reject });
          }),
        now: () => {
          inline.calls += 1;
          if (inline.failWith) throw inline.failWith;
        },
      },
    });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const write = (v: string): Promise<string> =>
      committer.transaction(async () => {
        insert.run(v);
        return v;
      });
    const rows = (): string[] => (other.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v);
    const count = db.prepare('SELECT COUNT(*) FROM t').pluck();
    const read = (): Promise<number> => committer.transaction(async () => count.get() as number);
    return { committer, syncs, inline, write, read, rows };
  }

  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  test('a committed batch is answered only once the sync begun after its COMMIT has finished', async () => {
    const { syncs, write, rows } = manualSync();
    const answered: string[] = [];
    const all = Promise.all(['a', 'b'].map((v) => write(v).then((x) => answered.push(x))));
    while (syncs.length === 0) await tick();
    // Committed (another connection sees it) but not yet on disk: nobody has been answered.
    expect(rows()).toEqual(['a', 'b']);
    await tick();
    expect(answered).toEqual([]);
    syncs[0]?.resolve();
    await all;
    expect(answered).toEqual(['a', 'b']);
  });

  test('batches that commit while a sync runs wait for the next one, which covers them all', async () => {
    const { syncs, write } = manualSync();
    const first = Promise.all([write('a'), write('a2')]);
    while (syncs.length === 0) await tick();
    const later = [write('b'), write('c')];
    await tick();
    await tick();
    // One sync at a time: the second starts only when the first is done.
    expect(syncs).toHaveLength(1);
    syncs[0]?.resolve();
    await first;
    while (syncs.length < 2) await tick();
    let settled = false;
    void Promise.all(later).then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    syncs[1]?.resolve();
    expect(await Promise.all(later)).toEqual(['b', 'c']);
  });

  test('a lone write with nothing else waiting is synced right away, before it is answered', async () => {
    const { syncs, inline, write } = manualSync();
    let syncedWhenAnswered = -1;
    await write('solo').then(() => (syncedWhenAnswered = inline.calls));
    expect(syncedWhenAnswered).toBe(1);
    expect(syncs).toHaveLength(0);
    inline.failWith = new Error('EIO: i/o error, fdatasync');
    await expect(write('lost')).rejects.toBeInstanceOf(DurabilityError);
    await expect(write('after')).rejects.toBeInstanceOf(DurabilityError);
  });

  test('a batch that only reads is answered without a sync when everything committed is durable', async () => {
    const { syncs, inline, write, read } = manualSync();
    await write('a');
    expect(inline.calls).toBe(1);
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    expect(await read()).toBe(1);
    expect(inline.calls).toBe(1);
    expect(syncs).toHaveLength(0);
  });

  test('a read that may have seen a committed batch not yet on disk is answered only after that batch\'s sync', async () => {
    const { syncs, inline, write, read } = manualSync();
    const writes = Promise.all([write('a'), write('b')]);
    while (syncs.length === 0) await tick();
    let seen = -1;
    const reading = read().then((n) => (seen = n));
    await tick();
    await tick();
    // It has read both rows, but they are not durable yet: no answer.
    expect(seen).toBe(-1);
    syncs[0]?.resolve();
    await Promise.all([writes, reading]);
    expect(seen).toBe(2);
    // The read asked for no sync of its own.
    expect(syncs).toHaveLength(1);
    expect(inline.calls).toBe(0);
  });

  test('a read waiting for a sync that fails is refused too', async () => {
    const { syncs, write, read } = manualSync();
    const writes = settleAll([write('a'), write('b')]);
    while (syncs.length === 0) await tick();
    const reading = settleAll([read()]);
    await tick();
    await tick();
    syncs[0]?.reject(new Error('EIO: i/o error, fdatasync'));
    for (const r of [...(await writes), ...(await reading)]) expect(r).toMatchObject({ ok: false, error: expect.any(DurabilityError) });
  });

  test('when the sync fails, every waiting caller is refused and so is all later work', async () => {
    const { syncs, write, rows } = manualSync();
    const waiting = settleAll([write('a'), write('b')]);
    while (syncs.length === 0) await tick();
    syncs[0]?.reject(new Error('EIO: i/o error, fdatasync'));
    for (const r of await waiting) expect(r).toMatchObject({ ok: false, error: expect.any(DurabilityError) });
    await expect(write('c')).rejects.toBeInstanceOf(DurabilityError);
    expect(rows()).toEqual(['a', 'b']);
  });

  test('a file store fdatasyncs its WAL before it answers, and SQLite no longer syncs inside COMMIT', async () => {
    const { store } = fileStore();
    expect(store.synchronous).toBe('full');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    const held: (() => void)[] = [];
    const real = fs.fdatasync;
    const realNow = fs.fdatasyncSync;
    let syncedNow = 0;
    fs.fdatasync = ((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
      held.push(() => real(fd, cb));
    }) as unknown as typeof fs.fdatasync;
    fs.fdatasyncSync = (fd: number) => {
      syncedNow += 1;
      realNow(fd);
    };
    syncBuiltinESMExports();
    try {
      // Writers that overlap: the WAL is synced on the thread pool, and nobody is answered before.
      let answered = 0;
      const writes = Promise.all(['d1', 'd2', 'd3'].map((k) => store.transaction((tx) => tx.insertFlow(flow(k))).then(() => (answered += 1))));
      while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(answered).toBe(0);
      held.splice(0).forEach((go) => go());
      await writes;
      expect(answered).toBe(3);
      // A lone writer: synced right away, before its answer.
      let syncedWhenAnswered = -1;
      await store.transaction((tx) => tx.insertFlow(flow('lone'))).then(() => (syncedWhenAnswered = syncedNow));
      expect(syncedWhenAnswered).toBe(1);
    } finally {
      fs.fdatasync = real;
      fs.fdatasyncSync = realNow;
      syncBuiltinESMExports();
    }
  });

  test('with syncInCommit, SQLite syncs inside COMMIT (synchronous=FULL) as it did before', () => {
    const { store } = fileStore({ syncInCommit: true });
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.synchronous).toBe('full');
  });
});
