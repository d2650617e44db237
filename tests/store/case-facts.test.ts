/**
 * Conformance: the process-health projection (one row of facts per case) reads back as written
 * and is selected by flow, version and period alike on every store.
 */
import { expect, it } from 'vitest';
import type { CaseFacts } from '@flowpath/engine';
import type { CaseFactsRecord } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, awkwardDocument, caseRecord, factsRecord, seedCases, T0 } from './records';

function factsRow(caseId: string, over: Partial<CaseFactsRecord> = {}): CaseFactsRecord {
  return factsRecord(caseId, { dims: { branch: 'SH01', segment: 'vip' }, facts: { tasks: [], note: awkwardDocument } as unknown as CaseFacts, ...over });
}

describeStores('process-health facts', (open) => {
  it('reads a row back as written, and a second put replaces it', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    expect(await store.getCaseFacts('c-1')).toBeUndefined();
    const row = factsRow('c-1');
    await store.putCaseFacts(row);
    expect(JSON.stringify(await store.getCaseFacts('c-1'))).toBe(JSON.stringify(row));
    const ended = factsRow('c-1', { status: 'completed', outcome: 'approved', endedAt: at(90_000), cycleMs: 90_000, cycleWorkingMs: 2 ** 40, stp: true, rework: 2, incidents: 1, caseSla: 'breached', seq: 7, updatedAt: at(90_000) });
    await store.putCaseFacts(ended);
    expect(JSON.stringify(await store.getCaseFacts('c-1'))).toBe(JSON.stringify(ended));
    await store.putCaseFacts({ ...ended, stp: false });
    expect((await store.getCaseFacts('c-1'))?.stp).toBe(false);
  });

  it('lists a flow oldest case first, by versions and by the period a case was alive in', async () => {
    const { store } = await open();
    await seedCases(store, ['a', 'b', 'c', 'd', 'e']);
    await store.putCaseFacts(factsRow('c', { startedAt: at(0), endedAt: at(50) }));
    await store.putCaseFacts(factsRow('a', { startedAt: at(0), version: 2 }));
    await store.putCaseFacts(factsRow('b', { startedAt: at(100), endedAt: at(300) }));
    await store.putCaseFacts(factsRow('d', { startedAt: at(200), version: 3 }));
    await store.putCaseFacts(factsRow('e', { flowKey: 'cards', startedAt: at(0) }));
    const ids = async (q: Parameters<typeof store.listCaseFacts>[0]): Promise<string[]> => (await store.listCaseFacts(q)).map((r) => r.caseId);
    expect(await ids({ flowKey: 'loan' })).toEqual(['a', 'c', 'b', 'd']);
    expect(await ids({ flowKey: 'loan', versions: [2, 3] })).toEqual(['a', 'd']);
    expect(await ids({ flowKey: 'loan', versions: [] })).toEqual([]);
    expect(await ids({ flowKey: 'loan', startedBefore: at(200) })).toEqual(['a', 'c', 'b']);
    // Alive from 100 on: ended at or after 100, or not ended.
    expect(await ids({ flowKey: 'loan', endedFrom: at(100) })).toEqual(['a', 'b', 'd']);
    expect(await ids({ flowKey: 'cards' })).toEqual(['e']);
  });

  it('filters by dimensions as the engine does: typed values, null for a missing value, every dimension applying', async () => {
    const { store } = await open();
    await seedCases(store, ['s', 'n', 'b', 'm', 'x', 'v']);
    await store.putCaseFacts(factsRow('s', { dims: { branch: '3', segment: 'vip' } }));
    await store.putCaseFacts(factsRow('n', { dims: { branch: 3, segment: 'vip' } }));
    await store.putCaseFacts(factsRow('b', { dims: { branch: true, segment: 'mass' } }));
    await store.putCaseFacts(factsRow('m', { dims: { segment: 'vip' } }));
    await store.putCaseFacts(factsRow('x', { dims: { branch: null, segment: 'mass' } }));
    await store.putCaseFacts(factsRow('v', { dims: { branch: 2.5, segment: 'vip' }, startedAt: at(10) }));
    const ids = async (dims: NonNullable<Parameters<typeof store.listCaseFacts>[0]['dims']>): Promise<string[]> =>
      (await store.listCaseFacts({ flowKey: 'loan', dims })).map((r) => r.caseId).sort();
    expect(await ids({ branch: ['3'] })).toEqual(['s']);
    expect(await ids({ branch: [3] })).toEqual(['n']);
    expect(await ids({ branch: [2.5, true] })).toEqual(['b', 'v']);
    expect(await ids({ branch: [false] })).toEqual([]);
    expect(await ids({ branch: [null] })).toEqual(['m', 'x']);
    expect(await ids({ branch: [null, '3'], segment: ['vip'] })).toEqual(['m', 's']);
    expect(await ids({ branch: [] })).toEqual([]);
    expect(await ids({})).toEqual(['b', 'm', 'n', 's', 'v', 'x']);
  });

  it('names the cases whose facts are missing or behind their audit stream', async () => {
    const { store } = await open();
    await store.transaction(async (tx) => {
      for (const [i, id] of ['x', 'y', 'z', 'w'].entries()) await tx.insertCase(caseRecord(id, { createdAt: at(i) }));
      await tx.insertCase(caseRecord('other', { flowKey: 'cards' }));
    });
    for (const id of ['x', 'y', 'z']) await store.appendAudit(`case:${id}`, [{ at: T0, actor: null, entry: { type: 'case.started' } }, { at: T0, actor: null, entry: { type: 'task.opened' } }]);
    await store.putCaseFacts(factsRow('x', { seq: 2 }));
    await store.putCaseFacts(factsRow('y', { seq: 1 }));
    // x is up to date, y is behind, z has no row, w has no row and no journal yet.
    expect(await store.listCasesBehindFacts('loan', 10)).toEqual(['y', 'z', 'w']);
    expect(await store.listCasesBehindFacts('loan', 2)).toEqual(['y', 'z']);
    expect(await store.listCasesBehindFacts('cards', 10)).toEqual(['other']);
  });

  it('keeps a flow caught up until a fold fails or a runtime runs without the projection', async () => {
    const { store } = await open();
    expect(await store.factsCaughtUp('loan')).toBe(false);
    await store.markFactsCaughtUp('loan', T0);
    await store.markFactsCaughtUp('loan', at(10));
    await store.markFactsCaughtUp('cards', T0);
    expect([await store.factsCaughtUp('loan'), await store.factsCaughtUp('cards'), await store.factsCaughtUp('savings')]).toEqual([true, true, false]);
    // Cleared inside a transaction that rolls back: still caught up.
    await expect(
      store.transaction(async (tx) => {
        await tx.clearFactsCaughtUp();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await store.factsCaughtUp('loan')).toBe(true);
    await store.transaction((tx) => tx.clearFactsCaughtUp());
    expect([await store.factsCaughtUp('loan'), await store.factsCaughtUp('cards')]).toEqual([false, false]);
  });

  it('gathers open work at a moment: starts of the cases open then, open tasks by queue, work done on open cases, under the same filters', async () => {
    const { store } = await open();
    await seedCases(store, ['o', 'e', 'late', 'v2', 'gone']);
    const openFacts = {
      flowKey: 'loan',
      version: 1,
      status: 'waiting',
      startedAt: at(0),
      work: [
        { actor: '审核员-1', nodeId: 'review', queue: 'kyc', at: at(5) },
        { actor: '审核员-1', nodeId: 'check', queue: 'kyc', at: '2026-03-02T16:30:00.000Z' },
      ],
      open: {
        tokens: {},
        tasks: { t1: { node: 'review', queue: 'kyc', at: at(6) }, t2: { node: 'check', queue: 'aml "二线"', at: at(7), firstClaim: at(8), claim: at(8), assignee: 'op-2' } },
        done: {},
        retry: [],
      },
    } as unknown as CaseFacts;
    const ms = (iso: string) => Date.parse(iso);
    await store.putCaseFacts(factsRow('o', { startedAt: at(0), facts: openFacts }));
    await store.putCaseFacts(factsRow('e', { startedAt: at(1), endedAt: at(50), status: 'completed', facts: { ...openFacts, endedAt: at(50), open: undefined } as unknown as CaseFacts }));
    await store.putCaseFacts(factsRow('gone', { startedAt: at(1), endedAt: at(9), status: 'completed', facts: { ...openFacts, endedAt: at(9), open: undefined } as unknown as CaseFacts }));
    await store.putCaseFacts(factsRow('late', { startedAt: at(200), facts: { ...openFacts, startedAt: at(200) } as unknown as CaseFacts }));
    await store.putCaseFacts(
      factsRow('v2', { startedAt: at(2), version: 2, dims: { branch: 'BJ01', segment: 'vip' }, facts: { ...openFacts, version: 2, work: [], open: { tokens: {}, tasks: {}, done: {}, retry: [] } } as unknown as CaseFacts }),
    );
    const sorted = <T>(xs: T[]): T[] => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const gather = async (q: Partial<Parameters<typeof store.openWork>[0]>) => {
      const r = await store.openWork({ flowKey: 'loan', at: at(10), work: { utcOffset: '+08:00' }, ...q });
      return { starts: sorted(r.starts.map((s) => ({ ...s, startedMs: [...s.startedMs].sort() }))), tasks: sorted(r.tasks), work: sorted(r.work) };
    };
    // At 10: o, v2 and e are open (e ended at 50); gone ended at 9; late starts at 200.
    expect(await gather({})).toEqual({
      starts: sorted([
        { version: 1, open: true, startedMs: [ms(at(0))] },
        { version: 1, open: false, startedMs: [ms(at(1))] },
        { version: 2, open: true, startedMs: [ms(at(2))] },
      ]),
      tasks: [
        { version: 1, queue: 'aml "二线"', claimed: true, openedMs: [ms(at(7))], oldest: at(7) },
        { version: 1, queue: 'kyc', claimed: false, openedMs: [ms(at(6))], oldest: at(6) },
      ],
      // Work on cases still open (o), per local day in Beijing: 16:30 UTC is past midnight there.
      work: sorted([
        { version: 1, actor: '审核员-1', day: '2026-03-02', tasks: 1 },
        { version: 1, actor: '审核员-1', day: '2026-03-03', tasks: 1 },
      ]),
    });
    // Counted without reading cases: o, late and v2 are open now, however late they started.
    const counts = await store.openWork({ flowKey: 'loan', at: at(10), work: { utcOffset: '+08:00' } });
    expect(sorted(counts.openNow)).toEqual([
      { version: 1, cases: 2 },
      { version: 2, cases: 1 },
    ]);
    // Later, late is open too and its tasks count; a period for the work.
    const later = await gather({ at: at(300), work: { from: at(0), to: at(6), utcOffset: '+08:00' } });
    expect(later.starts).toEqual(
      sorted([
        { version: 1, open: true, startedMs: [ms(at(0)), ms(at(200))].sort() },
        { version: 2, open: true, startedMs: [ms(at(2))] },
      ]),
    );
    expect(later.tasks.map((t) => [t.queue, t.openedMs.length])).toEqual([
      ['aml "二线"', 2],
      ['kyc', 2],
    ]);
    expect(later.work).toEqual([{ version: 1, actor: '审核员-1', day: '2026-03-02', tasks: 2 }]);
    expect((await gather({ versions: [2] })).starts).toEqual([{ version: 2, open: true, startedMs: [ms(at(2))] }]);
    expect(await gather({ versions: [] })).toEqual({ starts: [], tasks: [], work: [] });
    expect((await gather({ at: at(300), dims: { branch: ['BJ01'] } })).starts).toEqual([{ version: 2, open: true, startedMs: [ms(at(2))] }]);
  });
});
