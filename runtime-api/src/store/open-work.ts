/**
 * The `open_work` column of a case's process-health row: what queue and operator figures read of
 * an open case (its open tasks' queues, opening and claim times; the operators' completed work),
 * as compact JSON that the database takes apart itself, so a report over 200,000 open cases
 * aggregates numbers in SQL instead of parsing every open case's facts in JavaScript. Ended cases
 * keep none (null).
 */
import type { CaseFacts } from '@flowpath/engine';
import type { OpenWorkQuery, OpenWorkSummary } from './store';

/** `[[[queue, openedAt, claimedAt | null], ...], [[actor, at], ...]]`, times in epoch milliseconds. */
export type OpenWorkColumn = [[string, number, number | null][], [string, number][]];

/** The column for a case's facts: null once the case has ended. */
export function openWorkColumn(facts: CaseFacts): string | null {
  if (facts.endedAt !== undefined || !facts.open) return null;
  const col: OpenWorkColumn = [
    Object.values(facts.open.tasks).map((t) => [t.queue, Date.parse(t.at), t.claim !== undefined ? Date.parse(t.claim) : null]),
    facts.work.map((w) => [w.actor, Date.parse(w.at)]),
  ];
  return JSON.stringify(col);
}

/** A `±HH:MM` offset for SQL date arithmetic; anything else counts as UTC (as the engine's `localDate` does). */
export function offsetOf(utcOffset: string): { text: string; minutes: number } {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!m) return { text: '+00:00', minutes: 0 };
  return { text: utcOffset, minutes: (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) };
}

/**
 * Adds the tasks and work of open cases whose rows have no open_work column (none are written
 * without it; a row the migration could not fill is read from its facts) to a summary.
 */
export function addFromFacts(summary: OpenWorkSummary, rows: readonly { version: number; facts: CaseFacts }[], q: OpenWorkQuery): void {
  const at = Date.parse(q.at);
  const from = q.work.from !== undefined ? Date.parse(q.work.from) : -Infinity;
  const to = q.work.to !== undefined ? Date.parse(q.work.to) : Infinity;
  const offsetMs = offsetOf(q.work.utcOffset).minutes * 60_000;
  for (const { version, facts } of rows) {
    for (const t of Object.values(facts.open?.tasks ?? {})) {
      const ms = Date.parse(t.at);
      if (ms > at) continue;
      const claimed = t.claim !== undefined;
      let g = summary.tasks.find((x) => x.version === version && x.queue === t.queue && x.claimed === claimed);
      if (!g) summary.tasks.push((g = { version, queue: t.queue, claimed, openedMs: [], oldest: new Date(ms).toISOString() }));
      g.openedMs.push(ms);
      if (Date.parse(g.oldest) > ms) g.oldest = new Date(ms).toISOString();
    }
    for (const w of facts.work) {
      const ms = Date.parse(w.at);
      if (ms < from || ms >= to) continue;
      const day = new Date(ms + offsetMs).toISOString().slice(0, 10);
      const row = summary.work.find((x) => x.version === version && x.actor === w.actor && x.day === day);
      if (row) row.tasks += 1;
      else summary.work.push({ version, actor: w.actor, day, tasks: 1 });
    }
  }
}
