/**
 * The order of the work list, the same as the server's (highest priority first, then earliest
 * due, tasks without a due time last, then oldest, then id), so pages fetched at different
 * moments merge into one list that reads as the server would send it.
 */
import type { Task } from '../../api/console-types';

/** Sorts like `GET /api/tasks`. */
export function compareTasks(a: Task, b: Task): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The fields whose change a row shows; used to keep unchanged rows (and the list) identical. */
function sameRow(a: Task, b: Task): boolean {
  return a.updatedAt === b.updatedAt && a.status === b.status && a.assignee === b.assignee && a.priority === b.priority && a.queue === b.queue && a.dueAt === b.dueAt && a.sla === b.sla;
}

/**
 * Replaces the head of the list (what a refresh fetched again) and keeps the tail that was not
 * re-fetched, dropping from it tasks the refresh shows elsewhere. Tasks that left the work list
 * (completed, withdrawn) disappear; new ones take their place in order. Unchanged rows keep
 * their objects, and an unchanged list is returned as the same array, so a poll that finds
 * nothing new re-renders nothing.
 */
export function mergeRefreshed(current: readonly Task[], refreshed: readonly Task[], refreshedAll: boolean): Task[] {
  const byId = new Map(current.map((t) => [t.id, t]));
  const fresh = refreshed.map((t) => {
    const old = byId.get(t.id);
    return old && sameRow(old, t) ? old : t;
  });
  let next: Task[];
  if (refreshedAll || fresh.length === 0) {
    next = fresh;
  } else {
    const last = fresh[fresh.length - 1] as Task;
    const ids = new Set(fresh.map((t) => t.id));
    // The tail: what sorted after the last refreshed row and was not seen in the refresh.
    const tail = current.filter((t) => !ids.has(t.id) && compareTasks(t, last) > 0);
    next = [...fresh, ...tail];
  }
  if (next.length === current.length && next.every((t, i) => t === current[i])) return current as Task[];
  return next;
}
