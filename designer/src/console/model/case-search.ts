/**
 * The case monitor's search form: what the server filters (`GET /api/cases`, the creation date
 * range as `startedFrom` / `startedTo` too), kept in the address so a search can be linked and
 * reloaded.
 */
import type { CaseStatus } from '@flowpath/engine';
import type { CaseQuery } from '../../api/console-types';

export type TriState = 'any' | 'yes' | 'no';

export interface CaseSearch {
  flow: string;
  version: string;
  status: CaseStatus | '';
  waitingAt: string;
  breached: TriState;
  incident: TriState;
  branch: string;
  customerRef: string;
  /** Created on or after this day (YYYY-MM-DD, local), inclusive. */
  from: string;
  /** Created on or before this day, inclusive. */
  to: string;
}

export const NO_CASE_SEARCH: CaseSearch = { flow: '', version: '', status: '', waitingAt: '', breached: 'any', incident: 'any', branch: '', customerRef: '', from: '', to: '' };

const STATUSES: readonly string[] = ['waiting', 'completed', 'terminated', 'cancelled'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The part of the search the server applies. */
export function serverCaseQuery(s: CaseSearch): CaseQuery {
  const q: CaseQuery = {};
  if (s.flow) q.flow = s.flow;
  if (s.flow && /^\d+$/.test(s.version)) q.version = Number(s.version);
  if (s.status) q.status = s.status;
  if (s.waitingAt.trim()) q.waitingAt = s.waitingAt.trim();
  if (s.breached !== 'any') q.breached = s.breached === 'yes';
  if (s.incident !== 'any') q.incident = s.incident === 'yes';
  if (s.branch.trim()) q.branch = s.branch.trim();
  if (s.customerRef.trim()) q.customerRef = s.customerRef.trim();
  // Local days: from the start of `from` to the start of the day after `to`.
  if (DATE.test(s.from)) q.startedFrom = new Date(`${s.from}T00:00:00`).toISOString();
  if (DATE.test(s.to)) q.startedTo = new Date(new Date(`${s.to}T00:00:00`).getTime() + 86_400_000).toISOString();
  return q;
}

/** Where a creation time lies against the range: inside, after its end (newer) or before its start (older). */
export function inDateRange(createdAt: string, s: Pick<CaseSearch, 'from' | 'to'>): 'in' | 'after' | 'before' {
  const t = Date.parse(createdAt);
  if (DATE.test(s.from) && t < new Date(`${s.from}T00:00:00`).getTime()) return 'before';
  if (DATE.test(s.to) && t >= new Date(`${s.to}T00:00:00`).getTime() + 86_400_000) return 'after';
  return 'in';
}

/** The search as a query string for the address (only what differs from an empty search). */
export function caseSearchToParams(s: CaseSearch): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s) as [keyof CaseSearch, string][]) if (v !== NO_CASE_SEARCH[k]) p.set(k, v);
  return p.toString();
}

/** Reads a search from the address; unknown keys and bad values are ignored. */
export function caseSearchFromParams(query: string): CaseSearch {
  const p = new URLSearchParams(query);
  const s: CaseSearch = { ...NO_CASE_SEARCH };
  const text = (k: 'flow' | 'version' | 'waitingAt' | 'branch' | 'customerRef') => {
    const v = p.get(k);
    if (v !== null) s[k] = v.slice(0, 200);
  };
  text('flow');
  text('version');
  text('waitingAt');
  text('branch');
  text('customerRef');
  const status = p.get('status');
  if (status && STATUSES.includes(status)) s.status = status as CaseStatus;
  for (const k of ['breached', 'incident'] as const) {
    const v = p.get(k);
    if (v === 'yes' || v === 'no') s[k] = v;
  }
  for (const k of ['from', 'to'] as const) {
    const v = p.get(k);
    if (v && DATE.test(v)) s[k] = v;
  }
  return s;
}
