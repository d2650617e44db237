import { describe, expect, it } from 'vitest';
import { task } from '../test-fixtures';
import { compareTasks, mergeRefreshed } from './work-order';

describe('work-list order', () => {
  it('puts higher priority first, then earlier due, tasks without a limit last, then older first', () => {
    // given tasks in no particular order
    const tasks = [
      task({ id: 'normal-no-limit', priority: 50, dueAt: null }),
      task({ id: 'normal-late', priority: 50, dueAt: '2026-03-03T09:00:00Z' }),
      task({ id: 'green', priority: 85, dueAt: '2026-03-09T09:00:00Z' }),
      task({ id: 'normal-soon', priority: 50, dueAt: '2026-03-02T09:00:00Z' }),
      task({ id: 'normal-soon-newer', priority: 50, dueAt: '2026-03-02T09:00:00Z', createdAt: '2026-03-02T02:00:00Z' }),
      task({ id: 'priority', priority: 65, dueAt: null }),
    ];
    // when sorted
    const order = [...tasks].sort(compareTasks).map((t) => t.id);
    // then the green channel leads, priority follows, and equal priorities go by due time
    expect(order).toEqual(['green', 'priority', 'normal-soon', 'normal-soon-newer', 'normal-late', 'normal-no-limit']);
  });

  it('breaks a full tie by id, so two reads sort alike', () => {
    const a = task({ id: 'a' });
    const b = task({ id: 'b' });
    expect([b, a].sort(compareTasks).map((t) => t.id)).toEqual(['a', 'b']);
  });
});

describe('merging a refresh', () => {
  const t1 = task({ id: 't1', priority: 80 });
  const t2 = task({ id: 't2', priority: 60 });
  const t3 = task({ id: 't3', priority: 50 });

  it('returns the same list when nothing changed, so nothing re-renders', () => {
    const current = [t1, t2, t3];
    const again = [{ ...t1 }, { ...t2 }, { ...t3 }];
    expect(mergeRefreshed(current, again, true)).toBe(current);
  });

  it('shows a colleague’s claim and a new task in order, and drops a completed task', () => {
    // given a list, and a refresh in which t2 was claimed by Li Na, t3 completed and t4 arrived
    const current = [t1, t2, t3];
    const claimed = { ...t2, status: 'claimed' as const, assignee: 'li.na', updatedAt: '2026-03-02T03:00:00Z' };
    const t4 = task({ id: 't4', priority: 70 });
    // when merged
    const next = mergeRefreshed(current, [t1, t4, claimed], true);
    // then the rows follow the server, unchanged ones keep their objects
    expect(next.map((t) => t.id)).toEqual(['t1', 't4', 't2']);
    expect(next[0]).toBe(t1);
    expect(next[2]).toMatchObject({ status: 'claimed', assignee: 'li.na' });
  });

  it('keeps the rows below a partial refresh that sort after it', () => {
    // given three rows loaded, a refresh that re-read only the first page (t1, then a new t1b)
    const t1b = task({ id: 't1b', priority: 70 });
    const next = mergeRefreshed([t1, t2, t3], [t1, t1b], false);
    // then t2 and t3 stay below
    expect(next.map((t) => t.id)).toEqual(['t1', 't1b', 't2', 't3']);
  });
});
