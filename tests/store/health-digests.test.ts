/**
 * Conformance: the process-health digests — the projector's checkpoint on the facts rows (take the
 * ended, undigested ones; mark them), the daily digest rows (lock, put, list), the count of cases
 * started, and the facts row written only over the sequence number it was read at. On PostgreSQL
 * also: two processes projecting at once take disjoint rows and count every case once.
 */
import { expect, it } from 'vitest';
import type { HealthDigest } from '@flowpath/engine';
import type { CaseFactsRecord, HealthDigestKey, HealthDigestRecord, Store } from '@flowpath/runtime-api';
import { describePostgres, describeStores } from './harness';
import { at, factsRecord, seedCases, T0 } from './records';


/** The fields a case's end writes. */
const ended = (endedAt: string, over: Partial<CaseFactsRecord> = {}): Partial<CaseFactsRecord> => ({
  status: 'completed',
  outcome: 'approved',
  endedAt,
  cycleMs: 60_000,
  cycleWorkingMs: 30_000,
  stp: false,
  ...over,
});

const DAY_1 = '2026-03-02';
const DAY_2 = '2026-03-03';
const key = (over: Partial<HealthDigestKey> = {}): HealthDigestKey => ({ flowKey: 'loan', basis: 'ended', version: 1, dim: '', value: '', day: DAY_1, ...over });
/** A digest document that names the cases folded into it, so a test can tell a case counted twice. */
const doc = (caseIds: string[]): NonNullable<HealthDigestRecord['digest']> => ({ digest: { cases: caseIds } as unknown as HealthDigest, work: { 'op-1': { [DAY_1]: caseIds.length } } });
const casesOf = (r: HealthDigestRecord): string[] => (r.digest?.digest as unknown as { cases: string[] } | undefined)?.cases ?? [];

const ids = (rows: CaseFactsRecord[]): string[] => rows.map((r) => r.caseId);

