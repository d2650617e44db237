/**
 * Conformance: what the operators' work list needs from the store — the case's customer
 * reference, branch, channel and version on each task, the branch / due-time / breach filters, the
 * case date range, and the per-queue change counters behind conditional polling — answers the
 * same on every store.
 */
import { expect, it } from 'vitest';
import type { TaskFilter } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, caseRecord, seedCases, taskRecord, T0 } from './records';

describeStores('work list', (open) => {
  it('keeps the customer reference, branch, channel and flow version a task was opened with', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    const t = taskRecord('1', 'c-1', { version: 7, customerRef: 'CN-9001', branch: 'SH01', channel: 'mobile-app' });
    await store.insertTask(t);
    expect(await store.getTask('1')).toEqual(t);
    await store.updateTask({ ...t, status: 'claimed', assignee: 'op', updatedAt: at(1) });
    expect(await store.getTask('1')).toMatchObject({ version: 7, customerRef: 'CN-9001', branch: 'SH01', channel: 'mobile-app', status: 'claimed' });
    expect((await store.listTasks({ statuses: ['claimed'] }, 10))[0]).toMatchObject({ customerRef: 'CN-9001', branch: 'SH01' });
  });

  it('filters the work list by branches, due time and breach, in work-list order', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    const hour = 3_600_000;
    await store.transaction(async (tx) => {
      await tx.insertTask(taskRecord('a', 'c-1', { branch: 'B01', dueAt: at(-hour), priority: 5 }));
      await tx.insertTask(taskRecord('b', 'c-1', { branch: 'B02', dueAt: at(2 * hour) }));
      await tx.insertTask(taskRecord('c', 'c-1', { branch: 'B01', dueAt: null }));
      await tx.insertTask(taskRecord('d', 'c-1', { branch: null, dueAt: at(30 * hour) }));
      await tx.insertTask(taskRecord('e', 'c-1', { branch: 'B03', dueAt: at(-2 * hour), status: 'completed', completedBy: 'op', closedAt: at(-3 * hour) }));
      await tx.insertTask(taskRecord('f', 'c-1', { branch: 'B03', dueAt: at(-2 * hour), status: 'completed', completedBy: 'op', closedAt: at(-hour) }));
      await tx.insertTask(taskRecord('g', 'c-1', { branch: 'B02', dueAt: T0 }));
    });
    const ids = async (f: Partial<TaskFilter>, statuses: TaskFilter['statuses'] = ['open', 'claimed']): Promise<string[]> =>
      (await store.listTasks({ statuses, ...f }, 100)).map((t) => t.id);
    expect(await ids({ branches: ['B01'] })).toEqual(['a', 'c']);
    expect(await ids({ branches: ['B02', 'B01'] })).toEqual(['a', 'g', 'b', 'c']);
    expect(await ids({ branches: [] })).toEqual([]);
    // "Due today" (a day from T0), the half-open range [dueAfter, dueBefore).
    expect(await ids({ dueAfter: T0, dueBefore: at(24 * hour) })).toEqual(['g', 'b']);
    expect(await ids({ dueBefore: T0 })).toEqual(['a']);
    expect(await ids({ dueAfter: at(24 * hour) })).toEqual(['d']);
    // Breached at T0: due at or before then (a task due exactly now is breached, as its sla says).
    expect(await ids({ breached: { value: true, at: T0 } })).toEqual(['a', 'g']);
    expect(await ids({ breached: { value: false, at: T0 } })).toEqual(['b', 'd', 'c']);
    // A closed task counts as breached when it closed after its due time.
    expect(await ids({ breached: { value: true, at: T0 } }, ['completed'])).toEqual(['f']);
    expect(await ids({ breached: { value: false, at: T0 } }, ['completed'])).toEqual(['e']);
    expect(await ids({ branches: ['B01', 'B02'], breached: { value: true, at: T0 } })).toEqual(['a', 'g']);
  });

  it('pages a work list of several queues and branches in one order, with and without filters', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    const queues = ['credit-approval', 'operations', 'credit-senior'];
    await store.transaction(async (tx) => {
      for (let i = 0; i < 24; i++) {
        await tx.insertTask(
          taskRecord(`t-${String(i).padStart(2, '0')}`, 'c-1', {
            queue: queues[i % 3],
            branch: i % 4 === 0 ? null : `B0${i % 4}`,
            priority: (i * 7) % 3,
            dueAt: i % 5 === 0 ? null : at(((i * 11) % 6) * 1000),
            createdAt: at(i % 2),
            status: i % 6 === 5 ? 'claimed' : 'open',
            ...(i % 6 === 5 ? { assignee: 'op' } : {}),
          }),
        );
      }
    });
    const walk = async (f: TaskFilter, size: number): Promise<string[]> => {
      const seen: string[] = [];
      let after: Parameters<typeof store.listTasks>[2];
      for (;;) {
        const page = await store.listTasks(f, size, after);
        if (page.length === 0) return seen;
        seen.push(...page.map((t) => t.id));
        const l = page.at(-1)!;
        after = { priority: l.priority, dueAt: l.dueAt, createdAt: l.createdAt, id: l.id };
      }
    };
    const filters: TaskFilter[] = [
      { statuses: ['open', 'claimed'], queues },
      { statuses: ['open', 'claimed'], queues: queues.slice(0, 2), branches: ['B01', 'B03'] },
      { statuses: ['open'], queues, dueAfter: at(1000), dueBefore: at(5000) },
      { statuses: ['open', 'claimed'], queues, breached: { value: true, at: at(2500) } },
    ];
    for (const f of filters) {
      const all = (await store.listTasks({ ...f, queues: undefined }, 100)).filter((t) => f.queues?.includes(t.queue)).map((t) => t.id);
      expect(all.length).toBeGreaterThan(2);
      expect((await store.listTasks(f, 100)).map((t) => t.id)).toEqual(all);
      for (const size of [1, 3]) expect(await walk(f, size)).toEqual(all);
    }
  });

  it('counts every task written in a queue, and a task moved to another queue in both', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    expect(await store.taskChanges()).toBe(0);
    expect(await store.taskChanges(['credit-approval'])).toBe(0);
    expect(await store.taskChanges([])).toBe(0);
    await store.transaction(async (tx) => {
      await tx.insertTask(taskRecord('1', 'c-1', { queue: 'credit-approval' }));
      await tx.insertTask(taskRecord('2', 'c-1', { queue: 'operations' }));
    });
    expect(await store.taskChanges(['credit-approval'])).toBe(1);
    expect(await store.taskChanges(['operations', 'credit-approval'])).toBe(2);
    const t1 = (await store.getTask('1'))!;
    const claimed = await store.updateTask({ ...t1, status: 'claimed', assignee: 'op', updatedAt: at(1) });
    expect(await store.taskChanges(['credit-approval'])).toBe(2);
    expect(await store.taskChanges(['operations'])).toBe(1);
    await store.updateTask({ ...claimed, queue: 'operations', status: 'open', assignee: null, updatedAt: at(2) });
    expect(await store.taskChanges(['credit-approval'])).toBe(3);
    expect(await store.taskChanges(['operations'])).toBe(2);
    expect(await store.taskChanges()).toBe(5);
    expect(await store.taskChanges(['nobody-works-this'])).toBe(0);
  });

  it('leaves the counters alone when a transaction that wrote a task rolls back, or an update is stale', async () => {
    const { store } = await open();
    await seedCases(store, ['c-1']);
    await store.insertTask(taskRecord('1', 'c-1'));
    await expect(
      store.transaction(async (tx) => {
        await tx.insertTask(taskRecord('2', 'c-1'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const t = (await store.getTask('1'))!;
    await store.updateTask({ ...t, status: 'claimed', assignee: 'a', updatedAt: at(1) });
    await expect(store.updateTask({ ...t, status: 'claimed', assignee: 'b', updatedAt: at(2) })).rejects.toMatchObject({ code: 'task.changed' });
    expect(await store.taskChanges()).toBe(2);
  });

  it('lists cases started in a half-open period', async () => {
    const { store } = await open();
    for (const [id, ms] of [['c-1', 0], ['c-2', 1000], ['c-3', 2000]] as const) await store.insertCase(caseRecord(id, { createdAt: at(ms), branch: 'B01' }));
    const ids = async (f: Parameters<typeof store.listCases>[0]): Promise<string[]> => (await store.listCases(f, 10)).map((c) => c.id);
    expect(await ids({ startedFrom: at(1000) })).toEqual(['c-3', 'c-2']);
    expect(await ids({ startedTo: at(1000) })).toEqual(['c-1']);
    expect(await ids({ startedFrom: at(0), startedTo: at(2000), branch: 'B01' })).toEqual(['c-2', 'c-1']);
    expect(await ids({ startedFrom: at(0), startedTo: at(2000), branch: 'B02' })).toEqual([]);
  });
});
