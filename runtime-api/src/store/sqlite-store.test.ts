import type { CaseState } from '@flowpath/engine';
import { describe, expect, test } from 'vitest';
import { verifyAuditChain } from './audit-chain';
import { openSqliteStore } from './sqlite-store';
import { StoreConflictError, StoreMisuseError, type CaseRecord, type TaskRecord } from './store';

const now = '2026-03-02T01:00:00.000Z';

function flow(key = 'f') {
  return { key, draft: { key }, draftRevision: 1, owner: null, createdBy: 'a', createdAt: now, updatedBy: 'a', updatedAt: now };
}

function caseRecord(id: string): CaseRecord {
  const state = { id, flowKey: 'f', version: 1, status: 'waiting', data: {}, priority: 50, tokens: [], visits: {}, flags: [], slas: [], breaches: [], incidents: [], completedBy: {}, startedAt: now, updatedAt: now, seq: 0 } as CaseState;
  return { id, flowKey: 'f', version: 1, status: 'waiting', state, customerRef: null, branch: null, priority: 50, breached: false, openIncidents: 0, waitingAt: ['a'], createdBy: 'app', parentCaseId: null, parentRequestId: null, rowVersion: 1, createdAt: now, updatedAt: now };
}

function task(id: string, priority: number, dueAt: string | null, createdAt = now): TaskRecord {
  return { id, caseId: 'c1', engineTaskId: id, tokenId: 't', nodeId: 'n', flowKey: 'f', version: 1, customerRef: null, branch: null, channel: null, name: { en: 'n', 'zh-CN': 'n' }, queue: 'q', roles: [], priority, form: [], dueAt, warnAt: null, excludedActors: [], status: 'open', assignee: null, completedBy: null, createdAt, updatedAt: createdAt, closedAt: null, rowVersion: 1 };
}

