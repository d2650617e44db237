import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context';
import type { Task, TaskQuery } from '../../api/console-types';
import { toProblem } from '../../api/problem';
import type { Problem } from '../../api/types';
import { compareTasks, mergeRefreshed } from '../model/work-order';

/** Rows per request: the server's largest page. */
export const PAGE_SIZE = 100;
/** A refresh re-reads at most this many rows from the top; rows further down refresh when scrolled to. */
const MAX_REFRESH_ROWS = 600;

export interface WorkListState {
  items: Task[];
  /** More rows exist on the server after the last one loaded. */
  hasMore: boolean;
  loading: boolean;
  problem: Problem | null;
  /** When the list was last read from the server (ISO), null before the first answer. */
  updatedAt: string | null;
}

/**
 * The caller's work list, paged on the server and kept current by polling: every `pollMs` the
 * rows loaded so far (up to a bound) are read again and merged in place, so tasks that others
 * claim, complete or add show up without a reload and unchanged rows do not re-render.
 * Each poll first asks for the top page with the `ETag` of the last one (`If-None-Match`): a 304
 * means no task of the caller's queues changed, so nothing else is read. A hidden tab does not poll.
 */
export function useWorkList(query: TaskQuery, pollMs = 5000) {
  const api = useApi();
  const [state, setState] = useState<WorkListState>({ items: [], hasMore: false, loading: true, problem: null, updatedAt: null });
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const busy = useRef(false);
  const wantMore = useRef(false);
  const loadMoreRef = useRef<() => Promise<void>>(async () => undefined);
  const items = useRef<Task[]>([]);
  /** The validator of the top page as last read (null: none yet). */
  const etag = useRef<string | null>(null);
  const key = JSON.stringify(query);

  const apply = useCallback((next: Partial<WorkListState>) => {
    if (next.items) items.current = next.items;
    setState((s) => ({ ...s, ...next }));
  }, []);

  // A new filter starts a new list; answers for the old one are dropped.
  useEffect(() => {
    const gen = ++generation.current;
    cursor.current = null;
    etag.current = null;
    busy.current = true;
    apply({ items: [], hasMore: false, loading: true, problem: null });
    const q = JSON.parse(key) as TaskQuery;
    api.listTasksIfChanged({ ...q, limit: PAGE_SIZE }, null).then(
      (answer) => {
        if (gen !== generation.current || answer.notModified) return;
        const page = answer.value;
        etag.current = answer.etag;
        busy.current = false;
        wantMore.current = false;
        cursor.current = page.nextCursor;
        apply({ items: page.items, hasMore: page.nextCursor !== null, loading: false, updatedAt: new Date().toISOString() });
      },
      (err: unknown) => {
        if (gen !== generation.current) return;
        busy.current = false;
        apply({ loading: false, problem: toProblem(err) });
      },
    );
  }, [api, key, apply]);

  const loadMore = useCallback(async () => {
    if (cursor.current === null) return;
    // A refresh in progress holds the list; the next page is read as soon as it is done.
    if (busy.current) {
      wantMore.current = true;
      return;
    }
    const gen = generation.current;
    busy.current = true;
    setState((s) => ({ ...s, loading: true }));
    try {
      const q = JSON.parse(key) as TaskQuery;
      const page = await api.listTasks({ ...q, limit: PAGE_SIZE, cursor: cursor.current });
      if (gen !== generation.current) return;
      cursor.current = page.nextCursor;
      const seen = new Set(page.items.map((t) => t.id));
      const merged = [...items.current.filter((t) => !seen.has(t.id)), ...page.items].sort(compareTasks);
      apply({ items: merged, hasMore: page.nextCursor !== null, loading: false, problem: null });
    } catch (err) {
      if (gen === generation.current) apply({ loading: false, problem: toProblem(err) });
    } finally {
      if (gen === generation.current) busy.current = false;
    }
  }, [api, key, apply]);

  const refresh = useCallback(async () => {
    if (busy.current) return;
    const gen = generation.current;
    busy.current = true;
    try {
      const q = JSON.parse(key) as TaskQuery;
      const want = Math.min(Math.max(items.current.length, PAGE_SIZE), MAX_REFRESH_ROWS);
      const top = await api.listTasksIfChanged({ ...q, limit: PAGE_SIZE }, etag.current);
      if (gen !== generation.current) return;
      if (top.notModified) {
        setState((s) => ({ ...s, problem: null, updatedAt: new Date().toISOString() }));
        return;
      }
      etag.current = top.etag;
      const fetched: Task[] = [...top.value.items];
      let next: string | null = top.value.nextCursor;
      while (next !== null && fetched.length < want) {
        const page = await api.listTasks({ ...q, limit: PAGE_SIZE, cursor: next });
        if (gen !== generation.current) return;
        fetched.push(...page.items);
        next = page.nextCursor;
      }
      const all = next === null;
      const merged = mergeRefreshed(items.current, fetched, all);
      if (all || cursor.current === null) cursor.current = next;
      const changed = merged !== items.current;
      setState((s) => ({
        ...s,
        ...(changed ? { items: merged } : {}),
        hasMore: cursor.current !== null,
        problem: null,
        updatedAt: new Date().toISOString(),
      }));
      if (changed) items.current = merged;
    } catch (err) {
      if (gen === generation.current) setState((s) => ({ ...s, problem: toProblem(err) }));
    } finally {
      if (gen === generation.current) {
        busy.current = false;
        if (wantMore.current) {
          wantMore.current = false;
          void loadMoreRef.current();
        }
      }
    }
  }, [api, key]);

  useEffect(() => {
    loadMoreRef.current = loadMore;
  }, [loadMore]);

  useEffect(() => {
    if (pollMs <= 0) return;
    const id = setInterval(() => {
      if (typeof document !== 'undefined' && document.hidden) return;
      void refresh();
    }, pollMs);
    return () => clearInterval(id);
  }, [refresh, pollMs]);

  return { ...state, loadMore, refresh };
}
