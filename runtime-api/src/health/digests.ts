/**
 * Daily digests: the figures of the cases that ended on one local day, per flow version, for all
 * of them and per value of each dimension, kept by a checkpointed projector. A report over a long
 * period then merges a few hundred digest rows instead of reading every case: the cases that
 * ended in the period come from the digests, the cases started in it from a count in the store,
 * and only the cases open at its end (work in progress, queues) are read case by case.
 *
 * The projector's checkpoint is the pair of marks on each case's facts row (`digested` for the
 * digests by end day, `start_digested` for those by start day): it takes ended rows missing a
 * mark, adds them to those digests and marks them, in one transaction, so a case is counted
 * exactly once in each even with several processes projecting (they skip each other's rows).
 */
import {
  addToDigest,
  countWorkingDays,
  createDigest,
  digestFigures,
  localDate,
  mergeDigests,
  openWorkFigures,
  type CaseFacts,
  type DimValue,
  type HealthDigest,
  type HealthReport,
  type OperatorHealth,
} from '@flowpath/engine';
import type { FlowpathRuntime } from '../runtime/runtime';
import type { HealthDigestKey, HealthDigestRecord } from '../store/store';
import { dimensionsOf } from './query';
import type { FlowContext, HealthScope } from './service';

type DigestDoc = NonNullable<HealthDigestRecord['digest']>;

const keyText = (k: HealthDigestKey): string => JSON.stringify([k.flowKey, k.basis, k.version, k.dim, k.value, k.day]);

/** The value column of a dimension's digest rows. */
export const digestValue = (v: DimValue): string => JSON.stringify(v);

/**
 * Adds every ended case not yet in the digests to them, `batch` cases per transaction. Returns how
 * many were added. Safe to run from several places at once.
 */
