/**
 * Work-list filters. Queue, flow, "mine", branch and the "overdue" and "due today" choices are
 * applied by the server (`GET /api/tasks?branch=…&breached=true&dueBefore=…`), so they search the
 * whole list; "due soon" and "no time limit" are applied here to the rows fetched so far.
 */
import type { Task, TaskQuery } from '../../api/console-types';

export type DueFilter = 'any' | 'breached' | 'at-risk' | 'today' | 'none';

export const DUE_FILTERS: readonly DueFilter[] = ['any', 'breached', 'at-risk', 'today', 'none'];

export interface WorkFilter {
  queue: string;
  flow: string;
  branch: string;
  due: DueFilter;
  /** Only tasks claimed by the caller. */
  mine: boolean;
}

export const NO_FILTER: WorkFilter = { queue: '', flow: '', branch: '', due: 'any', mine: false };

/** A filter kept under a name the operator chose. */
export interface SavedFilter {
  name: string;
  filter: WorkFilter;
}

/** The branches of a filter: `SH01, BJ02` names two; empty names none (any branch). */
export function branchesOf(f: Pick<WorkFilter, 'branch'>): string[] {
  return [...new Set(f.branch.split(',').map((b) => b.trim()).filter((b) => b !== ''))];
}

/** True when the server applies this due choice (so the client need not). */
export function dueOnServer(due: DueFilter): boolean {
  return due === 'any' || due === 'breached' || due === 'today';
}

/**
 * The part of a filter that `GET /api/tasks` applies at `now` (ISO): "due today" is due before the
 * next local midnight, overdue ones included, as `matchesDue` says.
 */
export function serverQuery(f: WorkFilter, now: string): TaskQuery {
  const branches = branchesOf(f);
  return {
    ...(f.queue ? { queue: f.queue } : {}),
    ...(f.flow ? { flow: f.flow } : {}),
    ...(f.mine ? { assignee: 'me' } : {}),
    ...(branches.length ? { branch: branches } : {}),
    ...(f.due === 'breached' ? { breached: true } : {}),
    ...(f.due === 'today' ? { dueBefore: new Date(Date.parse(endOfLocalDay(now)) + 1).toISOString() } : {}),
  };
}

/** True when the task passes the due filter at `now` (ISO); `endOfDay` is the end of the operator's day. */
export function matchesDue(task: Pick<Task, 'dueAt' | 'warnAt'>, due: DueFilter, now: string, endOfDay: string): boolean {
  switch (due) {
    case 'any':
      return true;
    case 'none':
      return task.dueAt === null;
    case 'breached':
      return task.dueAt !== null && Date.parse(task.dueAt) <= Date.parse(now);
    case 'at-risk':
      return task.dueAt !== null && (Date.parse(task.dueAt) <= Date.parse(now) || (task.warnAt !== null && Date.parse(task.warnAt) <= Date.parse(now)));
    case 'today':
      return task.dueAt !== null && Date.parse(task.dueAt) <= Date.parse(endOfDay);
  }
}

/** The end of the local day that contains `now`, as an ISO instant. */
export function endOfLocalDay(now: string): string {
  const d = new Date(now);
  d.setHours(23, 59, 59, 999);
  return d.toISOString();
}

const storageKey = (user: string) => `flowpath.console.filters.${user}`;

function isFilter(v: unknown): v is WorkFilter {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return typeof f.queue === 'string' && typeof f.flow === 'string' && typeof f.branch === 'string' && typeof f.mine === 'boolean' && DUE_FILTERS.includes(f.due as DueFilter);
}

/** The operator's saved filters on this browser; anything unreadable is left out. */
export function loadSavedFilters(user: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): SavedFilter[] {
  try {
    const raw = storage?.getItem(storageKey(user));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((s): s is SavedFilter => typeof s === 'object' && s !== null && typeof (s as SavedFilter).name === 'string' && isFilter((s as SavedFilter).filter));
  } catch {
    return [];
  }
}

/** Keeps the saved filters; a name used again replaces the older filter. */
export function storeSavedFilters(user: string, filters: readonly SavedFilter[], storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(storageKey(user), JSON.stringify(filters));
  } catch {
    // storage full or disabled: the filter lasts as long as the page
  }
}

/** Adds or replaces the filter named `name`. */
export function withSaved(list: readonly SavedFilter[], name: string, filter: WorkFilter): SavedFilter[] {
  const trimmed = name.trim();
  return [...list.filter((s) => s.name !== trimmed), { name: trimmed, filter }];
}
