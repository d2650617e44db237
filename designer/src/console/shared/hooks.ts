import { useEffect, useState, useSyncExternalStore } from 'react';
import type { BusinessCalendar, FlowDefinition } from '@flowpath/engine';
import { useApi } from '../../api/context';
import { toProblem } from '../../api/problem';
import type { FlowSummary, Problem } from '../../api/types';
import { useApiKey } from '../../auth/session';
import { consoleCache, type CaseBrief, type ConsoleCache } from './cache';

/** The console's cache for the signed-in key. */
export function useConsoleCache(): ConsoleCache {
  const api = useApi();
  const key = useApiKey() ?? '';
  return consoleCache(api, key);
}

/** The current time, moving on every `everyMs`; a fixed `fixed` (tests, screenshots) stops it. */
export function useNow(everyMs = 15_000, fixed?: string): string {
  const [now, setNow] = useState(() => fixed ?? new Date().toISOString());
  useEffect(() => {
    if (fixed) {
      setNow(fixed);
      return;
    }
    const id = setInterval(() => setNow(new Date().toISOString()), everyMs);
    return () => clearInterval(id);
  }, [everyMs, fixed]);
  return now;
}

/** A value loaded by a promise, with the problem when it failed; null `load` means nothing to load yet. */
export function useLoaded<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): { value: T | null; problem: Problem | null } {
  const [state, setState] = useState<{ value: T | null; problem: Problem | null }>({ value: null, problem: null });
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (value) => live && setState({ value, problem: null }),
      (err: unknown) => live && setState({ value: null, problem: toProblem(err) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on
  }, deps);
  return state;
}

/** A published flow version's definition. */
export function useDefinition(flow: string | undefined, version: number | undefined): FlowDefinition | null {
  const cache = useConsoleCache();
  return useLoaded(flow && version ? () => cache.definition(flow, version) : null, [cache, flow, version]).value;
}

/** A business calendar by id. */
export function useCalendar(id: string | undefined): BusinessCalendar | null {
  const cache = useConsoleCache();
  return useLoaded(id ? () => cache.calendar(id) : null, [cache, id]).value;
}

/** The brief of a case for a work-list row; fetched when the row is first drawn. */
export function useCaseBrief(caseId: string): CaseBrief | undefined {
  const cache = useConsoleCache();
  const brief = useSyncExternalStore(
    (cb) => cache.subscribe(cb),
    () => cache.knownBrief(caseId),
  );
  useEffect(() => {
    if (!cache.knownBrief(caseId)) cache.brief(caseId).catch(() => undefined);
  }, [cache, caseId]);
  return brief;
}

/** Every flow (names and versions), or an empty list until known. */
export function useFlows(): FlowSummary[] {
  const cache = useConsoleCache();
  return useLoaded(() => cache.flows(), [cache]).value ?? EMPTY_FLOWS;
}

const EMPTY_FLOWS: FlowSummary[] = [];