describe('transactions', () => {
  test('a transaction that throws leaves nothing behind', async () => {
    const store = openSqliteStore(':memory:');
    await expect(
      store.transaction(async (tx) => {
        await tx.insertFlow(flow('kept-out'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.getFlow('kept-out')).toBeUndefined();
    await store.close();
  });

  test('calling the store instead of tx inside a transaction is refused, not deadlocked', async () => {
    const store = openSqliteStore(':memory:');
    await expect(store.transaction(async () => store.listFlows())).rejects.toBeInstanceOf(StoreMisuseError);
    let leaked: Parameters<Parameters<typeof store.transaction>[0]>[0] | undefined;
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(async () => leaked?.listFlows()).rejects.toBeInstanceOf(StoreMisuseError);
    await store.close();
  });
});

describe('optimistic checks', () => {
  test('a stale draft revision and a stale case row version are conflicts', async () => {
    const store = openSqliteStore(':memory:');
    await store.insertFlow(flow());
    await store.saveDraft('f', 1, { key: 'f', v: 2 }, 'a', now);
    await expect(store.saveDraft('f', 1, { key: 'f', v: 3 }, 'b', now)).rejects.toMatchObject({ code: 'draft.revision.stale', current: { revision: 2 } });
    await store.insertCase(caseRecord('c1'));
    const updated = await store.updateCase(caseRecord('c1'));
    expect(updated.rowVersion).toBe(2);
    await expect(store.updateCase(caseRecord('c1'))).rejects.toBeInstanceOf(StoreConflictError);
    await store.close();
  });
});

describe('work list order', () => {
  test('priority desc, then due time with no due time last, then age; pages continue where they stopped', async () => {
    const store = openSqliteStore(':memory:');
    await store.insertFlow(flow());
    await store.insertCase(caseRecord('c1'));
    await store.insertTask(task('none', 50, null));
    await store.insertTask(task('late', 50, '2026-03-03T00:00:00.000Z'));
    await store.insertTask(task('early', 50, '2026-03-02T05:00:00.000Z'));
    await store.insertTask(task('urgent', 90, null));
    const all = await store.listTasks({ statuses: ['open'] }, 10);
    expect(all.map((t) => t.id)).toEqual(['urgent', 'early', 'late', 'none']);
    const first = await store.listTasks({ statuses: ['open'] }, 2);
    const last = first.at(-1) as TaskRecord;
    const rest = await store.listTasks({ statuses: ['open'] }, 10, { priority: last.priority, dueAt: last.dueAt, createdAt: last.createdAt, id: last.id });
    expect([...first, ...rest].map((t) => t.id)).toEqual(['urgent', 'early', 'late', 'none']);
    await store.close();
  });
});

describe('outbox leases', () => {
  test('a leased row is not handed out again until its lease expires; only the holder may finish it', async () => {
    const store = openSqliteStore(':memory:');
    await store.insertOutbox([{ id: 'o1', caseId: null, kind: 'event', payload: {}, status: 'pending', attempts: 0, runAt: now, leaseOwner: null, leaseUntil: null, lastError: null, createdAt: now, doneAt: null }]);
    const [row] = await store.claimOutbox(now, 'w1', '2026-03-02T01:01:00.000Z', 10);
    expect(row).toMatchObject({ id: 'o1', leaseOwner: 'w1', attempts: 1 });
    expect(await store.claimOutbox('2026-03-02T01:00:30.000Z', 'w2', '2026-03-02T01:02:00.000Z', 10)).toEqual([]);
    const [taken] = await store.claimOutbox('2026-03-02T01:01:01.000Z', 'w2', '2026-03-02T01:02:00.000Z', 10);
    expect(taken?.leaseOwner).toBe('w2');
    expect(await store.updateOutbox({ ...(row as NonNullable<typeof row>), status: 'done' }, 'w1')).toBe(false);
    expect(await store.updateOutbox({ ...(taken as NonNullable<typeof taken>), status: 'done' }, 'w2')).toBe(true);
    await store.close();
  });
});

describe('audit', () => {
  test('appended entries chain and verify; the head follows the last entry', async () => {
    const store = openSqliteStore(':memory:');
    await store.appendAudit('case:x', [
      { at: now, actor: 'a', entry: { type: 'one' } },
      { at: now, actor: null, entry: { type: 'two' } },
    ]);
    await store.appendAudit('case:x', [{ at: now, actor: 'b', entry: { type: 'three' } }]);
    const entries = await store.listAudit('case:x');
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyAuditChain(entries, await store.auditHead('case:x'))).toEqual({ ok: true, entries: 3 });
    expect(verifyAuditChain(entries.slice(0, 2), await store.auditHead('case:x'))).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'head.mismatch' } });
    await store.close();
  });

  test('a long append (written in several multi-row statements) keeps every entry, in order and chained', async () => {
    const store = openSqliteStore(':memory:');
    await store.appendAudit('case:y', [{ at: now, actor: 'a', entry: { type: 'first' } }]);
    const appended = await store.appendAudit(
      'case:y',
      Array.from({ length: 150 }, (_, i) => ({ at: now, actor: i % 2 ? null : 'a', entry: { type: 'step', details: { i } } })),
    );
    const entries = await store.listAudit('case:y');
    expect(entries).toEqual([entries[0], ...appended]);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 151 }, (_, i) => i + 1));
    expect(entries.slice(1).map((e) => e.entry?.details)).toEqual(Array.from({ length: 150 }, (_, i) => ({ i })));
    expect(verifyAuditChain(entries, await store.auditHead('case:y'))).toEqual({ ok: true, entries: 151 });
    await store.close();
  });
});

