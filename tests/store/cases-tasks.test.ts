/**
 * Conformance: cases and tasks — round trips, optimistic row versions, filters, work-list order
 * and keyset paging — answer the same on every store.
 */
import { expect, it } from 'vitest';
import { StoreConflictError, type TaskCursor, type TaskRecord, type TaskStatus } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, awkwardDocument, caseRecord, caseState, seedCases, taskRecord, T0 } from './records';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describeStores('cases', (open) => {
  it('round-trips a case with its state exactly and its wait nodes sorted and de-duplicated', async () => {
    const { store } = await open();
    const c = caseRecord('c-1', {
      state: caseState('c-1', awkwardDocument),
      customerRef: 'CN-110101',
      branch: 'SH01',
      priority: 3,
      breached: true,
      openIncidents: 2,
      waitingAt: ['sign', 'Approve', 'sign', 'approve'],
      parentCaseId: 'p-1',
      parentRequestId: 'req-1',
    });
    await store.insertCase(c);
    const back = await store.getCase('c-1');
    expect(back).toEqual({ ...c, state: back?.state, waitingAt: ['Approve', 'approve', 'sign'] });
    expect(JSON.stringify(back?.state)).toBe(JSON.stringify(c.state));
    expect(await store.getCase('c-2')).toBeUndefined();
    expect(((await rejection(store.insertCase(c))) as StoreConflictError).code).toBe('case.exists');
  });

  it('writes an update only on the row version it read: a stale writer gets case.changed and changes nothing', async () => {
    const { store } = await open();
    await store.insertCase(caseRecord('c-1'));
    const read = (await store.getCase('c-1'))!;
    const first = await store.updateCase({ ...read, status: 'completed', waitingAt: [], updatedAt: at(1000) });
    expect(first.rowVersion).toBe(2);
    const e = await rejection(store.updateCase({ ...read, priority: 9, waitingAt: ['other'], updatedAt: at(2000) }));
    expect(e).toBeInstanceOf(StoreConflictError);
    expect((e as StoreConflictError).code).toBe('case.changed');
    expect(await store.getCase('c-1')).toMatchObject({ status: 'completed', priority: 0, waitingAt: [], rowVersion: 2, updatedAt: at(1000), createdAt: T0 });
    const again = await store.updateCase({ ...first, waitingAt: ['x', 'a'] });
    expect(again.rowVersion).toBe(3);
    expect((await store.getCase('c-1'))?.waitingAt).toEqual(['a', 'x']);
  });

  it('finds a sub-flow case by its parent and request', async () => {
    const { store } = await open();
    await seedCases(store, ['parent']);
    await store.insertCase(caseRecord('child', { parentCaseId: 'parent', parentRequestId: 'r-7' }));
    expect((await store.findChildCase('parent', 'r-7'))?.id).toBe('child');
    expect(await store.findChildCase('parent', 'r-8')).toBeUndefined();
  });

  it('filters cases and pages them newest first with a keyset cursor, ties broken by id in byte order', async () => {
    const { store } = await open();
    const ids = ['a', 'B', 'c', 'D', 'e', 'F', '0', 'z'];
    await store.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) {
        await tx.insertCase(
          caseRecord(id, {
            // Pairs share a creation time, so the id decides their order.
            createdAt: at(Math.floor(i / 2) * 1000),
            flowKey: i % 2 ? 'loan' : 'cards',
            version: i < 4 ? 1 : 2,
            status: i === 7 ? 'completed' : 'waiting',
            customerRef: i % 3 === 0 ? 'C-1' : null,
            branch: i < 3 ? 'SH01' : 'BJ02',
            breached: i === 2,
            openIncidents: i === 5 ? 1 : 0,
            createdBy: i === 6 ? 'app2' : 'app',
            waitingAt: i === 1 ? ['sign', 'review'] : ['review'],
          }),
        );
      }
    });
    const all = await store.listCases({}, 100);
    expect(all.map((c) => c.id)).toEqual(['z', '0', 'e', 'F', 'c', 'D', 'a', 'B']);
    const pages: string[][] = [];
    let cursor: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await store.listCases({}, 3, cursor);
      if (page.length === 0) break;
      pages.push(page.map((c) => c.id));
      const last = page.at(-1)!;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
    expect(pages).toEqual([['z', '0', 'e'], ['F', 'c', 'D'], ['a', 'B']]);

    const idsOf = async (f: Parameters<typeof store.listCases>[0]): Promise<string[]> => (await store.listCases(f, 100)).map((c) => c.id);
    expect(await idsOf({ flowKey: 'loan' })).toEqual(['z', 'F', 'D', 'B']);
    expect(await idsOf({ version: 1 })).toEqual(['c', 'D', 'a', 'B']);
    expect(await idsOf({ status: 'completed' })).toEqual(['z']);
    expect(await idsOf({ customerRef: 'C-1' })).toEqual(['0', 'D', 'a']);
    expect(await idsOf({ branch: 'SH01' })).toEqual(['c', 'a', 'B']);
    expect(await idsOf({ breached: true })).toEqual(['c']);
    expect(await idsOf({ breached: false })).toHaveLength(7);
    expect(await idsOf({ hasIncident: true })).toEqual(['F']);
    expect(await idsOf({ hasIncident: false })).toHaveLength(7);
    expect(await idsOf({ createdBy: 'app2' })).toEqual(['0']);
    expect(await idsOf({ waitingAt: 'sign' })).toEqual(['B']);
    expect(await idsOf({ flowKey: 'cards', branch: 'SH01', waitingAt: 'review' })).toEqual(['c', 'a']);
    expect((await store.listCases({ waitingAt: 'sign' }, 10))[0]?.waitingAt).toEqual(['review', 'sign']);
  });
});