export async function drainDigests(rt: FlowpathRuntime, batch = 500): Promise<number> {
  // The digests are made from the facts rows: first fold what the steps have committed.
  await rt.factsProjector?.drain();
  let total = 0;
  for (;;) {
    const n = await rt.store.transaction(async (tx) => {
      const rows = await tx.takeUndigestedCaseFacts(batch);
      if (rows.length === 0) return 0;
      const groups = new Map<string, { key: HealthDigestKey; facts: CaseFacts[]; days: string[] }>();
      for (const row of rows) {
        const def = await rt.definitions.definition(tx, row.flowKey, row.version);
        const cal = await rt.calendar(tx, def.calendar ?? 'cn-mainland');
        // Work is counted with the end-day rows only (a report reads it from those).
        const workDays = row.facts.work.map((w) => localDate(cal, w.at));
        for (const basis of row.missingFrom) {
          const day = localDate(cal, basis === 'ended' ? (row.endedAt as string) : row.startedAt);
          const keys: HealthDigestKey[] = [{ flowKey: row.flowKey, basis, version: row.version, dim: '', value: '', day }];
          for (const dim of dimensionsOf([def]).keys()) {
            const v = Object.prototype.hasOwnProperty.call(row.facts.dims, dim) ? (row.facts.dims[dim] as DimValue) : null;
            keys.push({ flowKey: row.flowKey, basis, version: row.version, dim, value: digestValue(v), day });
          }
          for (const key of keys) {
            const t = keyText(key);
            const g = groups.get(t) ?? { key, facts: [], days: [] };
            g.facts.push(row.facts);
            if (basis === 'ended') g.days.push(...workDays);
            groups.set(t, g);
          }
        }
      }
      // One order for every process, so two projectors never wait on each other's rows in a cycle.
      for (const t of [...groups.keys()].sort()) {
        const g = groups.get(t) as { key: HealthDigestKey; facts: CaseFacts[]; days: string[] };
        const row = await tx.lockHealthDigest(g.key);
        const doc: DigestDoc = row.digest ?? { digest: createDigest(), work: {} };
        let i = 0;
        for (const f of g.facts) {
          addToDigest(doc.digest, f);
          if (g.key.basis !== 'ended') continue;
          for (const w of f.work) {
            const byDay = (doc.work[w.actor] ??= {});
            const day = g.days[i++] as string;
            byDay[day] = (byDay[day] ?? 0) + 1;
          }
        }
        await tx.putHealthDigest({ ...g.key, cases: row.cases + g.facts.length, digest: doc });
      }
      await tx.markCaseFactsDigested(rows.map((r) => r.caseId));
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

/** Whether an instant is the calendar's local midnight. */
function isMidnight(cal: FlowContext['calendar'], iso: string): boolean {
  const day = localDate(cal, iso);
  return Date.parse(`${day}T00:00:00${cal.utcOffset}`) === Date.parse(iso);
}

/**
 * Whether the digests can answer: cases that ended in whole days (a period of dates; one that
 * ends now counts, nothing has ended after now), at most one dimension filtered, grouped by
 * version or not at all. Anything else is answered from the cases' facts.
 */
export function digestsCanAnswer(flow: FlowContext, scope: HealthScope, period: { from?: string; to?: string }, groupBy: string | undefined): boolean {
  if (groupBy !== undefined && groupBy !== 'version') return false;
  if (scope.dims && Object.keys(scope.dims).length > 1) return false;
  if (period.from !== undefined && !isMidnight(flow.calendar, period.from)) return false;
  if (period.to !== undefined && period.to !== flow.now && !isMidnight(flow.calendar, period.to)) return false;
  return true;
}

/**
 * The report `aggregateHealth` would give over every case's facts, from the digests (call only
 * when `digestsCanAnswer`). `period` is the effective period (a future end already moved to now).
 */
export async function digestReport(rt: FlowpathRuntime, flow: FlowContext, scope: HealthScope, period: { from?: string; to?: string }, groupBy?: 'version'): Promise<HealthReport> {
  await drainDigests(rt);
  const cal = flow.calendar;
  const [dim, values] = Object.entries(scope.dims ?? {})[0] ?? ['', undefined];
  const fromDay = period.from !== undefined ? localDate(cal, period.from) : undefined;
  // A period that ends now ends after every case that has ended.
  const toDay = period.to !== undefined && period.to !== flow.now ? localDate(cal, period.to) : undefined;
  const digestQuery = {
    flowKey: flow.flowKey,
    dim,
    ...(scope.versions ? { versions: scope.versions } : {}),
    ...(values ? { values: values.map(digestValue) } : {}),
    ...(fromDay !== undefined ? { fromDay } : {}),
  };
  // By end day: what ended in the period (volume, outcomes, people); by start day: the cases started
  // in it, and for a cohort by start (basis=started) the figures.
  const rows = await rt.store.listHealthDigests(digestQuery);
  const startRows = await rt.store.listHealthDigests({ ...digestQuery, basis: 'started' });
  // Cases open at the end of the period: work in progress, queues, and the tasks operators
  // completed on cases still open — gathered by the database (it applies the dimension filter too).
  const at = period.to ?? flow.now;
  const open = await rt.store.openWork({
    flowKey: flow.flowKey,
    ...(scope.versions ? { versions: scope.versions } : {}),
    ...(scope.dims ? { dims: scope.dims } : {}),
    at,
    work: { ...(period.from !== undefined ? { from: period.from } : {}), ...(period.to !== undefined ? { to: period.to } : {}), utcOffset: cal.utcOffset },
  });

  const build = async (versions: number[] | undefined): Promise<HealthReport> => {
    const inVersions = (v: number) => !versions || versions.includes(v);
    const beforeEnd = (r: { day: string }) => toDay === undefined || r.day < toDay;
    const mine = rows.filter((r) => inVersions(r.version) && r.digest);
    const ended: HealthDigest = mergeDigests(...mine.filter(beforeEnd).map((r) => (r.digest as DigestDoc).digest));
    const startedEnded = startRows.filter((r) => inVersions(r.version) && r.digest && beforeEnd(r));
    const measured = scope.basis === 'started' ? mergeDigests(...startedEnded.map((r) => (r.digest as DigestDoc).digest)) : ended;
    const starts = open.starts.filter((s) => inVersions(s.version));
    const openWork = openWorkFigures({ starts: starts.flatMap((s) => s.startedMs), tasks: open.tasks.filter((t) => inVersions(t.version)) }, { at, calendar: cal });
    // Cases started in the period, without reading them: the ended ones are in the start-day
    // digests, the others are open now (those started after the moment only without a period end).
    const fromMs = period.from !== undefined ? Date.parse(period.from) : -Infinity;
    let openStarted = 0;
    let openBefore = 0;
    for (const s of starts) {
      if (!s.open) continue;
      for (const ms of s.startedMs) {
        if (ms >= fromMs) openStarted += 1;
        else openBefore += 1;
      }
    }
    if (period.to === undefined) openStarted = open.openNow.reduce((n, e) => n + (inVersions(e.version) ? e.cases : 0), 0) - openBefore;
    const started = startedEnded.reduce((n, r) => n + r.cases, 0) + openStarted;
    // People: tasks completed in the period, from the digests of cases ended since it began and from open cases.
    const work = new Map<string, Map<string, number>>();
    const count = (actor: string, day: string, n: number) => {
      const byDay = work.get(actor) ?? new Map<string, number>();
      byDay.set(day, (byDay.get(day) ?? 0) + n);
      work.set(actor, byDay);
    };
    const inDays = (day: string) => (fromDay === undefined || day >= fromDay) && (toDay === undefined || day < toDay);
    for (const r of mine) for (const [actor, byDay] of Object.entries((r.digest as DigestDoc).work)) for (const [day, n] of Object.entries(byDay)) if (inDays(day)) count(actor, day, n);
    for (const w of open.work) if (inVersions(w.version)) count(w.actor, w.day, w.tasks);
    const days = [...work.values()].flatMap((m) => [...m.keys()]).sort();
    const startDay = fromDay ?? days[0];
    const endDay = period.to !== undefined ? localDate(cal, new Date(Date.parse(period.to) - 1).toISOString()) : days[days.length - 1];
    const workingDays = startDay !== undefined && endDay !== undefined ? countWorkingDays(cal, startDay, endDay) : 0;
    const operators: OperatorHealth[] = [...work.entries()]
      .map(([actor, byDay]) => {
        const tasks = [...byDay.values()].reduce((a, b) => a + b, 0);
        return { actor, tasks, activeDays: byDay.size, perActiveDay: byDay.size > 0 ? tasks / byDay.size : null, perWorkingDay: workingDays > 0 ? tasks / workingDays : null };
      })
      .sort((a, b) => b.tasks - a.tasks || a.actor.localeCompare(b.actor));
    const figures = digestFigures(measured, flow.latest);
    return {
      period: { ...(period.from !== undefined ? { from: period.from } : {}), ...(period.to !== undefined ? { to: period.to } : {}) },
      basis: scope.basis,
      asOf: period.to ?? flow.now,
      pending: scope.basis === 'started' ? openStarted : 0,
      volume: { started, completed: ended.completed, cancelled: ended.cancelled, terminated: ended.terminated, outcomes: { ...ended.outcomes }, wip: openWork.wip },
      ...figures,
      people: { workingDays, operators, queues: openWork.queues },
    };
  };

  const report = await build(scope.versions);
  if (groupBy === 'version') {
    // A group per version with a case alive in the period: one that started in it, ended in it,
    // or was open at its end (as grouping the cases' facts gives).
    const groups = [];
    for (const v of [...(scope.versions ?? flow.versions)].sort((a, b) => a - b)) {
      const r = await build([v]);
      if (r.measured > 0 || r.volume.started > 0 || r.volume.wip.count > 0) groups.push({ value: v, report: r });
    }
    report.groups = { by: 'version', groups };
  }
  return report;
}
