/**
 * Conformance: timers are taken once and in due order; outbox rows are leased, and a lease that
 * ran out is taken over while its former holder can no longer finish the row.
 */
import { expect, it } from 'vitest';
import type { Store, TimerRecord } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, caseRecord, outboxRecord, seedCases, timerRecord } from './records';

/** What the scheduler does with a timer: take it and mark it fired in one transaction. */
async function fireOne(store: Store, now: string): Promise<TimerRecord | undefined> {
  return store.transaction(async (tx) => {
    const t = await tx.takeDueTimer(now);
    if (!t) return undefined;
    return (await tx.updateTimer({ ...t, status: 'fired', firedAt: now }, 'scheduled')) ? t : undefined;
  });
}

describeStores('timers', (open) => {
  it('takes due timers earliest first (then by case and timer id) and never one that is not due', async () => {
    const { store } = await open();
    await seedCases(store, ['c-B', 'c-a']);
    await store.transaction(async (tx) => {
      await tx.insertTimer(timerRecord('c-a', 'breach', at(3000)));
      await tx.insertTimer(timerRecord('c-a', 'warn', at(1000), { purpose: 'sla.warn' }));
      await tx.insertTimer(timerRecord('c-B', 'warn', at(1000), { purpose: 'sla.warn' }));
      await tx.insertTimer(timerRecord('c-a', 'later', at(9000)));
      await tx.insertTimer(timerRecord('c-a', 'gone', at(0), { status: 'cancelled' }));
    });
    expect(await store.takeDueTimer(at(999))).toBeUndefined();
    expect(await store.countDueTimers(at(3000))).toBe(3);
    const order: string[] = [];
    for (let t = await fireOne(store, at(5000)); t; t = await fireOne(store, at(5000))) order.push(`${t.caseId}/${t.timerId}`);
    expect(order).toEqual(['c-B/warn', 'c-a/warn', 'c-a/breach']);
    expect(await store.countDueTimers(at(5000))).toBe(0);
    expect(await store.getTimer('c-a', 'warn')).toMatchObject({ status: 'fired', firedAt: at(5000), purpose: 'sla.warn' });
    expect((await store.listCaseTimers('c-a')).map((t) => t.timerId)).toEqual(['gone', 'warn', 'breach', 'later']);
  });

  it('changes a timer only from the status the caller expects, and a rescheduled timer replaces the old one', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    const t = timerRecord('c-1', 'sla', at(1000));
    await store.insertTimer(t);
    expect(await store.updateTimer({ ...t, status: 'cancelled' }, 'fired')).toBe(false);
    expect(await store.updateTimer({ ...t, status: 'scheduled', attempts: 1, lastError: 'boom', runAt: at(3000) }, 'scheduled')).toBe(true);
    expect(await store.takeDueTimer(at(2000))).toBeUndefined();
    expect(await store.getTimer('c-1', 'sla')).toEqual({ ...t, attempts: 1, lastError: 'boom', runAt: at(3000) });
    // The engine reschedules a timer under the same id (e.g. a wait restarted on rework).
    await store.insertTimer(timerRecord('c-1', 'sla', at(7000), { createdAt: at(500) }));
    expect(await store.getTimer('c-1', 'sla')).toEqual(timerRecord('c-1', 'sla', at(7000), { createdAt: at(500) }));
    expect(await store.getTimer('c-1', 'nope')).toBeUndefined();
  });

  it('fires each timer once when two schedulers race for them (another process on PostgreSQL, the same store on SQLite)', async () => {
    const { store, second } = await open();
    const other = await second();
    const ids = Array.from({ length: 6 }, (_, i) => `c-${i}`);
    await seedCases(store, ids);
    await store.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) {
        await tx.insertTimer(timerRecord(id, 'breach', at(i)));
        await tx.insertTimer(timerRecord(id, 'warn', at(i)));
      }
    });
    const drain = async (s: Store): Promise<string[]> => {
      const got: string[] = [];
      for (let t = await fireOne(s, at(10_000)); t; t = await fireOne(s, at(10_000))) got.push(`${t.caseId}/${t.timerId}`);
      return got;
    };
    const [a, b, c] = await Promise.all([drain(store), drain(other), drain(other)]);
    const fired = [...a, ...b, ...c];
    expect(fired).toHaveLength(12);
    expect(new Set(fired).size).toBe(12);
    expect(await store.countDueTimers(at(10_000))).toBe(0);
  });

  it('refuses a timer for a case that does not exist', async () => {
    const { store } = await open();
    await expect(store.insertTimer(timerRecord('ghost', 't', at(1)))).rejects.toThrow();
    await store.insertCase(caseRecord('real'));
    await store.insertTimer(timerRecord('real', 't', at(1)));
  });
});