describeStores('tasks', (open) => {
  it('round-trips a task, finds it by engine id, and refuses a stale update with task.changed', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    const t = taskRecord('task-1', 'c-1', { dueAt: at(3600_000), warnAt: at(1800_000), excludedActors: ['maker'], roles: ['a', 'b'] });
    await store.insertTask(t);
    expect(await store.getTask('task-1')).toEqual(t);
    expect(await store.getTaskByEngineId('c-1', 't-task-1')).toEqual(t);
    expect(await store.getTaskByEngineId('c-2', 't-task-1')).toBeUndefined();

    const claimed = await store.updateTask({ ...t, status: 'claimed', assignee: 'operator', updatedAt: at(1) });
    expect(claimed.rowVersion).toBe(2);
    // A second operator who read the open task loses: one success, one conflict.
    const e = await rejection(store.updateTask({ ...t, status: 'claimed', assignee: 'operator2', updatedAt: at(2) }));
    expect((e as StoreConflictError).code).toBe('task.changed');
    expect(await store.getTask('task-1')).toMatchObject({ assignee: 'operator', rowVersion: 2, updatedAt: at(1) });
    const done = await store.updateTask({ ...claimed, status: 'completed', completedBy: 'operator', dueAt: null, closedAt: at(5), updatedAt: at(5) });
    expect(await store.getTask('task-1')).toEqual(done);
  });

  it('orders the work list by priority, then due time (none last), then age and id, and pages it without gaps or repeats', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1', 'c-2']);
    const specs: [string, number, string | null, number][] = [
      ['t-a', 1, at(5000), 0],
      ['t-b', 5, null, 0],
      ['t-c', 5, at(9000), 1],
      ['t-d', 5, at(9000), 0],
      ['t-E', 5, at(9000), 0],
      ['t-f', 0, null, 2],
      ['t-g', 1, at(4000), 3],
      ['t-h', 1, null, 0],
      ['t-i', 5, at(1000), 9],
    ];
    await store.transaction(async (tx) => {
      for (const [id, priority, dueAt, age] of specs) {
        await tx.insertTask(taskRecord(id, id < 't-e' ? 'c-1' : 'c-2', { priority, dueAt, createdAt: at(age * 10) }));
      }
    });
    const expected = ['t-i', 't-E', 't-d', 't-c', 't-b', 't-g', 't-a', 't-h', 't-f'];
    const all = await store.listTasks({ statuses: ['open'] }, 100);
    expect(all.map((t) => t.id)).toEqual(expected);
    for (const size of [1, 2, 4]) {
      const seen: string[] = [];
      let after: TaskCursor | undefined;
      for (;;) {
        const page: TaskRecord[] = await store.listTasks({ statuses: ['open'] }, size, after);
        if (page.length === 0) break;
        seen.push(...page.map((t) => t.id));
        const l = page.at(-1)!;
        after = { priority: l.priority, dueAt: l.dueAt, createdAt: l.createdAt, id: l.id };
      }
      expect(seen).toEqual(expected);
    }
  });

  it('gives the same order and pages for several queues and statuses as for one, whichever queue each task is in', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1', 'c-2']);
    const specs: [string, number, string | null, number, string, 'open' | 'claimed'][] = [
      ['t-a', 1, at(5000), 0, 'q-1', 'open'],
      ['t-b', 5, null, 0, 'q-2', 'claimed'],
      ['t-c', 5, at(9000), 1, 'q-3', 'open'],
      ['t-d', 5, at(9000), 0, 'q-1', 'claimed'],
      ['t-E', 5, at(9000), 0, 'q-2', 'open'],
      ['t-f', 0, null, 2, 'q-3', 'claimed'],
      ['t-g', 1, at(4000), 3, 'q-1', 'open'],
      ['t-h', 1, null, 0, 'q-2', 'open'],
      ['t-i', 5, at(1000), 9, 'q-3', 'claimed'],
      ['t-x', 9, at(1000), 0, 'q-other', 'open'],
    ];
    await store.transaction(async (tx) => {
      for (const [id, priority, dueAt, age, queue, status] of specs) {
        await tx.insertTask(taskRecord(id, id < 't-e' ? 'c-1' : 'c-2', { priority, dueAt, createdAt: at(age * 10), queue, status, ...(status === 'claimed' ? { assignee: 'op' } : {}) }));
      }
    });
    const expected = ['t-i', 't-E', 't-d', 't-c', 't-b', 't-g', 't-a', 't-h', 't-f'];
    // A status or queue named twice changes nothing.
    const filter = { statuses: ['open', 'claimed', 'open'] as TaskStatus[], queues: ['q-3', 'q-1', 'q-2', 'q-1'] };
    expect((await store.listTasks(filter, 100)).map((t) => t.id)).toEqual(expected);
    for (const size of [1, 2, 4]) {
      const seen: string[] = [];
      let after: TaskCursor | undefined;
      for (;;) {
        const page: TaskRecord[] = await store.listTasks(filter, size, after);
        if (page.length === 0) break;
        seen.push(...page.map((t) => t.id));
        const l = page.at(-1)!;
        after = { priority: l.priority, dueAt: l.dueAt, createdAt: l.createdAt, id: l.id };
      }
      expect(seen).toEqual(expected);
    }
    expect((await store.listTasks({ ...filter, assignee: 'op' }, 100)).map((t) => t.id)).toEqual(['t-i', 't-d', 't-b', 't-f']);
  });

  it('filters the work list by queue, status, case, assignee and flow', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1', 'c-2']);
    await store.transaction(async (tx) => {
      await tx.insertTask(taskRecord('1', 'c-1', { queue: 'credit-approval' }));
      await tx.insertTask(taskRecord('2', 'c-1', { queue: 'operations', status: 'claimed', assignee: 'op' }));
      await tx.insertTask(taskRecord('3', 'c-2', { queue: 'credit-senior', flowKey: 'cards' }));
      await tx.insertTask(taskRecord('4', 'c-2', { queue: 'operations', status: 'completed', completedBy: 'op', closedAt: T0 }));
    });
    const ids = async (f: Parameters<typeof store.listTasks>[0]): Promise<string[]> => (await store.listTasks(f, 100)).map((t) => t.id).sort();
    expect(await ids({ statuses: ['open', 'claimed'] })).toEqual(['1', '2', '3']);
    expect(await ids({ statuses: ['open', 'claimed'], queues: ['operations', 'credit-approval'] })).toEqual(['1', '2']);
    expect(await ids({ statuses: ['open', 'claimed'], queues: [] })).toEqual([]);
    expect(await ids({ statuses: [] })).toEqual([]);
    expect(await ids({ statuses: ['completed', 'open', 'claimed'], caseId: 'c-2' })).toEqual(['3', '4']);
    expect(await ids({ statuses: ['claimed'], assignee: 'op' })).toEqual(['2']);
    expect(await ids({ statuses: ['open'], flowKey: 'cards' })).toEqual(['3']);
    expect((await store.listCaseTasks('c-1')).map((t) => t.id)).toEqual(['1', '2']);
  });

  it("lists a case's tasks by creation time, and those of the same moment in the order they were written", async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    await store.transaction(async (tx) => {
      await tx.insertTask(taskRecord('z-first', 'c-1'));
      await tx.insertTask(taskRecord('a-second', 'c-1'));
      await tx.insertTask(taskRecord('m-earlier', 'c-1', { createdAt: at(-1) }));
    });
    await store.insertTask(taskRecord('b-third', 'c-1'));
    expect((await store.listCaseTasks('c-1')).map((t) => t.id)).toEqual(['m-earlier', 'z-first', 'a-second', 'b-third']);
  });
});
