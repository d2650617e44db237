/**
 * The embedded store: one SQLite file in the data folder (better-sqlite3, WAL).
 *
 * `synchronous: 'full'` is the default so a write acknowledged to a client survives a power cut
 * (FLOWPATH_SYNC=normal trades that for speed; see docs/decisions/0003). better-sqlite3 is
 * synchronous, so the async interface is kept honest with a queue: transactions run one at a time,
 * those that queue up share a COMMIT (group commit), the WAL is fsynced after that COMMIT off the
 * event loop, and nobody hears back before both (docs/decisions/0040). A call on the store from
 * inside a transaction is refused rather than deadlocking.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, fdatasync, fdatasyncSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CaseFacts, DimValue, FlowVersion } from '@flowpath/engine';
import { canonicalJson } from '../hash';
import { auditHashOfText, GENESIS_HASH } from './audit-chain';
import { Checkpointer, type CheckpointOptions, type CheckpointStats } from './sqlite-checkpointer';
import { GroupCommitter, type GroupCommitOptions, type GroupCommitStats } from './sqlite-group-commit';
import { addFromFacts, offsetOf, openWorkColumn } from './open-work';
import { sqliteMigrations } from './sqlite-migrations';
import {
  distinctTaskFilter,
  StoreConflictError,
  StoreMisuseError,
  type AuditEntryRecord,
  type AuditHead,
  type CalendarRecord,
  type CaseCursor,
  type CaseFactsQuery,
  type CaseFactsRecord,
  type CaseFilter,
  type HealthDigestKey,
  type HealthDigestQuery,
  type HealthDigestRecord,
  type OpenWorkQuery,
  type UndigestedCaseFacts,
  missingFrom,
  type OpenWorkSummary,
  type CaseRecord,
  type FlowRecord,
  type FlowSummary,
  type FlowVersionMeta,
  type IdempotencyRecord,
  type IsoTime,
  type ListEntry,
  type ListRecord,
  type NewAuditEntry,
  type OutboxRecord,
  type ReleasePolicy,
  type Store,
  type StoreTx,
  type TaskCursor,
  type TaskFilter,
  type TaskRecord,
  type TimerRecord,
  type TimerStatus,
} from './store';

export interface SqliteStoreOptions {
  /** `full` (default): fsync on every commit. `normal`: may lose the last commits on power loss, never corrupts. */
  synchronous?: 'full' | 'normal';
  /** Bounds of group commit (several queued transactions share one COMMIT; see docs/decisions/0040). */
  groupCommit?: GroupCommitOptions;
  /** WAL checkpoints on a timer, off the request path (file stores only; see docs/decisions/0040). */
  checkpoint?: CheckpointOptions;
  /**
   * With `full`, let SQLite fsync inside each COMMIT (`PRAGMA synchronous=FULL`), blocking the event
   * loop, instead of fsyncing the WAL right after COMMIT on the thread pool. Same guarantee, slower;
   * kept to measure the difference (see docs/decisions/0040).
   */
  syncInCommit?: boolean;
}

type Row = Record<string, unknown>;

/** Sorts tasks without a due time after those with one. */
const NO_DUE = '9999-12-31T23:59:59.999Z';

/** Up to this many status × queue × branch ranges, a work list is read range by range (see listTasks). */
const MAX_WORK_LIST_SCANS = 120;

/**
 * A condition on the `dims` column of case_facts: the dimension takes one of the values, typed like
 * the facts (the string "3" is not the number 3, and true is not 1; null also matches no value).
 */
function dimCondition(field: string, values: readonly DimValue[], params: unknown[]): string {
  const path = `$.${JSON.stringify(field)}`;
  const alternatives = values.map((v) => {
    if (v === null) {
      params.push(path, path);
      return "(json_type(dims, ?) IS NULL OR json_type(dims, ?) = 'null')";
    }
    if (typeof v === 'boolean') {
      params.push(path);
      return `json_type(dims, ?) = '${v ? 'true' : 'false'}'`;
    }
    params.push(path, path, v);
    return typeof v === 'number' ? "(json_type(dims, ?) IN ('integer', 'real') AND json_extract(dims, ?) = ?)" : "(json_type(dims, ?) = 'text' AND json_extract(dims, ?) = ?)";
  });
  return alternatives.length ? `(${alternatives.join(' OR ')})` : '0';
}

/** The digests by end day, or by start day. */
const digestTable = (basis: HealthDigestRecord['basis']): string => (basis === 'started' ? 'health_start_digests' : 'health_digests');

/** An ISO instant column as epoch milliseconds, exactly (julianday keeps whole milliseconds). */
const MS = (col: string): string => `CAST(round((julianday(${col}) - 2440587.5) * 86400000) AS INTEGER)`;

/** The WHERE clause of a case-facts query and its parameters; undefined when no row can match. */
function factsWhere(q: CaseFactsQuery): { where: string; params: unknown[] } | undefined {
  const where = ['flow_key = ?'];
  const params: unknown[] = [q.flowKey];
  if (q.versions) {
    if (q.versions.length === 0) return undefined;
    where.push(`version IN (${q.versions.map(() => '?').join(',')})`);
    params.push(...q.versions);
  }
  if (q.startedBefore !== undefined) {
    where.push('started_at < ?');
    params.push(q.startedBefore);
  }
  if (q.endedFrom !== undefined) {
    where.push('(ended_at IS NULL OR ended_at >= ?)');
    params.push(q.endedFrom);
  }
  for (const [path, values] of Object.entries(q.dims ?? {})) where.push(dimCondition(path, values, params));
  return { where: where.join(' AND '), params };
}

function json(v: unknown): string {
  return JSON.stringify(v);
}

function parse<T>(text: unknown): T {
  return JSON.parse(String(text)) as T;
}

/** Most distinct texts `shared` keeps; past that it starts again (a store has a few per flow version). */
const SHARED_TEXTS = 512;
const sharedValues = new Map<string, unknown>();

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * A task's name or form, parsed once per distinct text and shared, frozen, by every task that has
 * it: both come from the user-task node, so the tasks of one node of one flow version all carry
 * the same text, and parsing the form (~0.3 KB) for every row cost a work-list page of 50 tasks
 * about as much as reading the rows.
 */
function shared<T>(text: unknown): T {
  const key = String(text);
  let v = sharedValues.get(key);
  if (v === undefined) {
    if (sharedValues.size >= SHARED_TEXTS) sharedValues.clear();
    v = deepFreeze(JSON.parse(key) as unknown);
    sharedValues.set(key, v);
  }
  return v as T;
}

function str(v: unknown): string {
  return String(v);
}

function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function num(v: unknown): number {
  return Number(v);
}