describeStores('process-health digests', (open) => {
  it('writes a facts row over the sequence number it read only, and keeps what a case started with', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    // null: only when there is no row yet.
    expect(await store.putCaseFacts(factsRecord('c-1'), null)).toBe(true);
    expect(await store.putCaseFacts(factsRecord('c-1', { status: 'cancelled', seq: 9 }), null)).toBe(false);
    expect(await store.getCaseFacts('c-1')).toMatchObject({ status: 'waiting', seq: 1 });

    // Over seq 1: the step's figures are written; flow, version, start and dimensions stay as first written.
    const step = factsRecord('c-1', { flowKey: 'cards', version: 7, startedAt: at(5), dims: { branch: 'BJ02' }, rework: 1, incidents: 2, caseSla: 'at-risk', seq: 3, updatedAt: at(10) });
    expect(await store.putCaseFacts(step, 1)).toBe(true);
    expect(await store.getCaseFacts('c-1')).toEqual({ ...step, flowKey: 'loan', version: 1, startedAt: T0, dims: { branch: 'SH01' } });

    // A writer that read seq 1 is too late now: nothing changes.
    expect(await store.putCaseFacts(factsRecord('c-1', { status: 'cancelled', seq: 4 }), 1)).toBe(false);
    expect(await store.getCaseFacts('c-1')).toMatchObject({ status: 'waiting', seq: 3, rework: 1 });

    // The end writes the end fields.
    const end = factsRecord('c-1', { ...ended(at(60_000), { cycleWorkingMs: 2 ** 40, stp: true, caseSla: 'breached' }), seq: 5, updatedAt: at(60_000) });
    expect(await store.putCaseFacts(end, 3)).toBe(true);
    expect(await store.getCaseFacts('c-1')).toMatchObject({ status: 'completed', outcome: 'approved', endedAt: at(60_000), cycleMs: 60_000, cycleWorkingMs: 2 ** 40, stp: true, caseSla: 'breached', seq: 5 });

    // A later write of an open row (a late journal entry) leaves the end fields as they were.
    expect(await store.putCaseFacts(factsRecord('c-1', { status: 'completed', seq: 6, incidents: 3 }), 5)).toBe(true);
    expect(await store.getCaseFacts('c-1')).toMatchObject({ outcome: 'approved', endedAt: at(60_000), cycleMs: 60_000, stp: true, incidents: 3, seq: 6 });
    // Another case's seq is no permission to write this one.
    await seedCases(store, ['c-2']);
    expect(await store.putCaseFacts(factsRecord('c-2', { seq: 2 }), 1)).toBe(false);
    expect(await store.getCaseFacts('c-2')).toBeUndefined();
  });

  it('hands the projector ended, undigested rows in case order, up to the limit, until they are marked', async () => {
    const { store } = await open();
    await seedCases(store, ['a', 'b', 'c', 'd', 'e']);
    await store.putCaseFacts(factsRecord('d', ended(at(3))));
    await store.putCaseFacts(factsRecord('a', ended(at(1))));
    await store.putCaseFacts(factsRecord('b')); // open: not yet
    await store.putCaseFacts(factsRecord('c', ended(at(2))));
    const take = (limit: number): Promise<string[]> => store.transaction(async (tx) => ids(await tx.takeUndigestedCaseFacts(limit)));

    expect(await take(2)).toEqual(['a', 'c']);
    expect(await take(10)).toEqual(['a', 'c', 'd']);
    // Rows come back whole, as written.
    const [first] = await store.transaction((tx) => tx.takeUndigestedCaseFacts(1));
    expect(first).toEqual({ ...factsRecord('a', ended(at(1))), missingFrom: ['ended', 'started'] });

    await store.transaction((tx) => tx.markCaseFactsDigested(['a', 'c']));
    expect(await take(10)).toEqual(['d']);
    await store.markCaseFactsDigested([]);
    expect(await take(10)).toEqual(['d']);

    // A case that ends later is handed over then; a marked one never again.
    await store.putCaseFacts(factsRecord('b', { ...ended(at(4)), seq: 2 }), 1);
    await store.putCaseFacts(factsRecord('e', ended(at(5))));
    expect(await take(10)).toEqual(['b', 'd', 'e']);
    await store.markCaseFactsDigested(['b', 'd', 'e', 'no-such-case']);
    expect(await take(10)).toEqual([]);
    // Marking leaves the rows themselves alone.
    expect(await store.getCaseFacts('a')).toEqual(factsRecord('a', ended(at(1))));
  });

  it('locks a digest row as empty until it is written, then reads back what was put', async () => {
    const { store } = await open();
    const first = await store.transaction((tx) => tx.lockHealthDigest(key()));
    expect(first).toEqual({ ...key(), cases: 0, digest: null });
    // Locked but never written: it is no digest.
    expect(await store.listHealthDigests({ flowKey: 'loan', dim: '' })).toEqual([]);

    await store.transaction(async (tx) => {
      const row = await tx.lockHealthDigest(key());
      await tx.putHealthDigest({ ...row, cases: row.cases + 2, digest: doc(['a', 'b']) });
    });
    const again = await store.transaction((tx) => tx.lockHealthDigest(key()));
    expect(again).toEqual({ ...key(), cases: 2, digest: doc(['a', 'b']) });

    // A put replaces the row; other keys are other rows.
    await store.putHealthDigest({ ...key(), cases: 3, digest: doc(['a', 'b', 'c']) });
    await store.putHealthDigest({ ...key({ dim: 'branch', value: '"SH01"' }), cases: 1, digest: doc(['c']) });
    expect(await store.transaction((tx) => tx.lockHealthDigest(key()))).toEqual({ ...key(), cases: 3, digest: doc(['a', 'b', 'c']) });
    expect(await store.listHealthDigests({ flowKey: 'loan', dim: '' })).toEqual([{ ...key(), cases: 3, digest: doc(['a', 'b', 'c']) }]);
  });

  it('lists the digests of one flow and dimension by version, value and day', async () => {
    const { store } = await open();
    const put = (over: Partial<HealthDigestKey>, cases = 1): Promise<void> => store.putHealthDigest({ ...key(over), cases, digest: doc([]) });
    await put({ version: 2, day: DAY_2 });
    await put({ version: 2, day: DAY_1 });
    await put({ version: 1, day: DAY_2 });
    await put({ version: 1, day: '2026-03-10' });
    await put({ dim: 'branch', value: '"SH01"' });
    await put({ dim: 'branch', value: '"BJ02"' });
    await put({ dim: 'branch', value: '3' });
    await put({ dim: 'segment', value: '"vip"' });
    await put({ flowKey: 'cards' });
    const list = async (q: Partial<Parameters<Store['listHealthDigests']>[0]>): Promise<string[]> =>
      (await store.listHealthDigests({ flowKey: 'loan', dim: '', ...q })).map((r) => `${r.flowKey}/${r.version}/${r.dim}=${r.value}@${r.day}`);

    expect(await list({})).toEqual(['loan/1/=@2026-03-03', 'loan/1/=@2026-03-10', 'loan/2/=@2026-03-02', 'loan/2/=@2026-03-03']);
    expect(await list({ versions: [2] })).toEqual(['loan/2/=@2026-03-02', 'loan/2/=@2026-03-03']);
    expect(await list({ versions: [] })).toEqual([]);
    // From inclusive, to exclusive.
    expect(await list({ fromDay: DAY_2, toDay: '2026-03-10' })).toEqual(['loan/1/=@2026-03-03', 'loan/2/=@2026-03-03']);
    // Values in text order of their JSON.
    expect(await list({ dim: 'branch' })).toEqual(['loan/1/branch="BJ02"@2026-03-02', 'loan/1/branch="SH01"@2026-03-02', 'loan/1/branch=3@2026-03-02']);
    expect(await list({ dim: 'branch', values: ['3', '"SH01"', '"XX"'] })).toEqual(['loan/1/branch="SH01"@2026-03-02', 'loan/1/branch=3@2026-03-02']);
    expect(await list({ dim: 'branch', values: [] })).toEqual([]);
    expect(await list({ dim: 'segment', versions: [1], values: ['"vip"'], fromDay: DAY_1, toDay: DAY_2 })).toEqual(['loan/1/segment="vip"@2026-03-02']);
    expect(await list({ flowKey: 'cards' })).toEqual(['cards/1/=@2026-03-02']);
    expect(await list({ flowKey: 'none' })).toEqual([]);
    // Rows by start day are apart from rows by end day.
    await put({ basis: 'started', day: '2026-03-04' }, 5);
    expect(await list({ basis: 'started' })).toEqual(['loan/1/=@2026-03-04']);
    expect(await list({})).not.toContain('loan/1/=@2026-03-04');
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((ok) => (resolve = ok));
  return { promise, resolve };
}

/** Waits for `p`, failing after `ms` (a store that blocks where it should skip would hang the test). */
function within(p: Promise<void>, ms: number, what: string): Promise<void> {
  return Promise.race([p, new Promise<void>((_, ko) => setTimeout(() => ko(new Error(`timed out waiting for ${what}`)), ms))]);
}

describePostgres('process-health digests from several processes', (open) => {
  it('gives two projectors taking undigested facts at once disjoint rows, and counts every case once in its day', async () => {
    const { store, second } = await open();
    const other = await second();
    // 24 ended cases over two days.
    const caseIds = Array.from({ length: 24 }, (_, i) => `c-${String(i).padStart(2, '0')}`);
    await seedCases(store, caseIds);
    for (const [i, id] of caseIds.entries()) await store.putCaseFacts(factsRecord(id, ended(i % 2 ? `${DAY_2}T08:00:00.000Z` : `${DAY_1}T08:00:00.000Z`)));

    const aTook = deferred();
    const bTook = deferred();
    const aLocked = deferred();
    const taken: Record<'a' | 'b', string[]> = { a: [], b: [] };

    /** What the projector does: take, add each case to its day's digest (keys in one order), mark. */
    const project = (s: Store, me: 'a' | 'b') =>
      s.transaction(async (tx) => {
        if (me === 'b') await within(aTook.promise, 5000, 'the first projector');
        const rows = await tx.takeUndigestedCaseFacts(12);
        taken[me] = ids(rows);
        if (me === 'a') {
          aTook.resolve();
          // The first still holds its rows while the second takes.
          await within(bTook.promise, 5000, 'the second projector to take rows without waiting');
        } else {
          bTook.resolve();
          // Both days are locked by the first now: these locks wait for its commit.
          await within(aLocked.promise, 5000, 'the first projector to lock its digests');
        }
        const byDay = new Map<string, string[]>();
        for (const r of rows) byDay.set((r.endedAt as string).slice(0, 10), [...(byDay.get((r.endedAt as string).slice(0, 10)) ?? []), r.caseId]);
        const locked: HealthDigestRecord[] = [];
        for (const day of [...byDay.keys()].sort()) locked.push(await tx.lockHealthDigest(key({ day })));
        if (me === 'a') {
          aLocked.resolve();
          // Give the second projector time to reach its locks while these are held.
          await new Promise((ok) => setTimeout(ok, 300));
        }
        for (const row of locked) {
          const added = byDay.get(row.day) as string[];
          await tx.putHealthDigest({ ...row, cases: row.cases + added.length, digest: doc([...casesOf(row), ...added]) });
        }
        await tx.markCaseFactsDigested(ids(rows));
      });

    await Promise.all([project(store, 'a'), project(other, 'b')]);

    // Disjoint halves, together every case.
    expect(taken.a).toHaveLength(12);
    expect(taken.b).toHaveLength(12);
    expect(taken.a.filter((id) => taken.b.includes(id))).toEqual([]);
    expect([...taken.a, ...taken.b].sort()).toEqual(caseIds);
    // One row per day, each case in it once, the count right: the second projector built on the first's commit.
    const digests = await other.listHealthDigests({ flowKey: 'loan', dim: '' });
    expect(digests.map((d) => ({ day: d.day, cases: d.cases, ids: casesOf(d).sort() }))).toEqual([
      { day: DAY_1, cases: 12, ids: caseIds.filter((_, i) => i % 2 === 0) },
      { day: DAY_2, cases: 12, ids: caseIds.filter((_, i) => i % 2 === 1) },
    ]);
    expect(await store.transaction((tx) => tx.takeUndigestedCaseFacts(100))).toEqual([]);
  });

  it('lets a projector that finds every row taken by another get none rather than wait', async () => {
    const { store, second } = await open();
    const other = await second();
    await seedCases(store, ['x', 'y']);
    await store.putCaseFacts(factsRecord('x', ended(at(1))));
    await store.putCaseFacts(factsRecord('y', ended(at(2))));
    const held = deferred();
    const release = deferred();
    const holder = store.transaction(async (tx) => {
      expect(ids(await tx.takeUndigestedCaseFacts(10))).toEqual(['x', 'y']);
      held.resolve();
      await release.promise;
      // Rolled back: the rows go back to the pool.
      throw new Error('projector died');
    }).catch((e: unknown) => e);
    await held.promise;
    const t0 = Date.now();
    const took = other.transaction((tx) => tx.takeUndigestedCaseFacts(10));
    // A store that waits for the holder instead of skipping its rows: release it, then fail.
    const waited = await Promise.race([took.then(() => false), new Promise<boolean>((ok) => setTimeout(() => ok(true), 3000))]);
    release.resolve();
    expect(waited).toBe(false);
    expect(await took).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(String(await holder)).toContain('projector died');
    expect(ids(await other.transaction((tx) => tx.takeUndigestedCaseFacts(10)))).toEqual(['x', 'y']);
  });
});
