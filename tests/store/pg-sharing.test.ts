/**
 * PostgreSQL only: what several processes sharing one database need beyond the common contract —
 * migrations under an advisory lock, SKIP LOCKED timer claims, appends and saves racing from two
 * stores, deadlocks retried, and a swallowed database error never committing.
 */
import { expect, it } from 'vitest';
import { dropPgSchema, openPgStore, StoreConflictError, verifyAuditChain, type PgStore, type Store } from '@flowpath/runtime-api';
import { describePostgres, freshSchemaName, TEST_DATABASE_URL } from './harness';
import { at, caseRecord, flowRecord, seedCases, taskRecord, timerRecord, T0 } from './records';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((ok) => (resolve = ok));
  return { promise, resolve };
}

describePostgres('PostgreSQL: migrations', () => {
  it('lets several processes start at once on an empty schema: one migrates, all open', async () => {
    const schema = freshSchemaName('fpm');
    const stores: PgStore[] = [];
    try {
      stores.push(...(await Promise.all(Array.from({ length: 4 }, () => openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 2 })))));
      const r = await stores[0]!.pool.query(`SELECT version FROM ${stores[0]!.table('schema_migrations')} ORDER BY version`);
      // Every migration applied exactly once, in order (the table's key would refuse a repeat).
      const versions = r.rows.map((x: { version: number }) => x.version);
      expect(versions.length).toBeGreaterThanOrEqual(2);
      expect(versions).toEqual(versions.map((_: number, i: number) => i + 1));
      await stores[1]!.insertFlow(flowRecord('loan'));
      expect((await stores[3]!.getFlow('loan'))?.key).toBe('loan');
    } finally {
      for (const s of stores) await s.close();
      await dropPgSchema({ connectionString: TEST_DATABASE_URL }, schema);
    }
  });

  it('refuses a schema written by a newer Flowpath, and a schema name that is not a plain identifier', async () => {
    const schema = freshSchemaName('fpm');
    try {
      const s = await openPgStore({ connectionString: TEST_DATABASE_URL, schema });
      await s.pool.query(`INSERT INTO ${s.table('schema_migrations')} (version, applied_at) VALUES (99, $1)`, [T0]);
      await s.close();
      await expect(openPgStore({ connectionString: TEST_DATABASE_URL, schema })).rejects.toThrow(/version 99, newer than this Flowpath/);
    } finally {
      await dropPgSchema({ connectionString: TEST_DATABASE_URL }, schema);
    }
    await expect(openPgStore({ connectionString: TEST_DATABASE_URL, schema: 'Robert"; DROP' })).rejects.toThrow(/schema name .* is not allowed/);
    await expect(openPgStore({ connectionString: TEST_DATABASE_URL, schema: 'x', poolMax: 1 })).rejects.toThrow(/at least 2 connections/);
  });
});

