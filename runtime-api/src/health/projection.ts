/**
 * The process-health projection: one `case_facts` row per case, folded forward in the same
 * transaction as every engine step and every operator move on a task (claim, release,
 * reassign), from the audit entries that transaction appended. No journal is re-read in the
 * normal course: a row remembers the sequence number of the last entry it folded, and only when
 * entries were appended without it (a case from before the projection existed, a runtime that ran
 * with the projection switched off, a fold that failed) does it catch up from the journal.
 */
import { HealthError, foldFactsInPlace, type AuditRecord, type BusinessCalendar, type CaseFacts, type FlowDefinition } from '@flowpath/engine';
import type { Logger } from 'pino';
import type { AuditEntryRecord, CaseFactsRecord, IsoTime, StoreTx } from '../store/store';

/** What the projection needs from the runtime: definitions and calendars, read inside the transaction. */
export interface ProjectionContext {
  definition(tx: StoreTx, flowKey: string, version: number): Promise<FlowDefinition>;
  calendar(tx: StoreTx, id: string): Promise<BusinessCalendar>;
  logger: Logger;
}

const CASE_STREAM = /^case:(.+)$/;

/** The case id of a `case:<id>` audit stream, or undefined for other streams. */
export function caseIdOfStream(stream: string): string | undefined {
  return CASE_STREAM.exec(stream)?.[1];
}

/** The stored audit entry as the engine's record (the entry is the record; the row's actor fills a missing one). */
export function auditRecordOf(e: AuditEntryRecord): AuditRecord | undefined {
  if (!e.entry || typeof e.entry.type !== 'string') return undefined;
  const r = e.entry as unknown as AuditRecord;
  if (r.actor === undefined && e.actor !== null) return { ...r, actor: e.actor };
  return r;
}

/** The row for a case's facts: the facts plus the columns queries filter on. */
export function caseFactsRow(caseId: string, facts: CaseFacts, seq: number, now: IsoTime): CaseFactsRecord {
  return {
    caseId,
    flowKey: facts.flowKey,
    version: facts.version,
    status: facts.status,
    outcome: facts.outcome ?? null,
    startedAt: facts.startedAt,
    endedAt: facts.endedAt ?? null,
    cycleMs: facts.cycle ? facts.cycle[0] : null,
    cycleWorkingMs: facts.cycle ? facts.cycle[1] : null,
    stp: facts.stp ?? null,
    rework: facts.rework,
    incidents: facts.incidents,
    caseSla: facts.caseSla ?? null,
    dims: facts.dims,
    facts,
    seq,
    updatedAt: now,
  };
}

/** Journal records of an operator's move on a task, which name the task. */
const OPERATOR_MOVES: ReadonlySet<string> = new Set(['task.claimed', 'task.released', 'task.reassigned']);

/**
 * Journals written before operators' task records carried the engine's task id name the API's
 * task id instead; the fold keys tasks by the engine's id.
 */

function withEngineTaskIds(records: AuditRecord[], engineIds: ReadonlyMap<string, string>): AuditRecord[] {
  if (engineIds.size === 0) return records;
  return records.map((r) => {
    const id = r.details?.taskId;
    if (!OPERATOR_MOVES.has(r.type) || typeof id !== 'string') return r;
    const engineId = engineIds.get(id);
    return engineId === undefined ? r : { ...r, details: { ...r.details, taskId: engineId, apiTaskId: id } };
  });
}

/** The entries after `seq` (all of them, as given, when none is at or before it). */
function after(entries: readonly AuditEntryRecord[], seq: number): readonly AuditEntryRecord[] {
  return (entries[0] as AuditEntryRecord).seq > seq ? entries : entries.filter((e) => e.seq > seq);
}

/** The engine's records of appended entries, with the engine's task ids where an older runtime wrote the API's. */
async function recordsOf(tx: StoreTx, caseId: string, entries: readonly AuditEntryRecord[]): Promise<AuditRecord[]> {
  const records = entries.map(auditRecordOf).filter((r): r is AuditRecord => r !== undefined);
  // Operators' task records name both ids since the engine's went into them; only older ones need the tasks read.
  const older = records.some((r) => OPERATOR_MOVES.has(r.type) && r.details?.apiTaskId === undefined);
  return older ? withEngineTaskIds(records, new Map((await tx.listCaseTasks(caseId)).map((t) => [t.id, t.engineTaskId]))) : records;
}

/** Facts of recently stepped cases kept parsed between steps (most cases are stepped again soon). */
interface CachedFacts {
  seq: number;
  flowKey: string;
  version: number;
  facts: CaseFacts;
}

/** How many cases' facts stay parsed in memory (about 1 to 2 KB each). */
const CACHE_SIZE = 5000;

export class CaseFactsProjection {
  /**
   * Parsed facts by case id, as last written. An entry is used only when the step's first entry
   * follows its `seq`, and the write is conditional on the stored row still being at that `seq`:
   * a transaction that rolled back, or another process that stepped the case, makes the write
   * miss, and the row is then read from the store.
   */
  private readonly cache = new Map<string, CachedFacts>();

