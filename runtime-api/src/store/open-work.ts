/**
 * The `open_work` column of a case's process-health row: what work-in-progress and queue figures
 * read of an open case (its open tasks' queues, opening and claim times; the operators'
 * completed work), as compact JSON, so a report over many open cases parses a few dozen bytes per
 * case instead of its whole facts document. Ended cases keep none (null).
 */
import type { CaseFacts, OpenWorkFacts } from '@flowpath/engine';

/** `[[[queue, openedAt, claimedAt | null], ...], [[actor, at], ...]]` */
type Column = [[string, string, string | null][], [string, string][]];

/** The column for a case's facts: null once the case has ended. */
export function openWorkColumn(facts: CaseFacts): string | null {
  if (facts.endedAt !== undefined || !facts.open) return null;
  const col: Column = [
    Object.values(facts.open.tasks).map((t) => [t.queue, t.at, t.claim ?? null]),
    facts.work.map((w) => [w.actor, w.at]),
  ];
  return JSON.stringify(col);
}

/**
 * A case's open work from its row: from the column when it is there, else (a row written before
 * the column existed) from its facts; an ended case contributes its times only.
 */
export function openWorkOf(startedAt: string, endedAt: string | null, column: string | null, facts: () => CaseFacts): OpenWorkFacts {
  if (endedAt !== null) return { startedAt, endedAt, work: [] };
  if (column === null) {
    const f = facts();
    return { startedAt, work: f.work, ...(f.open ? { open: { tasks: f.open.tasks } } : {}) };
  }
  const [tasks, work] = JSON.parse(column) as Column;
  const open: Record<string, { queue: string; at: string; claim?: string }> = {};
  tasks.forEach(([queue, at, claim], i) => {
    open[i] = claim !== null ? { queue, at, claim } : { queue, at };
  });
  return { startedAt, work: work.map(([actor, at]) => ({ actor, at })), open: { tasks: open } };
}
