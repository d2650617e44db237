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
});