  constructor(private readonly ctx: ProjectionContext) {}

  /**
   * Folds the entries just appended to a case's stream into its facts row. A journal the fold
   * cannot read is logged and leaves the row behind its stream (a health query tries again)
   * rather than failing the step: figures may lag, cases never stop for them.
   */
  async appended(tx: StoreTx, caseId: string, appended: readonly AuditEntryRecord[], now: IsoTime, def?: FlowDefinition): Promise<void> {
    if (appended.length === 0) return;
    try {
      const cached = this.cache.get(caseId);
      this.cache.delete(caseId);
      // The cache is trusted only to continue exactly where it ends: it may be ahead of the row
      // (a transaction that wrote it rolled back), and the write below is conditional on the row.
      if (cached && cached.seq + 1 === (appended[0] as AuditEntryRecord).seq) {
        const definition = def ?? (await this.ctx.definition(tx, cached.flowKey, cached.version));
        const facts = foldFactsInPlace(definition, cached.facts, await recordsOf(tx, caseId, appended), await this.calendarOf(tx, definition));
        const last = (appended[appended.length - 1] as AuditEntryRecord).seq;
        if (await tx.putCaseFacts(caseFactsRow(caseId, facts, last, now), cached.seq)) {
          this.remember(caseId, last, facts);
          return;
        }
      }
      // A case's first step, folded in its own transaction (the definition at hand), starts its
      // journal: there is no row to read back. The deferred projector reads it: a row written with
      // the journal (a loaded history) may be current already. Entries the row holds are skipped:
      // the deferred projector may read entries folded before it (by a catch-up, a loaded history).
      const row = (appended[0] as AuditEntryRecord).seq === 1 && def !== undefined && !cached ? undefined : await tx.getCaseFacts(caseId);
      const entries = after(appended, row?.seq ?? 0);
      if (entries.length === 0) return;
      if ((row ? row.seq + 1 : 1) !== (entries[0] as AuditEntryRecord).seq) {
        await this.catchUp(tx, caseId, row, now);
        return;
      }
      let definition = def;
      if (!definition) {
        const pinned = row ?? (await tx.getCase(caseId));
        if (!pinned) return;
        definition = await this.ctx.definition(tx, pinned.flowKey, pinned.version);
      }
      const facts = foldFactsInPlace(definition, row?.facts, await recordsOf(tx, caseId, entries), await this.calendarOf(tx, definition));
      const last = (entries[entries.length - 1] as AuditEntryRecord).seq;
      if (await tx.putCaseFacts(caseFactsRow(caseId, facts, last, now), row?.seq ?? null)) this.remember(caseId, last, facts);
    } catch (e) {
      // Only a journal the fold cannot read is tolerated; store errors (a conflict, a deadlock)
      // must reach the transaction so that it rolls back and reruns.
      if (!(e instanceof HealthError)) throw e;
      this.ctx.logger.warn({ caseId, code: e.code, err: e.message }, 'process-health projection of the case failed; it will catch up later');
      // The next health query checks every case against its journal again.
      await tx.clearFactsCaughtUp();
    }
  }

  /**
   * Brings a case's row up to its audit stream, folding only the entries after the row's `seq`
   * (all of them when there is no row). Returns whether the row changed. Throws when the journal
   * cannot be folded (it does not start with `case.started`, a record has no valid time).
   */
  async catchUp(tx: StoreTx, caseId: string, row: CaseFactsRecord | undefined, now: IsoTime): Promise<boolean> {
    this.cache.delete(caseId);
    const stream = `case:${caseId}`;
    const after = row?.seq ?? 0;
    const entries = await tx.listAudit(stream, after);
    if (entries.length === 0) return false;
    const c = row ? undefined : await tx.getCase(caseId);
    const flowKey = row?.flowKey ?? c?.flowKey;
    const version = row?.version ?? c?.version;
    if (flowKey === undefined || version === undefined) return false;
    const definition = await this.ctx.definition(tx, flowKey, version);
    const engineIds = new Map((await tx.listCaseTasks(caseId)).map((t) => [t.id, t.engineTaskId]));
    const records = withEngineTaskIds(entries.map(auditRecordOf).filter((r): r is AuditRecord => r !== undefined), engineIds);
    const facts = foldFactsInPlace(definition, row?.facts, records, await this.calendarOf(tx, definition));
    return tx.putCaseFacts(caseFactsRow(caseId, facts, (entries[entries.length - 1] as AuditEntryRecord).seq, now), row?.seq ?? null);
  }

  private remember(caseId: string, seq: number, facts: CaseFacts): void {
    // An ended case is not stepped again.
    if (facts.status !== 'waiting') return;
    this.cache.set(caseId, { seq, flowKey: facts.flowKey, version: facts.version, facts });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }

  private calendarOf(tx: StoreTx, def: FlowDefinition): Promise<BusinessCalendar> {
    return this.ctx.calendar(tx, def.calendar ?? 'cn-mainland');
  }
}