describePostgres('PostgreSQL: sharing the work', (open) => {
  it('gives a second scheduler the next due timer, without waiting, while the first holds one', async () => {
    const { store, second } = await open();
    const other = await second();
    await seedCases(store, ['c-1', 'c-2']);
    await store.insertTimer(timerRecord('c-1', 'breach', at(1)));
    await store.insertTimer(timerRecord('c-2', 'breach', at(2)));
    const taken = deferred();
    const release = deferred();
    const holder = store.transaction(async (tx) => {
      const t = await tx.takeDueTimer(at(10));
      taken.resolve();
      await release.promise;
      return t?.caseId;
    });
    await taken.promise;
    const started = Date.now();
    const next = await other.takeDueTimer(at(10));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(next?.caseId).toBe('c-2');
    release.resolve();
    expect(await holder).toBe('c-1');
  });

  it('skips a timer whose case another transaction is stepping, instead of queueing behind it', async () => {
    const { store, second } = await open();
    const other = await second();
    await seedCases(store, ['c-1']);
    await store.insertTimer(timerRecord('c-1', 'breach', at(1)));
    const stepped = deferred();
    const release = deferred();
    const step = store.transaction(async (tx) => {
      const c = (await tx.getCase('c-1'))!;
      await tx.updateCase({ ...c, priority: 5 });
      stepped.resolve();
      await release.promise;
    });
    await stepped.promise;
    expect(await other.takeDueTimer(at(10))).toBeUndefined();
    release.resolve();
    await step;
    expect((await other.takeDueTimer(at(10)))?.caseId).toBe('c-1');
  });

  it('keeps one audit chain when two processes append to the same stream at once', async () => {
    const { store, second } = await open();
    const other = await second();
    const append = (s: Store, who: string) =>
      Promise.all(Array.from({ length: 10 }, (_, i) => s.appendAudit('flow:loan', [{ at: at(i), actor: who, entry: { type: 'draft.saved', i } }])));
    await Promise.all([append(store, 'a'), append(other, 'b')]);
    const entries = await store.listAudit('flow:loan');
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verifyAuditChain(entries, await store.auditHead('flow:loan'))).toEqual({ ok: true, entries: 20 });
  });

  it('lets exactly one of two processes save a release policy, draft or calendar on the same revision', async () => {
    const { store, second } = await open();
    const other = await second();
    await store.insertFlow(flowRecord('loan'));
    const policy = { flowKey: 'loan', defaultVersion: 1, pilots: [], split: null, revision: 0, updatedBy: 'owner', updatedAt: T0 };
    const outcomes = async (ps: Promise<unknown>[]): Promise<string[]> =>
      (await Promise.allSettled(ps)).map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason instanceof StoreConflictError ? r.reason.code : String(r.reason))).sort();
    expect(await outcomes([store.putReleasePolicy(policy, 0), other.putReleasePolicy(policy, 0)])).toEqual(['ok', 'release-policy.revision.stale']);
    expect(await outcomes([store.putReleasePolicy(policy, 1), other.putReleasePolicy(policy, 1)])).toEqual(['ok', 'release-policy.revision.stale']);
    expect(await outcomes([store.saveDraft('loan', 1, { a: 1 }, 'x', T0), other.saveDraft('loan', 1, { b: 1 }, 'y', T0)])).toEqual(['draft.revision.stale', 'ok']);
    expect(await outcomes([store.putCalendar('hk', {}, 0, 'x', T0), other.putCalendar('hk', {}, 0, 'y', T0)])).toEqual(['calendar.revision.stale', 'ok']);
    expect(await outcomes([store.insertCase(caseRecord('c-1')), other.insertCase(caseRecord('c-1'))])).toEqual(['case.exists', 'ok']);
    const c = (await store.getCase('c-1'))!;
    expect(await outcomes([store.updateCase({ ...c, priority: 1 }), other.updateCase({ ...c, priority: 2 })])).toEqual(['case.changed', 'ok']);
  });

  it('runs again a transaction that PostgreSQL chose as a deadlock victim, so both writers succeed', async () => {
    const { store, second } = await open();
    const other = await second();
    await seedCases(store, ['c-1', 'c-2']);
    await store.insertTask(taskRecord('A', 'c-1'));
    await store.insertTask(taskRecord('B', 'c-2'));
    const firstLocked = { one: deferred(), two: deferred() };
    let runs = 0;
    // Each updates one task, waits until the other has too, then updates the other's task.
    const crosswise = (s: Store, mine: string, theirs: string, me: keyof typeof firstLocked, them: keyof typeof firstLocked) =>
      s.transaction(async (tx) => {
        runs += 1;
        const a = (await tx.getTask(mine))!;
        await tx.updateTask({ ...a, priority: a.priority + 1 });
        firstLocked[me].resolve();
        await firstLocked[them].promise;
        const b = (await tx.getTask(theirs))!;
        await tx.updateTask({ ...b, priority: b.priority + 1 });
      });
    await Promise.all([crosswise(store, 'A', 'B', 'one', 'two'), crosswise(other, 'B', 'A', 'two', 'one')]);
    expect(runs).toBe(3);
    expect((await store.getTask('A'))?.priority).toBe(2);
    expect((await store.getTask('B'))?.priority).toBe(2);
  });

  it('makes a task update wait for a step on its case instead of deadlocking with it', async () => {
    const { store, second } = await open();
    const other = await second();
    await seedCases(store, ['c-1']);
    await store.insertTask(taskRecord('T', 'c-1'));
    const caseLocked = deferred();
    let stepRuns = 0;
    // The step (e.g. a timer escalating the task) holds the case, then updates the task.
    const step = store.transaction(async (tx) => {
      stepRuns += 1;
      const c = (await tx.getCase('c-1'))!;
      await tx.updateCase({ ...c, priority: 99 });
      caseLocked.resolve();
      await new Promise((ok) => setTimeout(ok, 200));
      const t = (await tx.getTask('T'))!;
      await tx.updateTask({ ...t, priority: 99 });
    });
    await caseLocked.promise;
    // Meanwhile an operator claims the task it read before the step.
    const read = (await other.getTask('T'))!;
    const started = Date.now();
    const claim = await other.updateTask({ ...read, status: 'claimed', assignee: 'op' }).then(
      () => 'ok',
      (e: unknown) => (e instanceof StoreConflictError ? e.code : String(e)),
    );
    await step;
    expect(claim).toBe('task.changed');
    expect(stepRuns).toBe(1);
    // Deadlock detection would have taken deadlock_timeout (1 s) and rerun the step.
    expect(Date.now() - started).toBeLessThan(900);
    expect(await store.getTask('T')).toMatchObject({ priority: 99, status: 'open', rowVersion: 2 });
  });

  it('never commits a transaction whose callback swallowed a database error', async () => {
    const { store } = await open();
    const e = await store
      .transaction(async (tx) => {
        await tx.insertCase(caseRecord('c-1'));
        await tx.insertTimer(timerRecord('ghost', 't', at(1))).catch(() => undefined);
        return 'pretends all is well';
      })
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    // The foreign-key error itself comes back, since PostgreSQL ended the transaction there.
    expect((e as { code?: string }).code).toBe('23503');
    expect(await store.getCase('c-1')).toBeUndefined();
  });

  it('lets one process at a time hold a named lock, and the store stays usable inside it', async () => {
    const { store, second } = await open();
    const other = (await second()) as PgStore;
    const events: string[] = [];
    const inside = deferred();
    const first = (store as PgStore).withLock('first-start', async () => {
      events.push('a in');
      inside.resolve();
      await new Promise((ok) => setTimeout(ok, 150));
      await store.insertFlow(flowRecord('loan'));
      events.push('a out');
    });
    await inside.promise;
    const later = other.withLock('first-start', async () => {
      events.push(`b in, flow ${(await other.getFlow('loan'))?.key}`);
    });
    await Promise.all([first, later]);
    expect(events).toEqual(['a in', 'a out', 'b in, flow loan']);
  });
});
