/**
 * Conformance: idempotency records, lists (whitelists/blacklists) and business calendars.
 */
import { expect, it } from 'vitest';
import { StoreConflictError } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, awkwardDocument, T0 } from './records';

async function conflictCode(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StoreConflictError);
  return (e as StoreConflictError).code;
}

describeStores('idempotency records', (open) => {
  const rec = { caller: 'app', key: 'order-42', requestHash: 'h-1', status: 201, body: { id: 'c-1', data: awkwardDocument }, createdAt: T0 };

  it('stores the first response per caller and key, refuses a second, and forgets old ones', async () => {
    const { store } = await open();
    await store.putIdempotency(rec);
    expect(JSON.stringify(await store.getIdempotency('app', 'order-42'))).toBe(JSON.stringify(rec));
    expect(await conflictCode(store.putIdempotency({ ...rec, requestHash: 'h-2', status: 200 }))).toBe('idempotency.exists');
    expect((await store.getIdempotency('app', 'order-42'))?.requestHash).toBe('h-1');
    // Keys belong to a caller: another app may use the same one.
    await store.putIdempotency({ ...rec, caller: 'app2', body: null, createdAt: at(10_000) });
    expect((await store.getIdempotency('app2', 'order-42'))?.body).toBeNull();
    expect(await store.getIdempotency('app', 'other')).toBeUndefined();
    expect(await store.purgeIdempotency(at(10_000))).toBe(1);
    expect(await store.getIdempotency('app', 'order-42')).toBeUndefined();
    expect(await store.getIdempotency('app2', 'order-42')).toBeDefined();
  });

  it('lets a transaction that met a taken key go on and commit its other writes', async () => {
    const { store } = await open();
    await store.putIdempotency(rec);
    const code = await store.transaction(async (tx) => {
      const c = await conflictCode(tx.putIdempotency(rec));
      await tx.putIdempotency({ ...rec, key: 'order-43' });
      return c;
    });
    expect(code).toBe('idempotency.exists');
    expect(await store.getIdempotency('app', 'order-43')).toBeDefined();
  });
});

describeStores('lists', (open) => {
  const entry = (value: string, note: string | null = null) => ({ value, note, addedBy: 'admin', addedAt: T0 });

  it('creates, replaces, grows and shrinks a list, with its revision, size and the generation every change bumps', async () => {
    const { store } = await open();
    expect(await store.listsGeneration()).toBe(0);
    const created = await store.putList({ name: 'sanctions', kind: 'blacklist', description: '制裁名单', updatedBy: 'admin', updatedAt: T0 }, [entry('B-2'), entry('a-1', 'pep'), entry('A-1')]);
    expect(created).toEqual({ name: 'sanctions', kind: 'blacklist', description: '制裁名单', revision: 1, size: 3, updatedBy: 'admin', updatedAt: T0 });
    expect((await store.getListEntries('sanctions')).map((e) => e.value)).toEqual(['A-1', 'B-2', 'a-1']);
    expect(await store.listsGeneration()).toBe(1);

    const grown = await store.addListEntries('sanctions', [entry('C-3'), entry('A-1', 'updated note')], 'ops', at(1000));
    expect(grown).toMatchObject({ revision: 2, size: 4, updatedBy: 'ops', updatedAt: at(1000) });
    expect((await store.getListEntries('sanctions')).find((e) => e.value === 'A-1')).toEqual({ value: 'A-1', note: 'updated note', addedBy: 'admin', addedAt: T0 });
    const shrunk = await store.removeListEntries('sanctions', ['B-2', 'not-there'], 'ops', at(2000));
    expect(shrunk).toMatchObject({ revision: 3, size: 3 });
    expect(await store.listsGeneration()).toBe(3);

    const replaced = await store.putList({ name: 'sanctions', kind: 'other', description: null, updatedBy: 'admin', updatedAt: at(3000) }, [entry('Z')]);
    expect(replaced).toMatchObject({ kind: 'other', description: null, revision: 4, size: 1 });
    await store.putList({ name: 'vip', kind: 'whitelist', description: null, updatedBy: 'admin', updatedAt: T0 }, []);
    expect((await store.listLists()).map((l) => [l.name, l.size])).toEqual([['sanctions', 1], ['vip', 0]]);
    expect((await store.allListValues()).sort((a, b) => a.value.localeCompare(b.value))).toEqual([{ name: 'sanctions', value: 'Z' }]);
    expect(await store.listsGeneration()).toBe(5);
  });

  it('folds a value given twice in one change the way one-by-one inserts would', async () => {
    const { store } = await open();
    const l = await store.putList({ name: 'l', kind: 'other', description: null, updatedBy: 'a', updatedAt: T0 }, [
      { value: 'v', note: 'first', addedBy: 'a', addedAt: T0 },
      { value: 'v', note: 'second', addedBy: 'b', addedAt: at(5) },
    ]);
    expect(l.size).toBe(1);
    expect(await store.getListEntries('l')).toEqual([{ value: 'v', note: 'second', addedBy: 'a', addedAt: T0 }]);
  });

  it('refuses to change a list that does not exist', async () => {
    const { store } = await open();
    expect(await conflictCode(store.addListEntries('ghost', [entry('x')], 'ops', T0))).toBe('list.missing');
    expect(await conflictCode(store.removeListEntries('ghost', ['x'], 'ops', T0))).toBe('list.missing');
    expect(await store.getList('ghost')).toBeUndefined();
    expect(await store.listsGeneration()).toBe(0);
  });
});

describeStores('business calendars', (open) => {
  const cal = { id: 'hk', timezone: 'Asia/Hong_Kong', workingHours: [{ from: '09:00', to: '17:00' }], holidays: ['2026-12-25'] };

  it('creates a calendar at revision 1 and saves it only on the stored revision', async () => {
    const { store } = await open();
    expect(await store.putCalendar('hk', cal, 0, 'admin', T0)).toEqual({ id: 'hk', calendar: cal, revision: 1, updatedBy: 'admin', updatedAt: T0 });
    const e1 = await store.putCalendar('hk', { ...cal, holidays: [] }, 1, 'admin', at(1));
    expect(e1.revision).toBe(2);
    const stale = await store.putCalendar('hk', cal, 1, 'admin', at(2)).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StoreConflictError);
    expect((stale as StoreConflictError).code).toBe('calendar.revision.stale');
    expect((stale as StoreConflictError).current).toEqual({ revision: 2 });
    expect((await store.putCalendar('hk', cal, 0, 'admin', at(2)).catch((e: StoreConflictError) => e.current)) as unknown).toEqual({ revision: 2 });
    expect((await store.putCalendar('sg', cal, 3, 'admin', at(2)).catch((e: StoreConflictError) => e.current)) as unknown).toEqual({ revision: 0 });
    await store.putCalendar('cn-extra', cal, 0, 'admin', T0);
    expect((await store.listCalendars()).map((c) => c.id)).toEqual(['cn-extra', 'hk']);
    expect(await store.getCalendar('sg')).toBeUndefined();
  });
});
