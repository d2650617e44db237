/**
 * Conformance: a transaction commits whole or leaves nothing behind, and the store refuses to be
 * used around a transaction in ways that would silently escape it.
 */
import { expect, it } from 'vitest';
import { StoreMisuseError, type StoreTx } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, caseRecord, flowRecord, outboxRecord, taskRecord, timerRecord, T0 } from './records';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** Writes one of everything a step writes, to every table. */
async function writeAStep(tx: StoreTx, id: string): Promise<void> {
  await tx.insertCase(caseRecord(id));
  await tx.insertTask(taskRecord(`${id}-task`, id));
  await tx.insertTimer(timerRecord(id, 'sla', at(1000)));
  await tx.insertOutbox([outboxRecord(`${id}-out`, T0, { caseId: id })]);
  await tx.appendAudit(`case:${id}`, [{ at: T0, actor: 'app', entry: { type: 'case.started' } }]);
  await tx.putIdempotency({ caller: 'app', key: id, requestHash: 'h', status: 201, body: { id }, createdAt: T0 });
  await tx.putList({ name: `list-${id}`, kind: 'other', description: null, updatedBy: 'a', updatedAt: T0 }, [{ value: 'v', note: null, addedBy: 'a', addedAt: T0 }]);
  await tx.putCalendar(`cal-${id}`, { id: `cal-${id}` }, 0, 'a', T0);
}

describeStores('transactions', (open) => {
  it('commits everything a callback wrote and returns its result', async () => {
    const { store } = await open();
    const result = await store.transaction(async (tx) => {
      await writeAStep(tx, 'c-1');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await store.getCase('c-1')).toBeDefined();
    expect(await store.getTask('c-1-task')).toBeDefined();
    expect(await store.countDueTimers(at(1000))).toBe(1);
    expect(await store.countPendingOutbox()).toBe(1);
    expect(await store.auditHead('case:c-1')).toMatchObject({ seq: 1 });
  });

  it('keeps nothing of a callback that throws midway, whatever it had written', async () => {
    const { store, raw } = await open();
    await store.insertFlow(flowRecord('loan'));
    const boom = new Error('connector blew up');
    const e = await rejection(
      store.transaction(async (tx) => {
        await writeAStep(tx, 'c-1');
        await tx.saveDraft('loan', 1, { changed: true }, 'analyst', at(1));
        throw boom;
      }),
    );
    expect(e).toBe(boom);
    for (const table of ['cases', 'case_waits', 'tasks', 'timers', 'outbox', 'audit', 'audit_heads', 'idempotency', 'lists', 'list_entries', 'calendars']) {
      expect({ table, rows: Number((await raw.rows(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n) }).toEqual({ table, rows: 0 });
    }
    expect(await store.listsGeneration()).toBe(0);
    expect(await store.getFlow('loan')).toMatchObject({ draftRevision: 1, draft: { key: 'loan' } });
    // The store is still usable afterwards.
    await store.transaction((tx) => writeAStep(tx, 'c-2'));
    expect(await store.getCase('c-2')).toBeDefined();
  });

  it('rolls back a callback whose database write failed even if the callback caught the error', async () => {
    const { store } = await open();
    const e = await rejection(
      store.transaction(async (tx) => {
        await tx.insertCase(caseRecord('c-1'));
        // A timer for a case that does not exist breaks a foreign key.
        await tx.insertTimer(timerRecord('ghost', 't', at(1))).catch(() => undefined);
        await tx.getCase('c-1').catch(() => undefined);
        throw new Error('gave up');
      }),
    );
    expect((e as Error).message).toBe('gave up');
    expect(await store.getCase('c-1')).toBeUndefined();
  });

  it('refuses calls on the store inside its own transaction, and on a transaction that has ended', async () => {
    const { store } = await open();
    let leaked: StoreTx | undefined;
    const inner = await store.transaction(async (tx) => {
      leaked = tx;
      const a = await rejection(store.getCase('c-1'));
      const b = await rejection(store.transaction(async () => undefined));
      return [a, b];
    });
    for (const e of inner) {
      expect(e).toBeInstanceOf(StoreMisuseError);
      expect((e as Error).message).toMatch(/use the tx argument/);
    }
    const after = await rejection((async () => leaked!.getCase('c-1'))());
    expect(after).toBeInstanceOf(StoreMisuseError);
    expect((after as Error).message).toMatch(/tx\.getCase called after its transaction ended/);
  });

  it('refuses calls after close', async () => {
    const { store } = await open();
    await store.ping();
    await store.close();
    const e = await rejection(store.getCase('c-1'));
    expect(e).toBeInstanceOf(StoreMisuseError);
    expect((e as Error).message).toMatch(/closed/);
  });

  it('runs independent transactions one after another without losing any write', async () => {
    const { store } = await open();
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.transaction((tx) => writeAStep(tx, `c-${i}`))));
    expect((await store.listCases({}, 100)).length).toBe(12);
    expect(await store.listsGeneration()).toBe(12);
  });
});