function toCase(r: Row, waits: string[]): CaseRecord {
  return {
    id: str(r.id),
    flowKey: str(r.flow_key),
    version: num(r.version),
    status: str(r.status) as CaseRecord['status'],
    state: parse(r.state),
    customerRef: strOrNull(r.customer_ref),
    branch: strOrNull(r.branch),
    priority: num(r.priority),
    breached: num(r.breached) === 1,
    openIncidents: num(r.open_incidents),
    waitingAt: waits,
    createdBy: str(r.created_by),
    parentCaseId: strOrNull(r.parent_case_id),
    parentRequestId: strOrNull(r.parent_request_id),
    rowVersion: num(r.row_version),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

function toTask(r: Row): TaskRecord {
  return {
    id: str(r.id),
    caseId: str(r.case_id),
    engineTaskId: str(r.engine_task_id),
    tokenId: str(r.token_id),
    nodeId: str(r.node_id),
    flowKey: str(r.flow_key),
    version: num(r.version),
    customerRef: strOrNull(r.customer_ref),
    branch: strOrNull(r.branch),
    channel: strOrNull(r.channel),
    name: shared(r.name),
    queue: str(r.queue),
    roles: parse(r.roles),
    priority: num(r.priority),
    form: shared(r.form),
    dueAt: strOrNull(r.due_at),
    warnAt: strOrNull(r.warn_at),
    excludedActors: parse(r.excluded_actors),
    status: str(r.status) as TaskRecord['status'],
    assignee: strOrNull(r.assignee),
    completedBy: strOrNull(r.completed_by),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
    closedAt: strOrNull(r.closed_at),
    rowVersion: num(r.row_version),
  };
}

function toTimer(r: Row): TimerRecord {
  return {
    caseId: str(r.case_id),
    timerId: str(r.timer_id),
    dueAt: str(r.due_at),
    runAt: str(r.run_at),
    purpose: str(r.purpose) as TimerRecord['purpose'],
    nodeId: strOrNull(r.node_id),
    status: str(r.status) as TimerStatus,
    attempts: num(r.attempts),
    lastError: strOrNull(r.last_error),
    createdAt: str(r.created_at),
    firedAt: strOrNull(r.fired_at),
  };
}

function toOutbox(r: Row): OutboxRecord {
  return {
    id: str(r.id),
    caseId: strOrNull(r.case_id),
    kind: str(r.kind) as OutboxRecord['kind'],
    payload: parse(r.payload),
    status: str(r.status) as OutboxRecord['status'],
    attempts: num(r.attempts),
    runAt: str(r.run_at),
    leaseOwner: strOrNull(r.lease_owner),
    leaseUntil: strOrNull(r.lease_until),
    lastError: strOrNull(r.last_error),
    createdAt: str(r.created_at),
    doneAt: strOrNull(r.done_at),
  };
}

function toAudit(r: Row): AuditEntryRecord {
  let entry: Record<string, unknown> | null;
  try {
    const parsed: unknown = JSON.parse(str(r.entry));
    entry = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    entry = null;
  }
  return {
    stream: str(r.stream),
    seq: num(r.seq),
    at: str(r.at),
    actor: strOrNull(r.actor),
    entry,
    prevHash: str(r.prev_hash),
    hash: str(r.hash),
  };
}

function toFlow(r: Row): FlowRecord {
  return {
    key: str(r.key),
    draft: parse(r.draft),
    draftRevision: num(r.draft_revision),
    owner: strOrNull(r.owner),
    createdBy: str(r.created_by),
    createdAt: str(r.created_at),
    updatedBy: str(r.updated_by),
    updatedAt: str(r.updated_at),
  };
}

function toVersionMeta(r: Row): FlowVersionMeta {
  const v: FlowVersionMeta = {
    key: str(r.flow_key),
    version: num(r.version),
    hash: str(r.hash),
    publishedAt: str(r.published_at),
  };
  if (r.author !== null) v.author = str(r.author);
  if (r.published_by !== null) v.publishedBy = str(r.published_by);
  if (r.note !== null) v.note = str(r.note);
  return v;
}

function toPolicy(r: Row): ReleasePolicy {
  return {
    flowKey: str(r.flow_key),
    defaultVersion: num(r.default_version),
    pilots: parse(r.pilots),
    split: r.split === null ? null : parse(r.split),
    revision: num(r.revision),
    updatedBy: str(r.updated_by),
    updatedAt: str(r.updated_at),
  };
}

function toList(r: Row): ListRecord {
  return {
    name: str(r.name),
    kind: str(r.kind) as ListRecord['kind'],
    description: strOrNull(r.description),
    revision: num(r.revision),
    size: num(r.size),
    updatedBy: str(r.updated_by),
    updatedAt: str(r.updated_at),
  };
}

function toCalendar(r: Row): CalendarRecord {
  return {
    id: str(r.id),
    calendar: parse(r.calendar),
    revision: num(r.revision),
    updatedBy: str(r.updated_by),
    updatedAt: str(r.updated_at),
  };
}

function toCaseFacts(r: Row): CaseFactsRecord {
  return {
    caseId: str(r.case_id),
    flowKey: str(r.flow_key),
    version: num(r.version),
    status: str(r.status) as CaseFactsRecord['status'],
    outcome: strOrNull(r.outcome),
    startedAt: str(r.started_at),
    endedAt: strOrNull(r.ended_at),
    cycleMs: r.cycle_ms === null ? null : num(r.cycle_ms),
    cycleWorkingMs: r.cycle_working_ms === null ? null : num(r.cycle_working_ms),
    stp: r.stp === null ? null : num(r.stp) === 1,
    rework: num(r.rework),
    incidents: num(r.incidents),
    caseSla: strOrNull(r.case_sla),
    dims: parse(r.dims),
    facts: parse(r.facts),
    seq: num(r.seq),
    updatedAt: str(r.updated_at),
  };
}

function toDigest(r: Row, basis: HealthDigestRecord['basis']): HealthDigestRecord {
  return {
    flowKey: str(r.flow_key),
    basis,
    version: num(r.version),
    dim: str(r.dim),
    value: str(r.value),
    day: str(r.day),
    cases: num(r.cases),
    digest: parse(r.digest),
  };
}

/** Audit rows per INSERT statement (7 parameters each, far below SQLite's limit of 32,766). */
const AUDIT_ROWS_PER_INSERT = 64;
const AUDIT_ROW = ',(?, ?, ?, ?, ?, ?, ?)';

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Builds a row object from the array of values SQLite returns for a statement with these columns.
 * better-sqlite3 makes its row objects one property at a time, through V8's slow path (a work-list
 * page of 51 tasks of 26 columns: ~0.45 ms); the same statement in raw mode plus one object literal
 * per row, compiled once per statement, gives every row the same shape at once (~0.25 ms). A name
 * given twice keeps its last value, as better-sqlite3's objects do.
 */
function rowBuilder(columns: readonly string[]): (values: unknown[]) => Row {
  const members = columns.map((c, i) => `${JSON.stringify(c)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${members} };`) as (values: unknown[]) => Row;
}

/** A prepared statement that returns rows, in raw mode, with the builder of its row objects. */
interface Query {
  stmt: Database.Statement;
  row: (values: unknown[]) => Row;
}

/** The statements, run synchronously on the one connection; wrapped as async by SqliteStore. */
class SqliteOps implements StoreTx {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly queries = new Map<string, Query>();

  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private query(sql: string): Query {
    let q = this.queries.get(sql);
    if (!q) {
      const stmt = this.db.prepare(sql).raw(true);
      q = { stmt, row: rowBuilder(stmt.columns().map((c) => c.name)) };
      this.queries.set(sql, q);
    }
    return q;
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    const q = this.query(sql);
    const values = q.stmt.get(...params) as unknown[] | undefined;
    return values && q.row(values);
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    const q = this.query(sql);
    return (q.stmt.all(...params) as unknown[][]).map(q.row);
  }

  private run(sql: string, ...params: unknown[]): number {
    return this.prepare(sql).run(...params).changes;
  }

  // Flows
  async getFlow(key: string): Promise<FlowRecord | undefined> {
    const r = this.get('SELECT * FROM flows WHERE key = ?', key);
    return r && toFlow(r);
  }

  async listFlows(): Promise<FlowSummary[]> {
    const rows = this.all(`
      SELECT f.key, f.draft, f.owner, f.draft_revision, f.updated_at, f.updated_by,
        (SELECT MAX(version) FROM flow_versions v WHERE v.flow_key = f.key) AS latest,
        (SELECT default_version FROM release_policies p WHERE p.flow_key = f.key) AS default_version
      FROM flows f ORDER BY f.key`);
    return rows.map((r) => {
      const draft = parse<Record<string, unknown>>(r.draft);
      return {
        key: str(r.key),
        name: draft.name ?? null,
        owner: strOrNull(r.owner),
        draftRevision: num(r.draft_revision),
        latestVersion: r.latest === null ? null : num(r.latest),
        defaultVersion: r.default_version === null ? null : num(r.default_version),
        updatedAt: str(r.updated_at),
        updatedBy: str(r.updated_by),
      };
    });
  }

  async listPublishedFlowKeys(): Promise<string[]> {
    return this.all('SELECT DISTINCT flow_key FROM flow_versions ORDER BY flow_key').map((r) => str(r.flow_key));
  }

  async insertFlow(f: FlowRecord): Promise<void> {
    try {
      this.run(
        'INSERT INTO flows (key, draft, draft_revision, owner, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        f.key, json(f.draft), f.draftRevision, f.owner, f.createdBy, f.createdAt, f.updatedBy, f.updatedAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreConflictError('flow.exists', { key: f.key });
      throw e;
    }
  }

  async saveDraft(key: string, expectedRevision: number, draft: Record<string, unknown>, actor: string, at: IsoTime): Promise<FlowRecord> {
    const changed = this.run(
      'UPDATE flows SET draft = ?, draft_revision = draft_revision + 1, updated_by = ?, updated_at = ? WHERE key = ? AND draft_revision = ?',
      json(draft), actor, at, key, expectedRevision,
    );
    const now = await this.getFlow(key);
    if (!now) throw new StoreConflictError('flow.missing', { key });
    if (changed === 0) throw new StoreConflictError('draft.revision.stale', { revision: now.draftRevision });
    return now;
  }

  async insertVersion(v: FlowVersion): Promise<void> {
    try {
      this.run(
        'INSERT INTO flow_versions (flow_key, version, definition, hash, author, published_by, published_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        v.key, v.version, json(v.definition), v.hash, v.author ?? null, v.publishedBy ?? null, v.publishedAt, v.note ?? null,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreConflictError('version.exists', { version: v.version });
      throw e;
    }
  }

  async getVersion(key: string, version: number): Promise<FlowVersion | undefined> {
    const r = this.get('SELECT * FROM flow_versions WHERE flow_key = ? AND version = ?', key, version);
    return r && { ...toVersionMeta(r), definition: parse(r.definition) };
  }

  async listVersions(key: string): Promise<FlowVersionMeta[]> {
    return this.all(
      'SELECT flow_key, version, hash, author, published_by, published_at, note FROM flow_versions WHERE flow_key = ? ORDER BY version',
      key,
    ).map(toVersionMeta);
  }

  async latestVersion(key: string): Promise<number> {
    const r = this.get('SELECT MAX(version) AS v FROM flow_versions WHERE flow_key = ?', key);
    return r && r.v !== null ? num(r.v) : 0;
  }

  async getReleasePolicy(key: string): Promise<ReleasePolicy | undefined> {
    const r = this.get('SELECT * FROM release_policies WHERE flow_key = ?', key);
    return r && toPolicy(r);
  }

  async putReleasePolicy(p: ReleasePolicy, expectedRevision: number): Promise<ReleasePolicy> {
    const current = await this.getReleasePolicy(p.flowKey);
    if ((current?.revision ?? 0) !== expectedRevision) {
      throw new StoreConflictError('release-policy.revision.stale', { revision: current?.revision ?? 0 });
    }
    const revision = expectedRevision + 1;
    this.run(
      `INSERT INTO release_policies (flow_key, default_version, pilots, split, revision, updated_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (flow_key) DO UPDATE SET default_version = excluded.default_version, pilots = excluded.pilots,
         split = excluded.split, revision = excluded.revision, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      p.flowKey, p.defaultVersion, json(p.pilots), p.split === null ? null : json(p.split), revision, p.updatedBy, p.updatedAt,
    );
    return { ...p, revision };
  }

  // Cases
  private waitsOf(id: string): string[] {
    return this.all('SELECT node_id FROM case_waits WHERE case_id = ? ORDER BY node_id', id).map((r) => str(r.node_id));
  }

  private writeWaits(c: CaseRecord, fresh = false): void {
    // A case just inserted has no waits to clear.
    if (!fresh) this.run('DELETE FROM case_waits WHERE case_id = ?', c.id);
    for (const nodeId of new Set(c.waitingAt)) this.run('INSERT INTO case_waits (case_id, node_id) VALUES (?, ?)', c.id, nodeId);
  }

  async insertCase(c: CaseRecord): Promise<void> {
    try {
      this.run(
        `INSERT INTO cases (id, flow_key, version, status, state, customer_ref, branch, priority, breached, open_incidents,
           created_by, parent_case_id, parent_request_id, row_version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        c.id, c.flowKey, c.version, c.status, json(c.state), c.customerRef, c.branch, c.priority, c.breached ? 1 : 0, c.openIncidents,
        c.createdBy, c.parentCaseId, c.parentRequestId, c.rowVersion, c.createdAt, c.updatedAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreConflictError('case.exists', { id: c.id });
      throw e;
    }
    this.writeWaits(c, true);
  }

  async getCase(id: string): Promise<CaseRecord | undefined> {
    const r = this.get('SELECT * FROM cases WHERE id = ?', id);
    return r && toCase(r, this.waitsOf(id));
  }

  async updateCase(c: CaseRecord): Promise<CaseRecord> {
    const changed = this.run(
      `UPDATE cases SET status = ?, state = ?, customer_ref = ?, branch = ?, priority = ?, breached = ?, open_incidents = ?,
         row_version = row_version + 1, updated_at = ? WHERE id = ? AND row_version = ?`,
      c.status, json(c.state), c.customerRef, c.branch, c.priority, c.breached ? 1 : 0, c.openIncidents, c.updatedAt, c.id, c.rowVersion,
    );
    if (changed === 0) throw new StoreConflictError('case.changed', { id: c.id });
    this.writeWaits(c);
    return { ...c, rowVersion: c.rowVersion + 1 };
  }

  async findChildCase(parentCaseId: string, parentRequestId: string): Promise<CaseRecord | undefined> {
    const r = this.get('SELECT * FROM cases WHERE parent_case_id = ? AND parent_request_id = ?', parentCaseId, parentRequestId);
    return r && toCase(r, this.waitsOf(str(r.id)));
  }

  async listCases(f: CaseFilter, limit: number, after?: CaseCursor): Promise<CaseRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const eq = (col: string, v: unknown): void => {
      where.push(`c.${col} = ?`);
      params.push(v);
    };
    if (f.flowKey !== undefined) eq('flow_key', f.flowKey);
    if (f.version !== undefined) eq('version', f.version);
    if (f.status !== undefined) eq('status', f.status);
    if (f.customerRef !== undefined) eq('customer_ref', f.customerRef);
    if (f.branch !== undefined) eq('branch', f.branch);
    if (f.createdBy !== undefined) eq('created_by', f.createdBy);
    if (f.breached !== undefined) eq('breached', f.breached ? 1 : 0);
    if (f.hasIncident !== undefined) where.push(f.hasIncident ? 'c.open_incidents > 0' : 'c.open_incidents = 0');
    if (f.startedFrom !== undefined) {
      where.push('c.created_at >= ?');
      params.push(f.startedFrom);
    }
    if (f.startedTo !== undefined) {
      where.push('c.created_at < ?');
      params.push(f.startedTo);
    }
    if (f.waitingAt !== undefined) {
      where.push('EXISTS (SELECT 1 FROM case_waits w WHERE w.case_id = c.id AND w.node_id = ?)');
      params.push(f.waitingAt);
    }
    if (after) {
      where.push('(c.created_at < ? OR (c.created_at = ? AND c.id < ?))');
      params.push(after.createdAt, after.createdAt, after.id);
    }
    const sql = `SELECT c.* FROM cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id DESC LIMIT ?`;
    return this.all(sql, ...params, limit).map((r) => toCase(r, this.waitsOf(str(r.id))));
  }

  // Tasks
  async insertTask(t: TaskRecord): Promise<void> {
    this.run(
      `INSERT INTO tasks (id, case_id, engine_task_id, token_id, node_id, flow_key, version, customer_ref, branch, channel, name, queue, roles,
         priority, form, due_at, warn_at, sort_due, excluded_actors, status, assignee, completed_by, created_at, updated_at, closed_at, row_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      t.id, t.caseId, t.engineTaskId, t.tokenId, t.nodeId, t.flowKey, t.version, t.customerRef, t.branch, t.channel, json(t.name), t.queue,
      json(t.roles), t.priority, json(t.form), t.dueAt, t.warnAt, t.dueAt ?? NO_DUE, json(t.excludedActors), t.status, t.assignee,
      t.completedBy, t.createdAt, t.updatedAt, t.closedAt, t.rowVersion,
    );
    this.countTaskChange(t.queue);
  }

  /** One more change in a queue's work list (see taskChanges). */
  private countTaskChange(queue: string): void {
    this.run('INSERT INTO task_queue_changes (queue, changes) VALUES (?, 1) ON CONFLICT (queue) DO UPDATE SET changes = changes + 1', queue);
  }

  async taskChanges(queues?: string[]): Promise<number> {
    if (queues && queues.length === 0) return 0;
    const r = queues
      ? this.get(`SELECT COALESCE(SUM(changes), 0) AS n FROM task_queue_changes WHERE queue IN (${queues.map(() => '?').join(',')})`, ...queues)
      : this.get('SELECT COALESCE(SUM(changes), 0) AS n FROM task_queue_changes');
    return num(r?.n);
  }

  async getTask(id: string): Promise<TaskRecord | undefined> {
    const r = this.get('SELECT * FROM tasks WHERE id = ?', id);
    return r && toTask(r);
  }

  async getTaskByEngineId(caseId: string, engineTaskId: string): Promise<TaskRecord | undefined> {
    const r = this.get('SELECT * FROM tasks WHERE case_id = ? AND engine_task_id = ?', caseId, engineTaskId);
    return r && toTask(r);
  }

  async updateTask(t: TaskRecord): Promise<TaskRecord> {
    const before = this.get('SELECT queue FROM tasks WHERE id = ? AND row_version = ?', t.id, t.rowVersion);
    const changed = this.run(
      `UPDATE tasks SET queue = ?, priority = ?, due_at = ?, warn_at = ?, sort_due = ?, status = ?, assignee = ?, completed_by = ?,
         updated_at = ?, closed_at = ?, row_version = row_version + 1 WHERE id = ? AND row_version = ?`,
      t.queue, t.priority, t.dueAt, t.warnAt, t.dueAt ?? NO_DUE, t.status, t.assignee, t.completedBy, t.updatedAt, t.closedAt, t.id, t.rowVersion,
    );
    if (changed === 0 || !before) throw new StoreConflictError('task.changed', { id: t.id });
    this.countTaskChange(t.queue);
    if (str(before.queue) !== t.queue) this.countTaskChange(str(before.queue));
    return { ...t, rowVersion: t.rowVersion + 1 };
  }

  async listTasks(filter: TaskFilter, limit: number, after?: TaskCursor): Promise<TaskRecord[]> {
    // A status, queue or branch named twice must not read its range twice.
    const f = distinctTaskFilter(filter);
    if (f.statuses.length === 0 || (f.queues && f.queues.length === 0) || (f.branches && f.branches.length === 0)) return [];
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.caseId !== undefined) {
      where.push('case_id = ?');
      params.push(f.caseId);
    }
    if (f.assignee !== undefined) {
      where.push('assignee = ?');
      params.push(f.assignee);
    }
    if (f.flowKey !== undefined) {
      where.push('flow_key = ?');
      params.push(f.flowKey);
    }
    // sort_due rather than due_at: it is in the work-list indexes, and NO_DUE sorts after every due time.
    if (f.dueBefore !== undefined) {
      where.push('sort_due < ?');
      params.push(f.dueBefore);
    }
    if (f.dueAfter !== undefined) {
      where.push('sort_due >= ? AND sort_due < ?');
      params.push(f.dueAfter, NO_DUE);
    }
    if (f.breached && f.statuses.every((st) => st === 'open' || st === 'claimed')) {
      // Open tasks have no closing time: the index's sort_due answers (NO_DUE is never past).
      where.push(f.breached.value ? 'sort_due <= ?' : 'sort_due > ?');
      params.push(f.breached.at);
    } else if (f.breached) {
      where.push(f.breached.value ? 'due_at <= COALESCE(closed_at, ?)' : '(due_at IS NULL OR due_at > COALESCE(closed_at, ?))');
      params.push(f.breached.at);
    }
    if (after) {
      const due = after.dueAt ?? NO_DUE;
      where.push(`(priority < ? OR (priority = ? AND (sort_due > ? OR (sort_due = ? AND (created_at > ? OR (created_at = ? AND id > ?))))))`);
      params.push(after.priority, after.priority, due, due, after.createdAt, after.createdAt, after.id);
    }
    const order = 'ORDER BY priority DESC, sort_due ASC, created_at ASC, id ASC';
    const branches = f.branches ?? [undefined];
    const combos = f.statuses.length * (f.queues?.length ?? 0) * branches.length;
    if (f.queues && f.caseId === undefined && f.assignee === undefined && combos <= MAX_WORK_LIST_SCANS) {
      // One ordered index range per status, queue (and branch), each cut at `limit`, merged: the
      // single query over IN lists would sort every matching row (100,000 open tasks: ~200 ms;
      // this ~8 ms). The ranges read only the index; full rows are read for the page alone.
      const scans: string[] = [];
      const scanParams: unknown[] = [];
      for (const status of f.statuses) {
        for (const queue of f.queues) {
          for (const branch of branches) {
            const eq = branch === undefined ? 'status = ? AND queue = ?' : 'status = ? AND queue = ? AND branch = ?';
            scans.push(`SELECT * FROM (SELECT id, priority, sort_due, created_at FROM tasks WHERE ${[eq, ...where].join(' AND ')} ${order} LIMIT ?)`);
            scanParams.push(status, queue, ...(branch === undefined ? [] : [branch]), ...params, limit);
          }
        }
      }
      const sql = `SELECT t.* FROM tasks t JOIN (${scans.join(' UNION ALL ')} ${order} LIMIT ?) page ON t.id = page.id
        ORDER BY t.priority DESC, t.sort_due ASC, t.created_at ASC, t.id ASC`;
      return this.all(sql, ...scanParams, limit).map(toTask);
    }
    const all: string[] = [`status IN (${f.statuses.map(() => '?').join(',')})`];
    const allParams: unknown[] = [...f.statuses];
    if (f.queues) {
      all.push(`queue IN (${f.queues.map(() => '?').join(',')})`);
      allParams.push(...f.queues);
    }
    if (f.branches) {
      all.push(`branch IN (${f.branches.map(() => '?').join(',')})`);
      allParams.push(...f.branches);
    }
    const sql = `SELECT * FROM tasks WHERE ${[...all, ...where].join(' AND ')} ${order} LIMIT ?`;
    return this.all(sql, ...allParams, ...params, limit).map(toTask);
  }

  async listCaseTasks(caseId: string): Promise<TaskRecord[]> {
    return this.all('SELECT * FROM tasks WHERE case_id = ? ORDER BY created_at, rowid', caseId).map(toTask);
  }

  // Timers
  async insertTimer(t: TimerRecord): Promise<void> {
    this.run(
      `INSERT INTO timers (case_id, timer_id, due_at, run_at, purpose, node_id, status, attempts, last_error, created_at, fired_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (case_id, timer_id) DO UPDATE SET due_at = excluded.due_at, run_at = excluded.run_at, purpose = excluded.purpose,
         node_id = excluded.node_id, status = excluded.status, attempts = excluded.attempts, last_error = excluded.last_error,
         created_at = excluded.created_at, fired_at = excluded.fired_at`,
      t.caseId, t.timerId, t.dueAt, t.runAt, t.purpose, t.nodeId, t.status, t.attempts, t.lastError, t.createdAt, t.firedAt,
    );
  }

  async getTimer(caseId: string, timerId: string): Promise<TimerRecord | undefined> {
    const r = this.get('SELECT * FROM timers WHERE case_id = ? AND timer_id = ?', caseId, timerId);
    return r && toTimer(r);
  }

  async takeDueTimer(now: IsoTime): Promise<TimerRecord | undefined> {
    const r = this.get("SELECT * FROM timers WHERE status = 'scheduled' AND run_at <= ? ORDER BY run_at, case_id, timer_id LIMIT 1", now);
    return r && toTimer(r);
  }

  async updateTimer(t: TimerRecord, fromStatus: TimerStatus): Promise<boolean> {
    return (
      this.run(
        `UPDATE timers SET due_at = ?, run_at = ?, status = ?, attempts = ?, last_error = ?, fired_at = ?
         WHERE case_id = ? AND timer_id = ? AND status = ?`,
        t.dueAt, t.runAt, t.status, t.attempts, t.lastError, t.firedAt, t.caseId, t.timerId, fromStatus,
      ) === 1
    );
  }

  async listCaseTimers(caseId: string): Promise<TimerRecord[]> {
    return this.all('SELECT * FROM timers WHERE case_id = ? ORDER BY due_at, timer_id', caseId).map(toTimer);
  }

  async countDueTimers(now: IsoTime): Promise<number> {
    return num(this.get("SELECT COUNT(*) AS n FROM timers WHERE status = 'scheduled' AND run_at <= ?", now)?.n ?? 0);
  }

  // Audit
  async appendAudit(stream: string, entries: NewAuditEntry[]): Promise<AuditEntryRecord[]> {
    if (entries.length === 0) return [];
    const head = await this.auditHead(stream);
    let seq = head?.seq ?? 0;
    let prev = head?.hash ?? GENESIS_HASH;
    const out: AuditEntryRecord[] = [];
    const params: unknown[] = [];
    for (const e of entries) {
      seq += 1;
      // The row keeps the entry as the engine ordered it (both stores answer byte for byte the
      // same); the hash covers its canonical form, built once without an envelope object.
      const hash = auditHashOfText(prev, stream, seq, e.at, e.actor, canonicalJson(e.entry));
      params.push(stream, seq, e.at, e.actor, json(e.entry), prev, hash);
      out.push({ stream, seq, at: e.at, actor: e.actor, entry: e.entry, prevHash: prev, hash });
      prev = hash;
    }
    // A step appends several entries (five for a case start): one multi-row INSERT per chunk.
    for (let at = 0; at < out.length; at += AUDIT_ROWS_PER_INSERT) {
      const rows = Math.min(AUDIT_ROWS_PER_INSERT, out.length - at);
      this.run(`INSERT INTO audit (stream, seq, at, actor, entry, prev_hash, hash) VALUES ${AUDIT_ROW.repeat(rows).slice(1)}`, ...params.slice(at * 7, (at + rows) * 7));
    }
    this.run(
      'INSERT INTO audit_heads (stream, seq, hash) VALUES (?, ?, ?) ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
      stream, seq, prev,
    );
    return out;
  }

  async listAudit(stream: string, afterSeq = 0, limit = 1_000_000): Promise<AuditEntryRecord[]> {
    return this.all('SELECT * FROM audit WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?', stream, afterSeq, limit).map(toAudit);
  }

  async auditHead(stream: string): Promise<AuditHead | undefined> {
    const r = this.get('SELECT * FROM audit_heads WHERE stream = ?', stream);
    return r && { stream: str(r.stream), seq: num(r.seq), hash: str(r.hash) };
  }

  // Outbox
  async insertOutbox(rows: OutboxRecord[]): Promise<void> {
    const insert = this.prepare(
      `INSERT INTO outbox (id, case_id, kind, payload, status, attempts, run_at, lease_owner, lease_until, last_error, created_at, done_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const o of rows) {
      insert.run(o.id, o.caseId, o.kind, json(o.payload), o.status, o.attempts, o.runAt, o.leaseOwner, o.leaseUntil, o.lastError, o.createdAt, o.doneAt);
    }
  }

  async claimOutbox(now: IsoTime, owner: string, leaseUntil: IsoTime, limit: number): Promise<OutboxRecord[]> {
    const rows = this.all(
      `SELECT * FROM outbox WHERE status = 'pending' AND run_at <= ? AND (lease_until IS NULL OR lease_until < ?)
       ORDER BY run_at, created_at, rowid LIMIT ?`,
      now, now, limit,
    );
    const update = this.prepare('UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?');
    return rows.map((r) => {
      update.run(owner, leaseUntil, r.id);
      return { ...toOutbox(r), leaseOwner: owner, leaseUntil, attempts: num(r.attempts) + 1 };
    });
  }

  async getOutbox(id: string): Promise<OutboxRecord | undefined> {
    const r = this.get('SELECT * FROM outbox WHERE id = ?', id);
    return r && toOutbox(r);
  }

  async updateOutbox(o: OutboxRecord, owner: string | null): Promise<boolean> {
    return (
      this.run(
        `UPDATE outbox SET status = ?, attempts = ?, run_at = ?, lease_owner = ?, lease_until = ?, last_error = ?, done_at = ?
         WHERE id = ? AND lease_owner IS ?`,
        o.status, o.attempts, o.runAt, o.leaseOwner, o.leaseUntil, o.lastError, o.doneAt, o.id, owner,
      ) === 1
    );
  }

  async listCaseOutbox(caseId: string): Promise<OutboxRecord[]> {
    return this.all('SELECT * FROM outbox WHERE case_id = ? ORDER BY created_at, rowid', caseId).map(toOutbox);
  }

  async countPendingOutbox(): Promise<number> {
    return num(this.get("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")?.n ?? 0);
  }

  // Idempotency
  async getIdempotency(caller: string, key: string): Promise<IdempotencyRecord | undefined> {
    const r = this.get('SELECT * FROM idempotency WHERE caller = ? AND key = ?', caller, key);
    return (
      r && {
        caller: str(r.caller),
        key: str(r.key),
        requestHash: str(r.request_hash),
        status: num(r.status),
        body: parse(r.body),
        createdAt: str(r.created_at),
      }
    );
  }

  async putIdempotency(rec: IdempotencyRecord): Promise<void> {
    try {
      this.run(
        'INSERT INTO idempotency (caller, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        rec.caller, rec.key, rec.requestHash, rec.status, json(rec.body), rec.createdAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreConflictError('idempotency.exists', { key: rec.key });
      throw e;
    }
  }

  async purgeIdempotency(before: IsoTime): Promise<number> {
    return this.run('DELETE FROM idempotency WHERE created_at < ?', before);
  }

  // Lists
  private listSql = `SELECT l.*, (SELECT COUNT(*) FROM list_entries e WHERE e.list_name = l.name) AS size FROM lists l`;

  async listLists(): Promise<ListRecord[]> {
    return this.all(`${this.listSql} ORDER BY l.name`).map(toList);
  }

  async getList(name: string): Promise<ListRecord | undefined> {
    const r = this.get(`${this.listSql} WHERE l.name = ?`, name);
    return r && toList(r);
  }

  async getListEntries(name: string): Promise<ListEntry[]> {
    return this.all('SELECT * FROM list_entries WHERE list_name = ? ORDER BY value', name).map((r) => ({
      value: str(r.value),
      note: strOrNull(r.note),
      addedBy: str(r.added_by),
      addedAt: str(r.added_at),
    }));
  }

  private bumpGeneration(): void {
    this.run(
      "INSERT INTO meta (name, value) VALUES ('lists.generation', '1') ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
    );
  }

  private insertEntries(name: string, entries: ListEntry[]): void {
    const insert = this.prepare(
      `INSERT INTO list_entries (list_name, value, note, added_by, added_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (list_name, value) DO UPDATE SET note = excluded.note`,
    );
    for (const e of entries) insert.run(name, e.value, e.note, e.addedBy, e.addedAt);
  }

  async putList(list: Omit<ListRecord, 'revision' | 'size'>, entries: ListEntry[]): Promise<ListRecord> {
    this.run(
      `INSERT INTO lists (name, kind, description, revision, updated_by, updated_at) VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, description = excluded.description, revision = revision + 1,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      list.name, list.kind, list.description, list.updatedBy, list.updatedAt,
    );
    this.run('DELETE FROM list_entries WHERE list_name = ?', list.name);
    this.insertEntries(list.name, entries);
    this.bumpGeneration();
    return (await this.getList(list.name)) as ListRecord;
  }

  private touchList(name: string, actor: string, at: IsoTime): void {
    if (this.run('UPDATE lists SET revision = revision + 1, updated_by = ?, updated_at = ? WHERE name = ?', actor, at, name) === 0) {
      throw new StoreConflictError('list.missing', { name });
    }
    this.bumpGeneration();
  }

  async addListEntries(name: string, entries: ListEntry[], actor: string, at: IsoTime): Promise<ListRecord> {
    this.touchList(name, actor, at);
    this.insertEntries(name, entries);
    return (await this.getList(name)) as ListRecord;
  }

  async removeListEntries(name: string, values: string[], actor: string, at: IsoTime): Promise<ListRecord> {
    this.touchList(name, actor, at);
    const del = this.prepare('DELETE FROM list_entries WHERE list_name = ? AND value = ?');
    for (const v of values) del.run(name, v);
    return (await this.getList(name)) as ListRecord;
  }

  async listsGeneration(): Promise<number> {
    const r = this.get("SELECT value FROM meta WHERE name = 'lists.generation'");
    return r ? num(r.value) : 0;
  }

  async allListValues(): Promise<{ name: string; value: string }[]> {
    return this.all('SELECT list_name, value FROM list_entries').map((r) => ({ name: str(r.list_name), value: str(r.value) }));
  }

  // Process-health projection
  async getCaseFacts(caseId: string): Promise<CaseFactsRecord | undefined> {
    const r = this.get('SELECT * FROM case_facts WHERE case_id = ?', caseId);
    return r && toCaseFacts(r);
  }

  async putCaseFacts(f: CaseFactsRecord, expectedSeq?: number | null): Promise<boolean> {
    const stp = f.stp === null ? null : f.stp ? 1 : 0;
    if (expectedSeq === undefined) {
      this.run(
        `INSERT INTO case_facts (case_id, flow_key, version, status, outcome, started_at, ended_at, cycle_ms, cycle_working_ms, stp, rework, incidents,
           case_sla, dims, facts, seq, updated_at, open_work)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (case_id) DO UPDATE SET flow_key = excluded.flow_key, version = excluded.version, status = excluded.status,
           outcome = excluded.outcome, started_at = excluded.started_at, ended_at = excluded.ended_at, cycle_ms = excluded.cycle_ms,
           cycle_working_ms = excluded.cycle_working_ms, stp = excluded.stp, rework = excluded.rework, incidents = excluded.incidents,
           case_sla = excluded.case_sla, dims = excluded.dims, facts = excluded.facts, seq = excluded.seq, updated_at = excluded.updated_at,
           open_work = excluded.open_work`,
        f.caseId, f.flowKey, f.version, f.status, f.outcome, f.startedAt, f.endedAt, f.cycleMs, f.cycleWorkingMs, stp,
        f.rework, f.incidents, f.caseSla, json(f.dims), json(f.facts), f.seq, f.updatedAt, openWorkColumn(f.facts),
      );
      return true;
    }
    if (expectedSeq === null) {
      return (
        this.run(
          `INSERT INTO case_facts (case_id, flow_key, version, status, outcome, started_at, ended_at, cycle_ms, cycle_working_ms, stp, rework, incidents,
             case_sla, dims, facts, seq, updated_at, open_work)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO NOTHING`,
          f.caseId, f.flowKey, f.version, f.status, f.outcome, f.startedAt, f.endedAt, f.cycleMs, f.cycleWorkingMs, stp,
          f.rework, f.incidents, f.caseSla, json(f.dims), json(f.facts), f.seq, f.updatedAt, openWorkColumn(f.facts),
        ) === 1
      );
    }
    if (f.endedAt === null) {
      // Most steps leave the case open: not naming ended_at spares its index a rewrite per step.
      return (
        this.run(
          'UPDATE case_facts SET status = ?, rework = ?, incidents = ?, case_sla = ?, facts = ?, seq = ?, updated_at = ?, open_work = ? WHERE case_id = ? AND seq = ?',
          f.status, f.rework, f.incidents, f.caseSla, json(f.facts), f.seq, f.updatedAt, openWorkColumn(f.facts), f.caseId, expectedSeq,
        ) === 1
      );
    }
    return (
      this.run(
        `UPDATE case_facts SET status = ?, outcome = ?, ended_at = ?, cycle_ms = ?, cycle_working_ms = ?, stp = ?, rework = ?, incidents = ?,
           case_sla = ?, facts = ?, seq = ?, updated_at = ?, open_work = ? WHERE case_id = ? AND seq = ?`,
        f.status, f.outcome, f.endedAt, f.cycleMs, f.cycleWorkingMs, stp, f.rework, f.incidents, f.caseSla, json(f.facts), f.seq, f.updatedAt,
        openWorkColumn(f.facts), f.caseId, expectedSeq,
      ) === 1
    );
  }

  async listCaseFacts(q: CaseFactsQuery): Promise<CaseFactsRecord[]> {
    const w = factsWhere(q);
    if (!w) return [];
    return this.all(`SELECT * FROM case_facts WHERE ${w.where} ORDER BY started_at, case_id`, ...w.params).map(toCaseFacts);
  }

  async openWork(q: OpenWorkQuery): Promise<OpenWorkSummary> {
    const summary: OpenWorkSummary = { starts: [], tasks: [], work: [], openNow: [] };
    const w = factsWhere({ flowKey: q.flowKey, startedBefore: q.at, ...(q.versions ? { versions: q.versions } : {}), ...(q.dims ? { dims: q.dims } : {}) });
    if (!w) return summary;
    const atMs = Date.parse(q.at);
    // Each list of times comes back as one JSON array of numbers: no object per case or task.
    // Open cases, from the index of open cases alone (case_facts_open); those that ended at or after the moment.
    const addStarts = (open: boolean, rows: [number, string][]) => {
      for (const [version, list] of rows) summary.starts.push({ version, open, startedMs: JSON.parse(list) as number[] });
    };
    addStarts(true, this.prepare(`SELECT version, '[' || group_concat(${MS('started_at')}) || ']' FROM case_facts INDEXED BY case_facts_open WHERE ${w.where} AND ended_at IS NULL GROUP BY version`).raw().all(...w.params) as [number, string][]);
    addStarts(false, this.prepare(`SELECT version, '[' || group_concat(${MS('started_at')}) || ']' FROM case_facts WHERE ${w.where} AND ended_at >= ? GROUP BY version`).raw().all(...w.params, q.at) as [number, string][]);
    const open = `FROM case_facts INDEXED BY case_facts_open, json_each(open_work, ?) j WHERE ${w.where} AND ended_at IS NULL AND open_work IS NOT NULL`;
    for (const [version, queue, claimed, list, oldest] of this.prepare(
      `SELECT version, j.value ->> 0, j.value ->> 2 IS NOT NULL, '[' || group_concat(j.value ->> 1) || ']', min(j.value ->> 1) ${open} AND j.value ->> 1 <= ? GROUP BY 1, 2, 3`,
    )
      .raw()
      .all('$[0]', ...w.params, atMs) as [number, string, number, string, number][]) {
      summary.tasks.push({ version, queue, claimed: claimed === 1, openedMs: JSON.parse(list) as number[], oldest: new Date(oldest).toISOString() });
    }
    const period: unknown[] = [];
    let inPeriod = '';
    if (q.work.from !== undefined) {
      inPeriod += ' AND j.value ->> 1 >= ?';
      period.push(Date.parse(q.work.from));
    }
    if (q.work.to !== undefined) {
      inPeriod += ' AND j.value ->> 1 < ?';
      period.push(Date.parse(q.work.to));
    }
    for (const [version, actor, day, tasks] of this.prepare(`SELECT version, j.value ->> 0, date(j.value ->> 1 / 1000.0, 'unixepoch', ?), count(*) ${open}${inPeriod} GROUP BY 1, 2, 3`)
      .raw()
      .all(offsetOf(q.work.utcOffset).text, '$[1]', ...w.params, ...period) as [number, string, string, number][]) {
      summary.work.push({ version, actor, day, tasks });
    }
    const any = factsWhere({ flowKey: q.flowKey, ...(q.versions ? { versions: q.versions } : {}), ...(q.dims ? { dims: q.dims } : {}) }) as { where: string; params: unknown[] };
    for (const [version, cases] of this.prepare(`SELECT version, count(*) FROM case_facts INDEXED BY case_facts_open WHERE ${any.where} AND ended_at IS NULL GROUP BY version`)
      .raw()
      .all(...any.params) as [number, number][]) {
      summary.openNow.push({ version, cases });
    }
    // Open cases whose rows have no open_work column: from their facts.
    const bare = this.prepare(`SELECT version, facts FROM case_facts INDEXED BY case_facts_open WHERE ${w.where} AND ended_at IS NULL AND open_work IS NULL`).raw().all(...w.params) as [number, string][];
    if (bare.length > 0) addFromFacts(summary, bare.map(([version, facts]) => ({ version, facts: JSON.parse(facts) as CaseFacts })), q);
    return summary;
  }

  async listCasesBehindFacts(flowKey: string, limit: number): Promise<string[]> {
    return this.all(
      `SELECT c.id FROM cases c
       LEFT JOIN case_facts f ON f.case_id = c.id
       LEFT JOIN audit_heads h ON h.stream = 'case:' || c.id
       WHERE c.flow_key = ? AND (f.case_id IS NULL OR f.seq < COALESCE(h.seq, 0))
       ORDER BY c.created_at, c.id LIMIT ?`,
      flowKey, limit,
    ).map((r) => str(r.id));
  }

  async factsCaughtUp(flowKey: string): Promise<boolean> {
    return this.get('SELECT 1 AS x FROM health_caught_up WHERE flow_key = ?', flowKey) !== undefined;
  }

  async markFactsCaughtUp(flowKey: string, at: IsoTime): Promise<void> {
    this.run('INSERT INTO health_caught_up (flow_key, at) VALUES (?, ?) ON CONFLICT (flow_key) DO UPDATE SET at = excluded.at', flowKey, at);
  }

  async clearFactsCaughtUp(): Promise<void> {
    this.run('DELETE FROM health_caught_up');
  }

  async caseEntriesAfter(position: number, limit: number): Promise<{ entries: AuditEntryRecord[]; position: number }> {
    // The rowid is the commit order: one writer at a time, and journal rows are never deleted. The
    // read is a range of the table itself (`+stream` keeps SQLite from sorting the stream index).
    const rows = this.all(
      "SELECT rowid AS position, stream, seq, at, actor, entry, prev_hash, hash FROM audit WHERE rowid > ? AND +stream >= 'case:' AND +stream < 'case;' ORDER BY rowid LIMIT ?",
      position, limit,
    );
    const last = rows[rows.length - 1];
    return { entries: rows.map(toAudit), position: last ? num(last.position) : position };
  }

  async factsPosition(): Promise<number> {
    const r = this.get("SELECT value FROM meta WHERE name = 'facts.position'");
    return r ? num(r.value) : 0;
  }

  async setFactsPosition(position: number): Promise<void> {
    this.run("INSERT INTO meta (name, value) VALUES ('facts.position', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", String(position));
  }

  async takeUndigestedCaseFacts(limit: number): Promise<UndigestedCaseFacts[]> {
    // The WHERE is the partial index's (case_facts_undigested_any), word for word, so SQLite uses it.
    return this.all('SELECT * FROM case_facts WHERE ended_at IS NOT NULL AND (digested = 0 OR start_digested = 0) ORDER BY case_id LIMIT ?', limit).map((r) => ({ ...toCaseFacts(r), missingFrom: missingFrom(!num(r.digested), !num(r.start_digested)) }));
  }

  async markCaseFactsDigested(caseIds: string[]): Promise<void> {
    const mark = this.prepare('UPDATE case_facts SET digested = 1, start_digested = 1 WHERE case_id = ?');
    for (const id of caseIds) mark.run(id);
  }

  async lockHealthDigest(k: HealthDigestKey): Promise<HealthDigestRecord> {
    // One writer at a time: reading is locking enough.
    const r = this.get(`SELECT * FROM ${digestTable(k.basis)} WHERE flow_key = ? AND version = ? AND dim = ? AND value = ? AND day = ?`, k.flowKey, k.version, k.dim, k.value, k.day);
    return r ? toDigest(r, k.basis) : { ...k, cases: 0, digest: null };
  }

  async putHealthDigest(d: HealthDigestRecord): Promise<void> {
    this.run(
      `INSERT INTO ${digestTable(d.basis)} (flow_key, version, dim, value, day, cases, digest) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (flow_key, version, dim, value, day) DO UPDATE SET cases = excluded.cases, digest = excluded.digest`,
      d.flowKey, d.version, d.dim, d.value, d.day, d.cases, json(d.digest),
    );
  }

  async listHealthDigests(q: HealthDigestQuery): Promise<HealthDigestRecord[]> {
    // A row locked but never written (cases 0) holds no digest.
    const where = ['flow_key = ?', 'dim = ?', 'cases > 0'];
    const params: unknown[] = [q.flowKey, q.dim];
    const inList = (col: string, values: readonly unknown[] | undefined): void => {
      if (!values) return;
      where.push(values.length ? `${col} IN (${values.map(() => '?').join(',')})` : '0');
      params.push(...values);
    };
    inList('version', q.versions);
    inList('value', q.values);
    if (q.fromDay !== undefined) {
      where.push('day >= ?');
      params.push(q.fromDay);
    }
    if (q.toDay !== undefined) {
      where.push('day < ?');
      params.push(q.toDay);
    }
    const basis = q.basis ?? 'ended';
    return this.all(`SELECT * FROM ${digestTable(basis)} WHERE ${where.join(' AND ')} ORDER BY version, value, day`, ...params).map((r) => toDigest(r, basis));
  }

  // Calendars
  async listCalendars(): Promise<CalendarRecord[]> {
    return this.all('SELECT * FROM calendars ORDER BY id').map(toCalendar);
  }

  async getCalendar(id: string): Promise<CalendarRecord | undefined> {
    const r = this.get('SELECT * FROM calendars WHERE id = ?', id);
    return r && toCalendar(r);
  }

  async putCalendar(id: string, calendar: Record<string, unknown>, expectedRevision: number, actor: string, at: IsoTime): Promise<CalendarRecord> {
    const current = await this.getCalendar(id);
    if ((current?.revision ?? 0) !== expectedRevision) {
      throw new StoreConflictError('calendar.revision.stale', { revision: current?.revision ?? 0 });
    }
    this.run(
      `INSERT INTO calendars (id, calendar, revision, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET calendar = excluded.calendar, revision = excluded.revision,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      id, json(calendar), expectedRevision + 1, actor, at,
    );
    return (await this.getCalendar(id)) as CalendarRecord;
  }
}

const TX_METHODS = Object.getOwnPropertyNames(SqliteOps.prototype).filter(
  (n) => n !== 'constructor' && !['prepare', 'query', 'get', 'all', 'run', 'waitsOf', 'writeWaits', 'countTaskChange', 'bumpGeneration', 'insertEntries', 'touchList'].includes(n),
) as (keyof StoreTx)[];

/**
 * The SQLite store. `db` is the raw connection, for maintenance tools and tamper tests;
 * `groupCommit` counts batches and `checkpoints` what the WAL checkpointer did (null when it is off).
 */
export type SqliteStore = Store & {
  readonly db: Database.Database;
  /** `full`: every write acknowledged to a caller has been fsynced; `normal`: the last ones may be lost on power loss. */
  readonly synchronous: 'full' | 'normal';
  readonly groupCommit: Readonly<GroupCommitStats>;
  readonly checkpoints: Readonly<CheckpointStats> | null;
};

function createSqliteStore(db: Database.Database, options: SqliteStoreOptions, checkpointed: boolean): SqliteStore {
  const ops = new SqliteOps(db);
  const inTransaction = new AsyncLocalStorage<true>();
  const walSync = syncsAfterCommit(db, options) ? walSyncer(`${db.name}-wal`) : undefined;
  const committer = new GroupCommitter(db, { ...options.groupCommit, ...(walSync ? { sync: { later: walSync.sync, now: walSync.syncNow } } : {}) });
  const checkpointer = checkpointed
    ? new Checkpointer(
        db.name,
        options.synchronous === 'normal' ? 'NORMAL' : 'FULL',
        () => committer.solo(async () => (db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0] ?? { busy: 0, log: 0, checkpointed: 0 }),
        options.checkpoint,
      )
    : null;
  let closed = false;

  const refusal = (): StoreMisuseError | undefined => {
    if (inTransaction.getStore()) return new StoreMisuseError('store method called inside store.transaction(); use the tx argument');
    if (closed) return new StoreMisuseError('store is closed');
    return undefined;
  };

  /** Runs `fn` alone on the connection, outside any transaction, in order of arrival. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const refused = refusal();
    return refused ? Promise.reject(refused) : committer.solo(() => inTransaction.run(true, fn));
  };

  /**
   * The `tx` a transaction body gets: each store method, refused once the transaction has ended.
   * The methods are built once per store on a prototype, so a transaction costs one object rather
   * than a proxy and a new closure per call.
   */
  class TxHandle {
    open = true;
  }
  for (const name of TX_METHODS) {
    const method = ops[name] as (...a: unknown[]) => unknown;
    Object.defineProperty(TxHandle.prototype, name, {
      value: function (this: TxHandle, ...args: unknown[]): unknown {
        if (!this.open) throw new StoreMisuseError(`tx.${name} called after its transaction ended`);
        // SQLite rolls a transaction back by itself on some errors (I/O, full disk); writing on
        // would autocommit each statement, outside the step's transaction.
        if (!db.inTransaction) throw new StoreMisuseError(`tx.${name} called after SQLite rolled its transaction back`);
        return method.apply(ops, args);
      },
    });
  }

  const transaction = <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
    const refused = refusal();
    if (refused) return Promise.reject(refused);
    return committer.transaction(() => {
      const tx = new TxHandle();
      return inTransaction.run(true, async () => {
        try {
          return await fn(tx as unknown as StoreTx);
        } finally {
          tx.open = false;
        }
      });
    });
  };

  const methods = Object.fromEntries(
    TX_METHODS.map((name) => {
      const method = (ops[name] as (...a: unknown[]) => Promise<unknown>).bind(ops);
      return [name, (...args: unknown[]) => transaction(() => method(...args))];
    }),
  ) as unknown as StoreTx;

  return {
    ...methods,
    kind: 'sqlite',
    db,
    synchronous: options.synchronous === 'normal' ? 'normal' : 'full',
    groupCommit: committer.stats,
    checkpoints: checkpointer?.stats ?? null,
    transaction,
    async ping() {
      await exclusive(async () => db.prepare('SELECT 1').get());
    },
    async close() {
      const refused = refusal();
      if (refused) throw refused;
      await checkpointer?.close();
      // Closing the last connection checkpoints what is left and removes the WAL.
      await exclusive(async () => {
        closed = true;
        db.close();
        walSync?.close();
      });
    },
  };
}

/** Opens (creating if needed) the store at `path` and brings its schema up to date. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // `full` promises that every acknowledged write is on disk. On a file, the store keeps that promise
  // itself — an fdatasync of the WAL after each batch's COMMIT, off the event loop — so SQLite need
  // not sync inside COMMIT: in WAL mode that in-COMMIT sync is the only difference between FULL and
  // NORMAL (checkpoints sync either way).
  db.pragma(`synchronous = ${options.synchronous === 'normal' || syncsAfterCommit(db, options) ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Each transaction of a batch runs in a savepoint, whose undo journal would otherwise be a
  // temporary file written (and unlinked) for every batch.
  db.pragma('temp_store = MEMORY');
  const checkpointed = !db.memory && (options.checkpoint?.intervalMs ?? 1000) > 0;
  if (checkpointed) {
    // The checkpointer takes over from the checkpoint SQLite would run inside a COMMIT.
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${Math.floor(options.checkpoint?.walSizeLimitBytes ?? 64 * 1024 * 1024)}`);
  }
  migrate(db);
  return createSqliteStore(db, options, checkpointed);
}

/** True when the store, not SQLite's COMMIT, makes acknowledged writes durable. */
function syncsAfterCommit(db: Database.Database, options: SqliteStoreOptions): boolean {
  return options.synchronous !== 'normal' && !options.syncInCommit && !db.memory;
}

/** fdatasync of the WAL file: on the libuv thread pool (the event loop goes on meanwhile) or right away. */
function walSyncer(walPath: string): { sync: () => Promise<void>; syncNow: () => void; close: () => void } {
  let fd: number | null = null;
  const wal = (): number => {
    // SQLite keeps the WAL file while its connection is open; should it ever have been removed (and
    // a new one made), the file we hold has no name left, and syncing it would prove nothing.
    if (fd !== null && fstatSync(fd).nlink === 0) {
      closeSync(fd);
      fd = null;
    }
    fd ??= openSync(walPath, 'r+');
    return fd;
  };
  return {
    sync: async () => {
      const handle = wal();
      await new Promise<void>((resolve, reject) => fdatasync(handle, (e) => (e ? reject(e) : resolve())));
    },
    syncNow: () => fdatasyncSync(wal()),
    close: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function migrate(db: Database.Database): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > sqliteMigrations.length) {
    throw new Error(`database schema version ${current} is newer than this Flowpath (${sqliteMigrations.length}); upgrade Flowpath`);
  }
  for (let v = current; v < sqliteMigrations.length; v++) {
    db.transaction(() => {
      db.exec(sqliteMigrations[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