describe('open work of process health', () => {
  test('an open case written before the open-work column counts as it would with it', async () => {
    const store = openSqliteStore(':memory:');
    await store.insertFlow(flow());
    await store.insertCase(caseRecord('c1'));
    const facts = {
      flowKey: 'f',
      version: 1,
      status: 'waiting',
      startedAt: now,
      work: [{ actor: 'op-1', nodeId: 'n', queue: 'q', at: now }],
      open: { tokens: {}, tasks: { t1: { node: 'n', queue: 'q', at: now, firstClaim: now, claim: now, assignee: 'op-1' } }, done: {}, retry: [] },
    };
    await store.putCaseFacts({
      caseId: 'c1', flowKey: 'f', version: 1, status: 'waiting', outcome: null, startedAt: now, endedAt: null, cycleMs: null, cycleWorkingMs: null, stp: null,
      rework: 0, incidents: 0, caseSla: null, dims: {}, facts: facts as never, seq: 1, updatedAt: now,
    });
    const query = { flowKey: 'f', at: '2026-03-03T00:00:00.000Z', work: { utcOffset: '+08:00' } };
    const fromColumn = await store.openWork(query);
    expect(fromColumn).toEqual({
      starts: [{ version: 1, open: true, startedMs: [Date.parse(now)] }],
      tasks: [{ version: 1, queue: 'q', claimed: true, openedMs: [Date.parse(now)], oldest: now }],
      work: [{ version: 1, actor: 'op-1', day: '2026-03-02', tasks: 1 }],
      openNow: [{ version: 1, cases: 1 }],
    });
    store.db.prepare('UPDATE case_facts SET open_work = NULL').run();
    expect(await store.openWork(query)).toEqual(fromColumn);
    await store.close();
  });

  test('a case that a process of the previous version put in the digests by end day is still handed over for those by start day', async () => {
    const store = openSqliteStore(':memory:');
    await store.insertFlow(flow());
    await store.insertCase(caseRecord('c1'));
    await store.putCaseFacts({
      caseId: 'c1', flowKey: 'f', version: 1, status: 'completed', outcome: 'done', startedAt: now, endedAt: now, cycleMs: 0, cycleWorkingMs: 0, stp: true,
      rework: 0, incidents: 0, caseSla: null, dims: {}, facts: { flowKey: 'f', version: 1, status: 'completed', startedAt: now, endedAt: now, work: [] } as never, seq: 1, updatedAt: now,
    });
    // What that version's projector did: the one mark it knew.
    store.db.prepare('UPDATE case_facts SET digested = 1').run();
    expect((await store.transaction((tx) => tx.takeUndigestedCaseFacts(10))).map((r) => [r.caseId, r.missingFrom])).toEqual([['c1', ['started']]]);
    await store.markCaseFactsDigested(['c1']);
    expect(await store.transaction((tx) => tx.takeUndigestedCaseFacts(10))).toEqual([]);
    await store.close();
  });
});

describe('rows read back', () => {
  test('tasks with the same form share one frozen value, equal to what was written', async () => {
    // given two tasks of one node (same name and form) and one with another form
    const store = openSqliteStore(':memory:');
    const form = [{ key: 'decision', label: { en: 'Decision', 'zh-CN': '结论' }, type: 'enum', required: true, options: [{ value: 'approve', label: { en: 'Approve', 'zh-CN': '同意' } }] }];
    await store.insertCase(caseRecord('c1'));
    await store.insertTask({ ...task('t1', 50, null), form } as TaskRecord);
    await store.insertTask({ ...task('t2', 50, null), form } as TaskRecord);
    await store.insertTask(task('t3', 50, null));
    // when they are read back
    const [t1, t2, t3] = await store.listCaseTasks('c1');
    // then the form is as written, read once for both, and nobody can change it under the other
    expect(t1?.form).toEqual(form);
    expect(t2?.form).toBe(t1?.form);
    expect(t3?.form).toEqual([]);
    expect(Object.isFrozen(t1?.form) && Object.isFrozen(t1?.form[0]?.label)).toBe(true);
    expect(() => (t1?.form as unknown[]).push({})).toThrow(TypeError);
    expect(t2?.name).toEqual({ en: 'n', 'zh-CN': 'n' });
    await store.close();
  });
});