describeStores('outbox', (open) => {
  it('leases due rows in order up to the limit, counting the attempt', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    await store.insertOutbox([
      outboxRecord('o-3', at(3000)),
      outboxRecord('o-1', at(1000), { caseId: 'c-1', kind: 'service.call', payload: { connector: 'ocr', input: { doc: 'id-card' } } }),
      outboxRecord('o-2', at(1000)),
      outboxRecord('o-9', at(9000)),
      outboxRecord('o-done', at(0), { status: 'done', doneAt: at(0) }),
    ]);
    await store.insertOutbox([]);
    expect(await store.countPendingOutbox()).toBe(4);
    const batch = await store.claimOutbox(at(5000), 'worker-a', at(65_000), 2);
    expect(batch.map((r) => r.id)).toEqual(['o-1', 'o-2']);
    expect(batch[0]).toEqual({ ...outboxRecord('o-1', at(1000), { caseId: 'c-1', kind: 'service.call', payload: { connector: 'ocr', input: { doc: 'id-card' } } }), attempts: 1, leaseOwner: 'worker-a', leaseUntil: at(65_000) });
    expect(await store.getOutbox('o-1')).toEqual(batch[0]);
    expect((await store.claimOutbox(at(5000), 'worker-b', at(65_000), 10)).map((r) => r.id)).toEqual(['o-3']);
    expect(await store.claimOutbox(at(5000), 'worker-c', at(65_000), 10)).toEqual([]);
    expect((await store.listCaseOutbox('c-1')).map((r) => r.id)).toEqual(['o-1']);
  });

  it('keeps rows of the same moment in the order they were written, not by id', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    await store.insertOutbox([outboxRecord('zz-call', at(0), { caseId: 'c-1', kind: 'service.call' }), outboxRecord('mm', at(0), { caseId: 'c-1' })]);
    await store.insertOutbox([outboxRecord('aa-event', at(0), { caseId: 'c-1' })]);
    expect((await store.listCaseOutbox('c-1')).map((r) => r.id)).toEqual(['zz-call', 'mm', 'aa-event']);
    expect((await store.claimOutbox(at(0), 'w', at(60_000), 2)).map((r) => r.id)).toEqual(['zz-call', 'mm']);
    expect((await store.claimOutbox(at(0), 'w', at(60_000), 2)).map((r) => r.id)).toEqual(['aa-event']);
  });

  it('hands a row whose lease ran out to another worker; the first can no longer finish it', async () => {
    const { store, second } = await open();
    const other = await second();
    await store.insertOutbox([outboxRecord('o-1', at(0))]);
    const [mine] = await store.claimOutbox(at(0), 'worker-a', at(60_000), 5);
    expect(mine?.attempts).toBe(1);
    // Worker A's process dies; until the lease ends nobody else may take the row.
    expect(await other.claimOutbox(at(59_999), 'worker-b', at(120_000), 5)).toEqual([]);
    expect(await other.claimOutbox(at(60_000), 'worker-b', at(120_000), 5)).toEqual([]);
    const [taken] = await other.claimOutbox(at(60_001), 'worker-b', at(120_001), 5);
    expect(taken).toMatchObject({ id: 'o-1', attempts: 2, leaseOwner: 'worker-b', leaseUntil: at(120_001) });
    // A comes back: marking the row done names its own lease, which it lost.
    expect(await store.updateOutbox({ ...mine!, status: 'done', doneAt: at(61_000), leaseOwner: null, leaseUntil: null }, 'worker-a')).toBe(false);
    expect(await other.updateOutbox({ ...taken!, status: 'done', doneAt: at(61_000), leaseOwner: null, leaseUntil: null }, 'worker-b')).toBe(true);
    expect(await store.getOutbox('o-1')).toMatchObject({ status: 'done', doneAt: at(61_000), attempts: 2, leaseOwner: null });
    expect(await store.countPendingOutbox()).toBe(0);
    expect(await store.claimOutbox(at(999_999), 'worker-c', at(999_999), 5)).toEqual([]);
  });

  it('updates an unleased row only when the caller names no owner', async () => {
    const { store } = await open();
    await store.insertOutbox([outboxRecord('o-1', at(0))]);
    const row = (await store.getOutbox('o-1'))!;
    expect(await store.updateOutbox({ ...row, lastError: 'x' }, 'someone')).toBe(false);
    expect(await store.updateOutbox({ ...row, status: 'failed', lastError: 'gave up' }, null)).toBe(true);
    expect(await store.getOutbox('o-1')).toMatchObject({ status: 'failed', lastError: 'gave up' });
    expect(await store.getOutbox('o-2')).toBeUndefined();
  });

  it('gives each pending row to exactly one of several racing workers', async () => {
    const { store, second } = await open();
    const other = await second();
    await store.insertOutbox(Array.from({ length: 30 }, (_, i) => outboxRecord(`o-${String(i).padStart(2, '0')}`, at(i))));
    const drain = async (s: Store, owner: string): Promise<string[]> => {
      const got: string[] = [];
      for (let b = await s.claimOutbox(at(100), owner, at(60_000), 4); b.length; b = await s.claimOutbox(at(100), owner, at(60_000), 4)) got.push(...b.map((r) => r.id));
      return got;
    };
    const results = await Promise.all([drain(store, 'a'), drain(other, 'b'), drain(other, 'c'), drain(store, 'd')]);
    const all = results.flat();
    expect(all).toHaveLength(30);
    expect(new Set(all).size).toBe(30);
  });
});
