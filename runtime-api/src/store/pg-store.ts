/**
 * The PostgreSQL store: several runtime processes (behind a load balancer) share one database.
 *
 * It answers exactly like the SQLite store (the conformance suite in tests/store runs both), and
 * adds what sharing needs:
 * - Transactions run on one pooled connection (BEGIN … COMMIT) at READ COMMITTED. Rows that
 *   several processes race for are guarded by what the interface already promises: optimistic
 *   row versions on cases and tasks, revisions on drafts, policies and calendars, conditional
 *   status changes on timers, and lease owners on outbox rows.
 * - Due timers are taken with `FOR NO KEY UPDATE … SKIP LOCKED` on the timer and its case, so two
 *   processes never fire the same timer, and a timer whose case another transaction is stepping
 *   is left for the next poll instead of queueing behind it.
 * - Outbox rows are leased with `FOR UPDATE SKIP LOCKED`; a lease that expires (its process died)
 *   is taken over by the next claim.
 * - A deadlock or serialization failure rolls back and reruns the transaction (a few times), as
 *   the runtime already reruns a transaction that lost an optimistic check; SQLite, one writer at
 *   a time, never shows either.
 * - Schema migrations run at start under an advisory lock, so processes starting together do not
 *   race; see pg-migrations.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Client, Pool, type PoolClient, type PoolConfig, type QueryResult } from 'pg';
import type { CaseFacts, DimValue, FlowVersion } from '@flowpath/engine';
import { auditHash, GENESIS_HASH } from './audit-chain';
import { addFromFacts, offsetOf, openWorkColumn } from './open-work';
import { pgMigrations } from './pg-migrations';
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

export interface PgStoreOptions {
  /** `postgres://user:password@host:port/database?...` (FLOWPATH_DATABASE_URL). */
  connectionString?: string;
  /** Further `pg` pool settings (host, user, ssl, timeouts…); `connectionString` wins where both say. */
  pool?: PoolConfig;
  /** Schema that holds Flowpath's tables (default `flowpath`); created on first start if missing. */
  schema?: string;
  /** Most connections this process opens (default 10, at least 2). */
  poolMax?: number;
  /** Shown in `pg_stat_activity` (default `flowpath <host> <pid>`). */
  applicationName?: string;
  /** Told about connection errors that happen between queries (the pool then drops that connection). */
  onError?: (e: Error) => void;
}

/** The PostgreSQL store. `pool` and `schema` are for maintenance tools and tamper tests. */
export type PgStore = Store & {
  readonly kind: 'postgres';
  readonly pool: Pool;
  /** The schema, already checked to be a plain identifier. */
  readonly schema: string;
  /** `"schema".table`, for raw SQL in tools and tests. */
  table(name: string): string;
  /**
   * Runs `fn` while holding a cluster-wide lock named `name` (a session advisory lock on its own
   * connection), e.g. so that only one of several processes starting at once loads the templates.
   * `fn` uses the store as usual.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
};

/** Default schema name. */
export const DEFAULT_PG_SCHEMA = 'flowpath';

/** First key of every Flowpath advisory lock ("FLOW"), so they do not collide with other applications'. */
const LOCK_CLASS = 0x464c4f57;

/** Sorts tasks without a due time after those with one (the same sentinel as the SQLite store). */
const NO_DUE = '9999-12-31T23:59:59.999Z';

/** Up to this many status × queue × branch ranges, a work list is read range by range (see listTasks). */
const MAX_WORK_LIST_SCANS = 120;

/** How often a transaction that hit a deadlock or serialization failure is run again. */
const MAX_TX_ATTEMPTS = 4;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

type Row = Record<string, unknown>;
type Exec = (text: string, values?: unknown[], prepared?: boolean) => Promise<QueryResult<Row>>;

/**
 * A condition on the `dims` column of the facts: the dimension takes one of the values, typed like
 * the facts (the string "3" is not the number 3, and true is not 1; null also matches no value).
 */
function dimCondition(path: string, values: readonly DimValue[], add: (v: unknown) => string): string {
  // No value matches nothing (and binds no parameter PostgreSQL would find unused).
  if (values.length === 0) return 'false';
  const field = add(path);
  const alternatives = values.map((v) => {
    if (v === null) return `(json_typeof(dims -> ${field}) IS NULL OR json_typeof(dims -> ${field}) = 'null')`;
    if (typeof v === 'boolean') return `(json_typeof(dims -> ${field}) = 'boolean' AND (dims ->> ${field}) = ${add(String(v))})`;
    if (typeof v === 'number') return `(json_typeof(dims -> ${field}) = 'number' AND (dims ->> ${field})::numeric = ${add(v)}::numeric)`;
    return `(json_typeof(dims -> ${field}) = 'string' AND (dims ->> ${field}) = ${add(v)})`;
  });
  return `(${alternatives.join(' OR ')})`;
}

/** An ISO instant text as epoch milliseconds (a whole number, exactly). */
const PG_MS = (expr: string): string => `(extract(epoch from (${expr})::timestamptz) * 1000)::bigint`;

/** The WHERE clause of a case-facts query and its parameters; undefined when no row can match. */
function factsWhere(q: CaseFactsQuery): { where: string; values: unknown[] } | undefined {
  const where = ['flow_key = $1'];
  const values: unknown[] = [q.flowKey];
  const add = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  if (q.versions) {
    if (q.versions.length === 0) return undefined;
    where.push(`version = ANY(${add(q.versions)}::int[])`);
  }
  if (q.startedBefore !== undefined) where.push(`started_at < ${add(q.startedBefore)}`);
  if (q.endedFrom !== undefined) where.push(`(ended_at IS NULL OR ended_at >= ${add(q.endedFrom)})`);
  for (const [path, allowed] of Object.entries(q.dims ?? {})) where.push(dimCondition(path, allowed, add));
  return { where: where.join(' AND '), values };
}

function json(v: unknown): string {
  return JSON.stringify(v);
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

/** A `json` column as written: pg parses it already; this only gives it a type. */
function doc<T>(v: unknown): T {
  return v as T;
}

function sqlState(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

/** Deadlock detected, serialization failure: the transaction may simply be run again. */
function isTransient(e: unknown): boolean {
  const code = sqlState(e);
  return code === '40P01' || code === '40001';
}

/** Byte order, as SQLite and the "C" collation compare. */
function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const CASE_COLUMNS = `c.id, c.flow_key, c.version, c.status, c.state, c.customer_ref, c.branch, c.priority, c.breached, c.open_incidents,
  c.created_by, c.parent_case_id, c.parent_request_id, c.row_version, c.created_at, c.updated_at`;
const TASK_COLUMNS = `id, case_id, engine_task_id, token_id, node_id, flow_key, version, customer_ref, branch, channel, name, queue, roles, priority, form, due_at, warn_at,
  excluded_actors, status, assignee, completed_by, created_at, updated_at, closed_at, row_version`;
const TIMER_COLUMNS = 'case_id, timer_id, due_at, run_at, purpose, node_id, status, attempts, last_error, created_at, fired_at';
const OUTBOX_COLUMNS = 'id, case_id, kind, payload, status, attempts, run_at, lease_owner, lease_until, last_error, created_at, done_at';
const AUDIT_COLUMNS = 'stream, seq, at, actor, entry, prev_hash, hash';
const FLOW_COLUMNS = 'key, draft, draft_revision, owner, created_by, created_at, updated_by, updated_at';
const POLICY_COLUMNS = 'flow_key, default_version, pilots, split, revision, updated_by, updated_at';
const CALENDAR_COLUMNS = 'id, calendar, revision, updated_by, updated_at';
const FACTS_COLUMNS = `case_id, flow_key, version, status, outcome, started_at, ended_at, cycle_ms, cycle_working_ms, stp, rework, incidents,
  case_sla, dims, facts, seq, updated_at`;
/** The columns written with a whole row: the read ones and the open-work column. */
const FACTS_WRITE_COLUMNS = `${FACTS_COLUMNS}, open_work`;

function toCase(r: Row): CaseRecord {
  return {
    id: str(r.id),
    flowKey: str(r.flow_key),
    version: num(r.version),
    status: str(r.status) as CaseRecord['status'],
    state: doc(r.state),
    customerRef: strOrNull(r.customer_ref),
    branch: strOrNull(r.branch),
    priority: num(r.priority),
    breached: r.breached === true,
    openIncidents: num(r.open_incidents),
    waitingAt: (r.waits as string[] | null) ?? [],
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
    name: doc(r.name),
    queue: str(r.queue),
    roles: doc(r.roles),
    priority: num(r.priority),
    form: doc(r.form),
    dueAt: strOrNull(r.due_at),
    warnAt: strOrNull(r.warn_at),
    excludedActors: doc(r.excluded_actors),
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
    payload: doc(r.payload),
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
  const e = r.entry;
  return {
    stream: str(r.stream),
    seq: num(r.seq),
    at: str(r.at),
    actor: strOrNull(r.actor),
    entry: e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>) : null,
    prevHash: str(r.prev_hash),
    hash: str(r.hash),
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
    stp: r.stp === null ? null : r.stp === true,
    rework: num(r.rework),
    incidents: num(r.incidents),
    caseSla: strOrNull(r.case_sla),
    dims: doc(r.dims),
    facts: doc(r.facts),
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
    digest: doc(r.digest),
  };
}

function toFlow(r: Row): FlowRecord {
  return {
    key: str(r.key),
    draft: doc(r.draft),
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
    pilots: doc(r.pilots),
    split: r.split === null ? null : doc(r.split),
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
    calendar: doc(r.calendar),
    revision: num(r.revision),
    updatedBy: str(r.updated_by),
    updatedAt: str(r.updated_at),
  };
}

/** Qualified table names of one schema. */
function tablesOf(schema: string) {
  const q = (t: string): string => `"${schema}".${t}`;
  return {
    meta: q('meta'),
    flows: q('flows'),
    versions: q('flow_versions'),
    policies: q('release_policies'),
    cases: q('cases'),
    waits: q('case_waits'),
    tasks: q('tasks'),
    timers: q('timers'),
    audit: q('audit'),
    heads: q('audit_heads'),
    outbox: q('outbox'),
    idempotency: q('idempotency'),
    lists: q('lists'),
    entries: q('list_entries'),
    calendars: q('calendars'),
    facts: q('case_facts'),
    digests: q('health_digests'),
    startDigests: q('health_start_digests'),
    caughtUp: q('health_caught_up'),
    queueChanges: q('task_queue_changes'),
  };
}

type Tables = ReturnType<typeof tablesOf>;

/** The operations, on whatever `exec` runs them on (one transaction's connection, or the pool). */
class PgOps implements StoreTx {
  private readonly caseSelect: string;
  private readonly listSelect: string;

  constructor(
    private readonly exec: Exec,
    private readonly t: Tables,
  ) {
    this.caseSelect = `SELECT ${CASE_COLUMNS},
      ARRAY(SELECT w.node_id FROM ${t.waits} w WHERE w.case_id = c.id ORDER BY w.node_id) AS waits
      FROM ${t.cases} c`;
    this.listSelect = `SELECT l.name, l.kind, l.description, l.revision, l.updated_by, l.updated_at,
      (SELECT COUNT(*)::int FROM ${t.entries} e WHERE e.list_name = l.name) AS size FROM ${t.lists} l`;
  }

  private async one(text: string, values: unknown[]): Promise<Row | undefined> {
    return (await this.exec(text, values)).rows[0];
  }

  private async all(text: string, values: unknown[], prepared = true): Promise<Row[]> {
    return (await this.exec(text, values, prepared)).rows;
  }

  private async run(text: string, values: unknown[]): Promise<number> {
    return (await this.exec(text, values)).rowCount ?? 0;
  }

  // Flows
  async getFlow(key: string): Promise<FlowRecord | undefined> {
    const r = await this.one(`SELECT ${FLOW_COLUMNS} FROM ${this.t.flows} WHERE key = $1`, [key]);
    return r && toFlow(r);
  }

  async listFlows(): Promise<FlowSummary[]> {
    const { t } = this;
    const rows = await this.all(
      // The whole draft, not draft -> 'name': PostgreSQL's JSON operators refuse any document
      // holding a \u0000 escape, which the json column (like SQLite) keeps.
      `SELECT f.key, f.draft, f.owner, f.draft_revision, f.updated_at, f.updated_by,
        (SELECT MAX(version) FROM ${t.versions} v WHERE v.flow_key = f.key) AS latest,
        (SELECT default_version FROM ${t.policies} p WHERE p.flow_key = f.key) AS default_version
      FROM ${t.flows} f ORDER BY f.key`,
      [],
    );
    return rows.map((r) => ({
      key: str(r.key),
      name: doc<Record<string, unknown>>(r.draft).name ?? null,
      owner: strOrNull(r.owner),
      draftRevision: num(r.draft_revision),
      latestVersion: r.latest === null ? null : num(r.latest),
      defaultVersion: r.default_version === null ? null : num(r.default_version),
      updatedAt: str(r.updated_at),
      updatedBy: str(r.updated_by),
    }));
  }
  async listPublishedFlowKeys(): Promise<string[]> {
    const rows = await this.all(`SELECT DISTINCT flow_key FROM ${this.t.versions} ORDER BY flow_key`, []);
    return rows.map((r) => str(r.flow_key));
  }


  async insertFlow(f: FlowRecord): Promise<void> {
    // ON CONFLICT instead of catching the unique violation: an error would abort the whole transaction.
    const n = await this.run(
      `INSERT INTO ${this.t.flows} (${FLOW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING`,
      [f.key, json(f.draft), f.draftRevision, f.owner, f.createdBy, f.createdAt, f.updatedBy, f.updatedAt],
    );
    if (n === 0) throw new StoreConflictError('flow.exists', { key: f.key });
  }

  async saveDraft(key: string, expectedRevision: number, draft: Record<string, unknown>, actor: string, at: IsoTime): Promise<FlowRecord> {
    const r = await this.one(
      `UPDATE ${this.t.flows} SET draft = $1, draft_revision = draft_revision + 1, updated_by = $2, updated_at = $3
       WHERE key = $4 AND draft_revision = $5 RETURNING ${FLOW_COLUMNS}`,
      [json(draft), actor, at, key, expectedRevision],
    );
    if (r) return toFlow(r);
    const now = await this.getFlow(key);
    if (!now) throw new StoreConflictError('flow.missing', { key });
    throw new StoreConflictError('draft.revision.stale', { revision: now.draftRevision });
  }

  async insertVersion(v: FlowVersion): Promise<void> {
    const n = await this.run(
      `INSERT INTO ${this.t.versions} (flow_key, version, definition, hash, author, published_by, published_at, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (flow_key, version) DO NOTHING`,
      [v.key, v.version, json(v.definition), v.hash, v.author ?? null, v.publishedBy ?? null, v.publishedAt, v.note ?? null],
    );
    if (n === 0) throw new StoreConflictError('version.exists', { version: v.version });
  }

  async getVersion(key: string, version: number): Promise<FlowVersion | undefined> {
    const r = await this.one(
      `SELECT flow_key, version, definition, hash, author, published_by, published_at, note FROM ${this.t.versions} WHERE flow_key = $1 AND version = $2`,
      [key, version],
    );
    return r && { ...toVersionMeta(r), definition: doc(r.definition) };
  }

  async listVersions(key: string): Promise<FlowVersionMeta[]> {
    const rows = await this.all(
      `SELECT flow_key, version, hash, author, published_by, published_at, note FROM ${this.t.versions} WHERE flow_key = $1 ORDER BY version`,
      [key],
    );
    return rows.map(toVersionMeta);
  }

  async latestVersion(key: string): Promise<number> {
    const r = await this.one(`SELECT MAX(version) AS v FROM ${this.t.versions} WHERE flow_key = $1`, [key]);
    return r && r.v !== null ? num(r.v) : 0;
  }

  async getReleasePolicy(key: string): Promise<ReleasePolicy | undefined> {
    const r = await this.one(`SELECT ${POLICY_COLUMNS} FROM ${this.t.policies} WHERE flow_key = $1`, [key]);
    return r && toPolicy(r);
  }

  async putReleasePolicy(p: ReleasePolicy, expectedRevision: number): Promise<ReleasePolicy> {
    // One conditional statement, so two processes saving on the same revision cannot both win.
    const revision = expectedRevision + 1;
    const values = [p.flowKey, p.defaultVersion, json(p.pilots), p.split === null ? null : json(p.split), revision, p.updatedBy, p.updatedAt];
    const n =
      expectedRevision === 0
        ? await this.run(`INSERT INTO ${this.t.policies} (${POLICY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (flow_key) DO NOTHING`, values)
        : await this.run(
            `UPDATE ${this.t.policies} SET default_version = $2, pilots = $3, split = $4, revision = $5, updated_by = $6, updated_at = $7
             WHERE flow_key = $1 AND revision = $8`,
            [...values, expectedRevision],
          );
    if (n === 0) {
      const current = await this.getReleasePolicy(p.flowKey);
      throw new StoreConflictError('release-policy.revision.stale', { revision: current?.revision ?? 0 });
    }
    return { ...p, revision };
  }

  // Cases
  async insertCase(c: CaseRecord): Promise<void> {
    const { t } = this;
    const r = await this.one(
      `WITH c AS (
         INSERT INTO ${t.cases} (id, flow_key, version, status, state, customer_ref, branch, priority, breached, open_incidents,
           created_by, parent_case_id, parent_request_id, row_version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING RETURNING id),
       w AS (INSERT INTO ${t.waits} (case_id, node_id) SELECT c.id, n FROM c, unnest($17::text[]) AS n)
       SELECT COUNT(*)::int AS n FROM c`,
      [
        c.id, c.flowKey, c.version, c.status, json(c.state), c.customerRef, c.branch, c.priority, c.breached, c.openIncidents,
        c.createdBy, c.parentCaseId, c.parentRequestId, c.rowVersion, c.createdAt, c.updatedAt, [...new Set(c.waitingAt)],
      ],
    );
    if (num(r?.n) === 0) throw new StoreConflictError('case.exists', { id: c.id });
  }

  async getCase(id: string): Promise<CaseRecord | undefined> {
    const r = await this.one(`${this.caseSelect} WHERE c.id = $1`, [id]);
    return r && toCase(r);
  }

  async updateCase(c: CaseRecord): Promise<CaseRecord> {
    const { t } = this;
    // The version check, the case and its wait rows in one statement (one round trip per step).
    // The delete and the insert touch different rows, as data-modifying CTEs must.
    const r = await this.one(
      `WITH u AS (
         UPDATE ${t.cases} SET status = $1, state = $2, customer_ref = $3, branch = $4, priority = $5, breached = $6, open_incidents = $7,
           row_version = row_version + 1, updated_at = $8 WHERE id = $9 AND row_version = $10 RETURNING id),
       d AS (DELETE FROM ${t.waits} w USING u WHERE w.case_id = u.id AND w.node_id <> ALL($11::text[])),
       i AS (INSERT INTO ${t.waits} (case_id, node_id) SELECT u.id, n FROM u, unnest($11::text[]) AS n ON CONFLICT DO NOTHING)
       SELECT COUNT(*)::int AS n FROM u`,
      [c.status, json(c.state), c.customerRef, c.branch, c.priority, c.breached, c.openIncidents, c.updatedAt, c.id, c.rowVersion, [...new Set(c.waitingAt)]],
    );
    if (num(r?.n) === 0) throw new StoreConflictError('case.changed', { id: c.id });
    return { ...c, rowVersion: c.rowVersion + 1 };
  }

  async findChildCase(parentCaseId: string, parentRequestId: string): Promise<CaseRecord | undefined> {
    const r = await this.one(`${this.caseSelect} WHERE c.parent_case_id = $1 AND c.parent_request_id = $2 LIMIT 1`, [parentCaseId, parentRequestId]);
    return r && toCase(r);
  }

  async listCases(f: CaseFilter, limit: number, after?: CaseCursor): Promise<CaseRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const p = (v: unknown): string => {
      values.push(v);
      return `$${values.length}`;
    };
    const eq = (col: string, v: unknown): void => {
      where.push(`c.${col} = ${p(v)}`);
    };
    if (f.flowKey !== undefined) eq('flow_key', f.flowKey);
    if (f.version !== undefined) eq('version', f.version);
    if (f.status !== undefined) eq('status', f.status);
    if (f.customerRef !== undefined) eq('customer_ref', f.customerRef);
    if (f.branch !== undefined) eq('branch', f.branch);
    if (f.createdBy !== undefined) eq('created_by', f.createdBy);
    if (f.breached !== undefined) eq('breached', f.breached);
    if (f.hasIncident !== undefined) where.push(f.hasIncident ? 'c.open_incidents > 0' : 'c.open_incidents = 0');
    if (f.startedFrom !== undefined) where.push(`c.created_at >= ${p(f.startedFrom)}`);
    if (f.startedTo !== undefined) where.push(`c.created_at < ${p(f.startedTo)}`);
    if (f.waitingAt !== undefined) where.push(`EXISTS (SELECT 1 FROM ${this.t.waits} w WHERE w.case_id = c.id AND w.node_id = ${p(f.waitingAt)})`);
    if (after) {
      const at = p(after.createdAt);
      where.push(`(c.created_at < ${at} OR (c.created_at = ${at} AND c.id < ${p(after.id)}))`);
    }
    const sql = `${this.caseSelect} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(limit)}`;
    return (await this.all(sql, values, false)).map(toCase);
  }

  // Tasks
  async insertTask(t: TaskRecord): Promise<void> {
    await this.run(
      `INSERT INTO ${this.t.tasks} (id, case_id, engine_task_id, token_id, node_id, flow_key, version, customer_ref, branch, channel, name, queue,
         roles, priority, form, due_at, warn_at, sort_due, excluded_actors, status, assignee, completed_by, created_at, updated_at, closed_at, row_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
      [
        t.id, t.caseId, t.engineTaskId, t.tokenId, t.nodeId, t.flowKey, t.version, t.customerRef, t.branch, t.channel, json(t.name), t.queue,
        json(t.roles), t.priority, json(t.form), t.dueAt, t.warnAt, t.dueAt ?? NO_DUE, json(t.excludedActors), t.status, t.assignee,
        t.completedBy, t.createdAt, t.updatedAt, t.closedAt, t.rowVersion,
      ],
    );
    this.countTaskChange(t.queue);
  }

  /** Queue change counts of this transaction, written just before it commits (see flushTaskChanges). */
  private readonly queueChanges = new Map<string, number>();

  private countTaskChange(queue: string): void {
    this.queueChanges.set(queue, (this.queueChanges.get(queue) ?? 0) + 1);
  }

  /**
   * Adds this transaction's task changes to the queue counters, in queue order, as its last
   * statement: the counter rows stay locked only for the commit itself, two transactions lock
   * them in the same order (no deadlock), and a counter is never seen to move before the task rows
   * it counts are visible.
   */
  async flushTaskChanges(): Promise<void> {
    if (this.queueChanges.size === 0) return;
    const queues = [...this.queueChanges.keys()].sort(byteCompare);
    const counts = queues.map((q) => this.queueChanges.get(q) as number);
    this.queueChanges.clear();
    await this.run(
      `INSERT INTO ${this.t.queueChanges} (queue, changes) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (queue) DO UPDATE SET changes = ${this.t.queueChanges}.changes + excluded.changes`,
      [queues, counts],
    );
  }

  async taskChanges(queues?: string[]): Promise<number> {
    if (queues && queues.length === 0) return 0;
    const r = queues
      ? await this.one(`SELECT COALESCE(SUM(changes), 0)::bigint AS n FROM ${this.t.queueChanges} WHERE queue = ANY($1::text[])`, [queues])
      : await this.one(`SELECT COALESCE(SUM(changes), 0)::bigint AS n FROM ${this.t.queueChanges}`, []);
    return num(r?.n);
  }

  async getTask(id: string): Promise<TaskRecord | undefined> {
    const r = await this.one(`SELECT ${TASK_COLUMNS} FROM ${this.t.tasks} WHERE id = $1`, [id]);
    return r && toTask(r);
  }

  async getTaskByEngineId(caseId: string, engineTaskId: string): Promise<TaskRecord | undefined> {
    const r = await this.one(`SELECT ${TASK_COLUMNS} FROM ${this.t.tasks} WHERE case_id = $1 AND engine_task_id = $2`, [caseId, engineTaskId]);
    return r && toTask(r);
  }

  async updateTask(t: TaskRecord): Promise<TaskRecord> {
    // Locks the task's case first. A step locks its case and then the case's tasks; a claim or a
    // completion that locked the task before the case could deadlock with a timer step on that
    // case. One lock order (case, then task) means one simply waits for the other.
    const r = await this.one(
      `WITH c AS (SELECT 1 FROM ${this.t.cases} WHERE id = $13 FOR NO KEY UPDATE),
         old AS (SELECT queue FROM ${this.t.tasks} WHERE id = $11)
       UPDATE ${this.t.tasks} SET queue = $1, priority = $2, due_at = $3, warn_at = $4, sort_due = $5, status = $6, assignee = $7, completed_by = $8,
         updated_at = $9, closed_at = $10, row_version = row_version + 1 WHERE id = $11 AND row_version = $12 AND EXISTS (SELECT 1 FROM c)
       RETURNING (SELECT queue FROM old) AS old_queue`,
      [t.queue, t.priority, t.dueAt, t.warnAt, t.dueAt ?? NO_DUE, t.status, t.assignee, t.completedBy, t.updatedAt, t.closedAt, t.id, t.rowVersion, t.caseId],
    );
    if (!r) throw new StoreConflictError('task.changed', { id: t.id });
    this.countTaskChange(t.queue);
    if (r.old_queue !== null && str(r.old_queue) !== t.queue) this.countTaskChange(str(r.old_queue));
    return { ...t, rowVersion: t.rowVersion + 1 };
  }

  async listTasks(filter: TaskFilter, limit: number, after?: TaskCursor): Promise<TaskRecord[]> {
    // A status, queue or branch named twice must not read its range twice.
    const f = distinctTaskFilter(filter);
    if (f.statuses.length === 0 || (f.queues && f.queues.length === 0) || (f.branches && f.branches.length === 0)) return [];
    const values: unknown[] = [];
    const p = (v: unknown): string => {
      values.push(v);
      return `$${values.length}`;
    };
    const where: string[] = [];
    if (f.caseId !== undefined) where.push(`case_id = ${p(f.caseId)}`);
    if (f.assignee !== undefined) where.push(`assignee = ${p(f.assignee)}`);
    if (f.flowKey !== undefined) where.push(`flow_key = ${p(f.flowKey)}`);
    // sort_due rather than due_at: it is in the work-list indexes, and NO_DUE sorts after every due time.
    if (f.dueBefore !== undefined) where.push(`sort_due < ${p(f.dueBefore)}`);
    if (f.dueAfter !== undefined) where.push(`sort_due >= ${p(f.dueAfter)} AND sort_due < ${p(NO_DUE)}`);
    if (f.breached && f.statuses.every((st) => st === 'open' || st === 'claimed')) {
      // Open tasks have no closing time: the index's sort_due answers (NO_DUE is never past).
      where.push(f.breached.value ? `sort_due <= ${p(f.breached.at)}` : `sort_due > ${p(f.breached.at)}`);
    } else if (f.breached) {
      const at = p(f.breached.at);
      where.push(f.breached.value ? `due_at <= COALESCE(closed_at, ${at})` : `(due_at IS NULL OR due_at > COALESCE(closed_at, ${at}))`);
    }
    if (after) {
      const pr = p(after.priority);
      const due = p(after.dueAt ?? NO_DUE);
      const at = p(after.createdAt);
      where.push(`(priority < ${pr} OR (priority = ${pr} AND (sort_due > ${due} OR (sort_due = ${due} AND (created_at > ${at} OR (created_at = ${at} AND id > ${p(after.id)}))))))`);
    }
    const order = 'ORDER BY priority DESC, sort_due ASC, created_at ASC, id ASC';
    const branches = f.branches ?? [undefined];
    const combos = f.statuses.length * (f.queues?.length ?? 0) * branches.length;
    if (f.queues && f.caseId === undefined && f.assignee === undefined && combos <= MAX_WORK_LIST_SCANS) {
      // As the SQLite store: one ordered index range per status, queue (and branch), cut at
      // `limit` and merged, rather than sorting every matching row; full rows for the page only.
      const lim = p(limit);
      const rest = where.join(' AND ');
      const scans: string[] = [];
      for (const status of f.statuses) {
        for (const queue of f.queues) {
          for (const branch of branches) {
            const eq = [`status = ${p(status)}`, `queue = ${p(queue)}`, ...(branch === undefined ? [] : [`branch = ${p(branch)}`])].join(' AND ');
            scans.push(`(SELECT id, priority, sort_due, created_at FROM ${this.t.tasks} WHERE ${eq}${rest ? ` AND ${rest}` : ''} ${order} LIMIT ${lim})`);
          }
        }
      }
      const sql = `SELECT ${TASK_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1t.$2')} FROM ${this.t.tasks} t JOIN (${scans.join(' UNION ALL ')} ${order} LIMIT ${lim}) page ON t.id = page.id
        ORDER BY t.priority DESC, t.sort_due ASC, t.created_at ASC, t.id ASC`;
      return (await this.all(sql, values, false)).map(toTask);
    }
    const all = [`status = ANY(${p(f.statuses)}::text[])`];
    if (f.queues) all.push(`queue = ANY(${p(f.queues)}::text[])`);
    if (f.branches) all.push(`branch = ANY(${p(f.branches)}::text[])`);
    const sql = `SELECT ${TASK_COLUMNS} FROM ${this.t.tasks} WHERE ${[...all, ...where].join(' AND ')} ${order} LIMIT ${p(limit)}`;
    return (await this.all(sql, values, false)).map(toTask);
  }

  async listCaseTasks(caseId: string): Promise<TaskRecord[]> {
    return (await this.all(`SELECT ${TASK_COLUMNS} FROM ${this.t.tasks} WHERE case_id = $1 ORDER BY created_at, ins`, [caseId])).map(toTask);
  }

  // Timers
  async insertTimer(t: TimerRecord): Promise<void> {
    await this.run(
      `INSERT INTO ${this.t.timers} (${TIMER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (case_id, timer_id) DO UPDATE SET due_at = excluded.due_at, run_at = excluded.run_at, purpose = excluded.purpose,
         node_id = excluded.node_id, status = excluded.status, attempts = excluded.attempts, last_error = excluded.last_error,
         created_at = excluded.created_at, fired_at = excluded.fired_at`,
      [t.caseId, t.timerId, t.dueAt, t.runAt, t.purpose, t.nodeId, t.status, t.attempts, t.lastError, t.createdAt, t.firedAt],
    );
  }

  async getTimer(caseId: string, timerId: string): Promise<TimerRecord | undefined> {
    const r = await this.one(`SELECT ${TIMER_COLUMNS} FROM ${this.t.timers} WHERE case_id = $1 AND timer_id = $2`, [caseId, timerId]);
    return r && toTimer(r);
  }

  async takeDueTimer(now: IsoTime): Promise<TimerRecord | undefined> {
    // Locking the case too keeps lock order the same as a step's (case first), so a timer step
    // and a request stepping the same case cannot deadlock; a locked one is skipped for now.
    const r = await this.one(
      `SELECT ${TIMER_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')}
       FROM ${this.t.timers} t JOIN ${this.t.cases} c ON c.id = t.case_id
       WHERE t.status = 'scheduled' AND t.run_at <= $1
       ORDER BY t.run_at, t.case_id, t.timer_id LIMIT 1
       FOR NO KEY UPDATE OF t, c SKIP LOCKED`,
      [now],
    );
    return r && toTimer(r);
  }

  async updateTimer(t: TimerRecord, fromStatus: TimerStatus): Promise<boolean> {
    const n = await this.run(
      `UPDATE ${this.t.timers} SET due_at = $1, run_at = $2, status = $3, attempts = $4, last_error = $5, fired_at = $6
       WHERE case_id = $7 AND timer_id = $8 AND status = $9`,
      [t.dueAt, t.runAt, t.status, t.attempts, t.lastError, t.firedAt, t.caseId, t.timerId, fromStatus],
    );
    return n === 1;
  }

  async listCaseTimers(caseId: string): Promise<TimerRecord[]> {
    return (await this.all(`SELECT ${TIMER_COLUMNS} FROM ${this.t.timers} WHERE case_id = $1 ORDER BY due_at, timer_id`, [caseId])).map(toTimer);
  }

  async countDueTimers(now: IsoTime): Promise<number> {
    return num((await this.one(`SELECT COUNT(*)::int AS n FROM ${this.t.timers} WHERE status = 'scheduled' AND run_at <= $1`, [now]))?.n ?? 0);
  }

  // Audit
  async appendAudit(stream: string, entries: NewAuditEntry[]): Promise<AuditEntryRecord[]> {
    if (entries.length === 0) return [];
    const { t } = this;
    // Locks the stream's head (creating it if new) and reads it as last committed, so appends
    // to one stream from several transactions queue up instead of taking the same sequence number.
    const head = await this.one(
      `INSERT INTO ${t.heads} (stream, seq, hash) VALUES ($1, 0, $2)
       ON CONFLICT (stream) DO UPDATE SET seq = ${t.heads}.seq RETURNING seq, hash`,
      [stream, GENESIS_HASH],
    );
    let seq = num(head?.seq ?? 0);
    let prev = head ? str(head.hash) : GENESIS_HASH;
    const out: AuditEntryRecord[] = [];
    for (const e of entries) {
      seq += 1;
      const rec: AuditEntryRecord = { stream, seq, at: e.at, actor: e.actor, entry: e.entry, prevHash: prev, hash: '' };
      rec.hash = auditHash(prev, rec);
      prev = rec.hash;
      out.push(rec);
    }
    await this.run(
      `WITH a AS (
         INSERT INTO ${t.audit} (${AUDIT_COLUMNS})
         SELECT $1, s, a, ac, e, p, h FROM unnest($2::int[], $3::text[], $4::text[], $5::json[], $6::text[], $7::text[]) AS x(s, a, ac, e, p, h))
       UPDATE ${t.heads} SET seq = $8, hash = $9 WHERE stream = $1`,
      [
        stream,
        out.map((r) => r.seq),
        out.map((r) => r.at),
        out.map((r) => r.actor),
        out.map((r) => json(r.entry)),
        out.map((r) => r.prevHash),
        out.map((r) => r.hash),
        seq,
        prev,
      ],
    );
    return out;
  }

  async listAudit(stream: string, afterSeq = 0, limit = 1_000_000): Promise<AuditEntryRecord[]> {
    return (await this.all(`SELECT ${AUDIT_COLUMNS} FROM ${this.t.audit} WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [stream, afterSeq, limit])).map(toAudit);
  }

  async auditHead(stream: string): Promise<AuditHead | undefined> {
    const r = await this.one(`SELECT stream, seq, hash FROM ${this.t.heads} WHERE stream = $1`, [stream]);
    return r && { stream: str(r.stream), seq: num(r.seq), hash: str(r.hash) };
  }

  // Outbox
  async insertOutbox(rows: OutboxRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.run(
      `INSERT INTO ${this.t.outbox} (${OUTBOX_COLUMNS})
       SELECT id, case_id, kind, payload, status, attempts, run_at, lease_owner, lease_until, last_error, created_at, done_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::json[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         WITH ORDINALITY AS x(id, case_id, kind, payload, status, attempts, run_at, lease_owner, lease_until, last_error, created_at, done_at, n)
       ORDER BY n`,
      [
        rows.map((o) => o.id),
        rows.map((o) => o.caseId),
        rows.map((o) => o.kind),
        rows.map((o) => json(o.payload)),
        rows.map((o) => o.status),
        rows.map((o) => o.attempts),
        rows.map((o) => o.runAt),
        rows.map((o) => o.leaseOwner),
        rows.map((o) => o.leaseUntil),
        rows.map((o) => o.lastError),
        rows.map((o) => o.createdAt),
        rows.map((o) => o.doneAt),
      ],
    );
  }

  async claimOutbox(now: IsoTime, owner: string, leaseUntil: IsoTime, limit: number): Promise<OutboxRecord[]> {
    const { t } = this;
    const rows = await this.all(
      `WITH due AS (
         SELECT id FROM ${t.outbox}
         WHERE status = 'pending' AND run_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
         ORDER BY run_at, created_at, ins LIMIT $4
         FOR UPDATE SKIP LOCKED)
       UPDATE ${t.outbox} o SET lease_owner = $2, lease_until = $3, attempts = o.attempts + 1
       FROM due WHERE o.id = due.id
       RETURNING ${OUTBOX_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}, o.ins`,
      [now, owner, leaseUntil, limit],
    );
    // RETURNING has no order; give the rows in the order they were chosen, as SQLite does.
    return rows
      .sort((a, b) => byteCompare(str(a.run_at), str(b.run_at)) || byteCompare(str(a.created_at), str(b.created_at)) || num(a.ins) - num(b.ins))
      .map(toOutbox);
  }

  async getOutbox(id: string): Promise<OutboxRecord | undefined> {
    const r = await this.one(`SELECT ${OUTBOX_COLUMNS} FROM ${this.t.outbox} WHERE id = $1`, [id]);
    return r && toOutbox(r);
  }

  async updateOutbox(o: OutboxRecord, owner: string | null): Promise<boolean> {
    const n = await this.run(
      `UPDATE ${this.t.outbox} SET status = $1, attempts = $2, run_at = $3, lease_owner = $4, lease_until = $5, last_error = $6, done_at = $7
       WHERE id = $8 AND lease_owner IS NOT DISTINCT FROM $9`,
      [o.status, o.attempts, o.runAt, o.leaseOwner, o.leaseUntil, o.lastError, o.doneAt, o.id, owner],
    );
    return n === 1;
  }

  async listCaseOutbox(caseId: string): Promise<OutboxRecord[]> {
    return (await this.all(`SELECT ${OUTBOX_COLUMNS} FROM ${this.t.outbox} WHERE case_id = $1 ORDER BY created_at, ins`, [caseId])).map(toOutbox);
  }

  async countPendingOutbox(): Promise<number> {
    return num((await this.one(`SELECT COUNT(*)::int AS n FROM ${this.t.outbox} WHERE status = 'pending'`, []))?.n ?? 0);
  }

  // Idempotency
  async getIdempotency(caller: string, key: string): Promise<IdempotencyRecord | undefined> {
    const r = await this.one(`SELECT caller, key, request_hash, status, body, created_at FROM ${this.t.idempotency} WHERE caller = $1 AND key = $2`, [caller, key]);
    return (
      r && {
        caller: str(r.caller),
        key: str(r.key),
        requestHash: str(r.request_hash),
        status: num(r.status),
        body: r.body,
        createdAt: str(r.created_at),
      }
    );
  }

  async putIdempotency(rec: IdempotencyRecord): Promise<void> {
    // A concurrent request with the same key waits here for the first to commit, then conflicts.
    const n = await this.run(
      `INSERT INTO ${this.t.idempotency} (caller, key, request_hash, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (caller, key) DO NOTHING`,
      [rec.caller, rec.key, rec.requestHash, rec.status, json(rec.body ?? null), rec.createdAt],
    );
    if (n === 0) throw new StoreConflictError('idempotency.exists', { key: rec.key });
  }

  async purgeIdempotency(before: IsoTime): Promise<number> {
    return this.run(`DELETE FROM ${this.t.idempotency} WHERE created_at < $1`, [before]);
  }

  // Lists
  async listLists(): Promise<ListRecord[]> {
    return (await this.all(`${this.listSelect} ORDER BY l.name`, [])).map(toList);
  }

  async getList(name: string): Promise<ListRecord | undefined> {
    const r = await this.one(`${this.listSelect} WHERE l.name = $1`, [name]);
    return r && toList(r);
  }

  async getListEntries(name: string): Promise<ListEntry[]> {
    const rows = await this.all(`SELECT value, note, added_by, added_at FROM ${this.t.entries} WHERE list_name = $1 ORDER BY value`, [name]);
    return rows.map((r) => ({ value: str(r.value), note: strOrNull(r.note), addedBy: str(r.added_by), addedAt: str(r.added_at) }));
  }

  private async bumpGeneration(): Promise<void> {
    const { t } = this;
    await this.run(
      `INSERT INTO ${t.meta} (name, value) VALUES ('lists.generation', '1')
       ON CONFLICT (name) DO UPDATE SET value = (${t.meta}.value::bigint + 1)::text`,
      [],
    );
  }

  private async insertEntries(name: string, entries: ListEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One statement may not touch a row twice: fold repeated values the way row-by-row upserts
    // would (the first one's author and time, the last one's note).
    const byValue = new Map<string, ListEntry>();
    for (const e of entries) {
      const seen = byValue.get(e.value);
      byValue.set(e.value, seen ? { ...seen, note: e.note } : e);
    }
    const rows = [...byValue.values()];
    await this.run(
      `INSERT INTO ${this.t.entries} (list_name, value, note, added_by, added_at)
       SELECT $1, v, n, b, a FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(v, n, b, a)
       ON CONFLICT (list_name, value) DO UPDATE SET note = excluded.note`,
      [name, rows.map((e) => e.value), rows.map((e) => e.note), rows.map((e) => e.addedBy), rows.map((e) => e.addedAt)],
    );
  }

  async putList(list: Omit<ListRecord, 'revision' | 'size'>, entries: ListEntry[]): Promise<ListRecord> {
    const { t } = this;
    await this.run(
      `INSERT INTO ${t.lists} (name, kind, description, revision, updated_by, updated_at) VALUES ($1, $2, $3, 1, $4, $5)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, description = excluded.description, revision = ${t.lists}.revision + 1,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [list.name, list.kind, list.description, list.updatedBy, list.updatedAt],
    );
    await this.run(`DELETE FROM ${t.entries} WHERE list_name = $1`, [list.name]);
    await this.insertEntries(list.name, entries);
    await this.bumpGeneration();
    return (await this.getList(list.name)) as ListRecord;
  }

  private async touchList(name: string, actor: string, at: IsoTime): Promise<void> {
    const n = await this.run(`UPDATE ${this.t.lists} SET revision = revision + 1, updated_by = $1, updated_at = $2 WHERE name = $3`, [actor, at, name]);
    if (n === 0) throw new StoreConflictError('list.missing', { name });
    await this.bumpGeneration();
  }

  async addListEntries(name: string, entries: ListEntry[], actor: string, at: IsoTime): Promise<ListRecord> {
    await this.touchList(name, actor, at);
    await this.insertEntries(name, entries);
    return (await this.getList(name)) as ListRecord;
  }

  async removeListEntries(name: string, values: string[], actor: string, at: IsoTime): Promise<ListRecord> {
    await this.touchList(name, actor, at);
    await this.run(`DELETE FROM ${this.t.entries} WHERE list_name = $1 AND value = ANY($2::text[])`, [name, values]);
    return (await this.getList(name)) as ListRecord;
  }

  async listsGeneration(): Promise<number> {
    const r = await this.one(`SELECT value FROM ${this.t.meta} WHERE name = 'lists.generation'`, []);
    return r ? num(r.value) : 0;
  }

  async allListValues(): Promise<{ name: string; value: string }[]> {
    return (await this.all(`SELECT list_name, value FROM ${this.t.entries}`, [])).map((r) => ({ name: str(r.list_name), value: str(r.value) }));
  }

  // Process-health projection
  async getCaseFacts(caseId: string): Promise<CaseFactsRecord | undefined> {
    const r = await this.one(`SELECT ${FACTS_COLUMNS} FROM ${this.t.facts} WHERE case_id = $1`, [caseId]);
    return r && toCaseFacts(r);
  }

  async putCaseFacts(f: CaseFactsRecord, expectedSeq?: number | null): Promise<boolean> {
    if (expectedSeq === undefined) {
      await this.run(
        `INSERT INTO ${this.t.facts} (${FACTS_WRITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (case_id) DO UPDATE SET flow_key = EXCLUDED.flow_key, version = EXCLUDED.version, status = EXCLUDED.status,
           outcome = EXCLUDED.outcome, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, cycle_ms = EXCLUDED.cycle_ms,
           cycle_working_ms = EXCLUDED.cycle_working_ms, stp = EXCLUDED.stp, rework = EXCLUDED.rework, incidents = EXCLUDED.incidents,
           case_sla = EXCLUDED.case_sla, dims = EXCLUDED.dims, facts = EXCLUDED.facts, seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at,
           open_work = EXCLUDED.open_work`,
        [
          f.caseId, f.flowKey, f.version, f.status, f.outcome, f.startedAt, f.endedAt, f.cycleMs, f.cycleWorkingMs, f.stp, f.rework, f.incidents,
          f.caseSla, json(f.dims), json(f.facts), f.seq, f.updatedAt, openWorkColumn(f.facts),
        ],
      );
      return true;
    }
    if (expectedSeq === null) {
      const n = await this.run(
        `INSERT INTO ${this.t.facts} (${FACTS_WRITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (case_id) DO NOTHING`,
        [
          f.caseId, f.flowKey, f.version, f.status, f.outcome, f.startedAt, f.endedAt, f.cycleMs, f.cycleWorkingMs, f.stp, f.rework, f.incidents,
          f.caseSla, json(f.dims), json(f.facts), f.seq, f.updatedAt, openWorkColumn(f.facts),
        ],
      );
      return n === 1;
    }
    if (f.endedAt === null) {
      // An open case's step leaves the end fields as they are (as the SQLite store does).
      const open = await this.run(
        `UPDATE ${this.t.facts} SET status = $1, rework = $2, incidents = $3, case_sla = $4, facts = $5, seq = $6, updated_at = $7, open_work = $8
         WHERE case_id = $9 AND seq = $10`,
        [f.status, f.rework, f.incidents, f.caseSla, json(f.facts), f.seq, f.updatedAt, openWorkColumn(f.facts), f.caseId, expectedSeq],
      );
      return open === 1;
    }
    const n = await this.run(
      `UPDATE ${this.t.facts} SET status = $1, outcome = $2, ended_at = $3, cycle_ms = $4, cycle_working_ms = $5, stp = $6, rework = $7, incidents = $8,
         case_sla = $9, facts = $10, seq = $11, updated_at = $12, open_work = $13 WHERE case_id = $14 AND seq = $15`,
      [
        f.status, f.outcome, f.endedAt, f.cycleMs, f.cycleWorkingMs, f.stp, f.rework, f.incidents, f.caseSla, json(f.facts), f.seq, f.updatedAt,
        openWorkColumn(f.facts), f.caseId, expectedSeq,
      ],
    );
    return n === 1;
  }

  async listCaseFacts(q: CaseFactsQuery): Promise<CaseFactsRecord[]> {
    const w = factsWhere(q);
    if (!w) return [];
    return (await this.all(`SELECT ${FACTS_COLUMNS} FROM ${this.t.facts} WHERE ${w.where} ORDER BY started_at, case_id`, w.values)).map(toCaseFacts);
  }

  async openWork(q: OpenWorkQuery): Promise<OpenWorkSummary> {
    const summary: OpenWorkSummary = { starts: [], tasks: [], work: [], openNow: [] };
    const w = factsWhere({ flowKey: q.flowKey, startedBefore: q.at, ...(q.versions ? { versions: q.versions } : {}), ...(q.dims ? { dims: q.dims } : {}) });
    if (!w) return summary;
    const { t } = this;
    const at = w.values.length + 1;
    const starts = await this.all(
      `SELECT version, ended_at IS NULL AS open, '[' || string_agg(${PG_MS('started_at')}::text, ',') || ']' AS list FROM ${t.facts}
       WHERE ${w.where} AND (ended_at IS NULL OR ended_at >= $${at}) GROUP BY 1, 2`,
      [...w.values, q.at],
    );
    summary.starts = starts.map((r) => ({ version: num(r.version), open: r.open === true, startedMs: JSON.parse(str(r.list)) as number[] }));
    const open = `FROM ${t.facts} f, json_array_elements((f.open_work::json) -> $${at}::int) j WHERE ${w.where} AND ended_at IS NULL AND open_work IS NOT NULL`;
    const tasks = await this.all(
      `SELECT version, j ->> 0 AS queue, (j ->> 2) IS NOT NULL AS claimed, '[' || string_agg(j ->> 1, ',') || ']' AS list, min((j ->> 1)::float8) AS oldest
       ${open} AND (j ->> 1)::float8 <= $${at + 1} GROUP BY 1, 2, 3`,
      [...w.values, 0, Date.parse(q.at)],
    );
    summary.tasks = tasks.map((r) => ({
      version: num(r.version),
      queue: str(r.queue),
      claimed: r.claimed === true,
      openedMs: JSON.parse(str(r.list)) as number[],
      oldest: new Date(num(r.oldest)).toISOString(),
    }));
    const values: unknown[] = [...w.values, 1, offsetOf(q.work.utcOffset).minutes];
    let inPeriod = '';
    if (q.work.from !== undefined) {
      values.push(Date.parse(q.work.from));
      inPeriod += ` AND (j ->> 1)::float8 >= $${values.length}`;
    }
    if (q.work.to !== undefined) {
      values.push(Date.parse(q.work.to));
      inPeriod += ` AND (j ->> 1)::float8 < $${values.length}`;
    }
    const work = await this.all(
      `SELECT version, j ->> 0 AS actor, to_char((to_timestamp((j ->> 1)::float8 / 1000) AT TIME ZONE 'UTC') + make_interval(mins => $${at + 1}::int), 'YYYY-MM-DD') AS day, count(*) AS n
       ${open}${inPeriod} GROUP BY 1, 2, 3`,
      values,
    );
    summary.work = work.map((r) => ({ version: num(r.version), actor: str(r.actor), day: str(r.day), tasks: num(r.n) }));
    const any = factsWhere({ flowKey: q.flowKey, ...(q.versions ? { versions: q.versions } : {}), ...(q.dims ? { dims: q.dims } : {}) }) as { where: string; values: unknown[] };
    const openNow = await this.all(`SELECT version, count(*) AS n FROM ${t.facts} WHERE ${any.where} AND ended_at IS NULL GROUP BY version`, any.values);
    summary.openNow = openNow.map((r) => ({ version: num(r.version), cases: num(r.n) }));
    // Open cases whose rows have no open_work column: from their facts.
    const bare = await this.all(`SELECT version, facts FROM ${t.facts} WHERE ${w.where} AND ended_at IS NULL AND open_work IS NULL`, w.values);
    if (bare.length > 0) addFromFacts(summary, bare.map((r) => ({ version: num(r.version), facts: r.facts as CaseFacts })), q);
    return summary;
  }

  async listCasesBehindFacts(flowKey: string, limit: number): Promise<string[]> {
    const { t } = this;
    const rows = await this.all(
      `SELECT c.id FROM ${t.cases} c
       LEFT JOIN ${t.facts} f ON f.case_id = c.id
       LEFT JOIN ${t.heads} h ON h.stream = 'case:' || c.id
       WHERE c.flow_key = $1 AND (f.case_id IS NULL OR f.seq < COALESCE(h.seq, 0))
       ORDER BY c.created_at, c.id LIMIT $2`,
      [flowKey, limit],
    );
    return rows.map((r) => str(r.id));
  }

  async factsCaughtUp(flowKey: string): Promise<boolean> {
    return (await this.all(`SELECT 1 AS x FROM ${this.t.caughtUp} WHERE flow_key = $1`, [flowKey])).length > 0;
  }

  async markFactsCaughtUp(flowKey: string, at: IsoTime): Promise<void> {
    await this.run(`INSERT INTO ${this.t.caughtUp} (flow_key, at) VALUES ($1, $2) ON CONFLICT (flow_key) DO UPDATE SET at = EXCLUDED.at`, [flowKey, at]);
  }

  async clearFactsCaughtUp(): Promise<void> {
    await this.run(`DELETE FROM ${this.t.caughtUp}`, []);
  }

  async takeUndigestedCaseFacts(limit: number): Promise<UndigestedCaseFacts[]> {
    // Two processes projecting at once take different cases, so none is counted twice.
    const rows = await this.all(
      `SELECT ${FACTS_COLUMNS}, digested, start_digested FROM ${this.t.facts}
       WHERE ended_at IS NOT NULL AND (NOT digested OR NOT start_digested) ORDER BY case_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({ ...toCaseFacts(r), missingFrom: missingFrom(r.digested !== true, r.start_digested !== true) }));
  }

  async markCaseFactsDigested(caseIds: string[]): Promise<void> {
    if (caseIds.length === 0) return;
    await this.run(`UPDATE ${this.t.facts} SET digested = true, start_digested = true WHERE case_id = ANY($1::text[])`, [caseIds]);
  }

  async lockHealthDigest(k: HealthDigestKey): Promise<HealthDigestRecord> {
    const { t } = this;
    const table = k.basis === 'started' ? t.startDigests : t.digests;
    const key = [k.flowKey, k.version, k.dim, k.value, k.day];
    await this.run(`INSERT INTO ${table} (flow_key, version, dim, value, day, cases, digest) VALUES ($1, $2, $3, $4, $5, 0, 'null') ON CONFLICT DO NOTHING`, key);
    const r = await this.one(`SELECT * FROM ${table} WHERE flow_key = $1 AND version = $2 AND dim = $3 AND value = $4 AND day = $5 FOR UPDATE`, key);
    return r ? toDigest(r, k.basis) : { ...k, cases: 0, digest: null };
  }

  async putHealthDigest(d: HealthDigestRecord): Promise<void> {
    await this.run(
      `INSERT INTO ${d.basis === 'started' ? this.t.startDigests : this.t.digests} (flow_key, version, dim, value, day, cases, digest) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (flow_key, version, dim, value, day) DO UPDATE SET cases = EXCLUDED.cases, digest = EXCLUDED.digest`,
      [d.flowKey, d.version, d.dim, d.value, d.day, d.cases, json(d.digest)],
    );
  }

  async listHealthDigests(q: HealthDigestQuery): Promise<HealthDigestRecord[]> {
    // A row locked but never written (cases 0) holds no digest.
    const where = ['flow_key = $1', 'dim = $2', 'cases > 0'];
    const values: unknown[] = [q.flowKey, q.dim];
    if (q.versions) {
      values.push(q.versions);
      where.push(`version = ANY($${values.length}::int[])`);
    }
    if (q.values) {
      values.push(q.values);
      where.push(`value = ANY($${values.length}::text[])`);
    }
    if (q.fromDay !== undefined) {
      values.push(q.fromDay);
      where.push(`day >= $${values.length}`);
    }
    if (q.toDay !== undefined) {
      values.push(q.toDay);
      where.push(`day < $${values.length}`);
    }
    const basis = q.basis ?? 'ended';
    return (await this.all(`SELECT * FROM ${basis === 'started' ? this.t.startDigests : this.t.digests} WHERE ${where.join(' AND ')} ORDER BY version, value, day`, values)).map((r) =>
      toDigest(r, basis),
    );
  }

  // Calendars
  async listCalendars(): Promise<CalendarRecord[]> {
    return (await this.all(`SELECT ${CALENDAR_COLUMNS} FROM ${this.t.calendars} ORDER BY id`, [])).map(toCalendar);
  }

  async getCalendar(id: string): Promise<CalendarRecord | undefined> {
    const r = await this.one(`SELECT ${CALENDAR_COLUMNS} FROM ${this.t.calendars} WHERE id = $1`, [id]);
    return r && toCalendar(r);
  }

  async putCalendar(id: string, calendar: Record<string, unknown>, expectedRevision: number, actor: string, at: IsoTime): Promise<CalendarRecord> {
    const values = [id, json(calendar), expectedRevision + 1, actor, at];
    const n =
      expectedRevision === 0
        ? await this.run(`INSERT INTO ${this.t.calendars} (${CALENDAR_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, values)
        : await this.run(
            `UPDATE ${this.t.calendars} SET calendar = $2, revision = $3, updated_by = $4, updated_at = $5 WHERE id = $1 AND revision = $6`,
            [...values, expectedRevision],
          );
    if (n === 0) {
      const current = await this.getCalendar(id);
      throw new StoreConflictError('calendar.revision.stale', { revision: current?.revision ?? 0 });
    }
    return (await this.getCalendar(id)) as CalendarRecord;
  }
}

const PRIVATE_OPS = new Set(['constructor', 'one', 'all', 'run', 'countTaskChange', 'flushTaskChanges', 'queueChanges', 'bumpGeneration', 'insertEntries', 'touchList']);
const TX_METHODS = Object.getOwnPropertyNames(PgOps.prototype).filter((n) => !PRIVATE_OPS.has(n)) as (keyof StoreTx & keyof PgOps)[];

/**
 * Store methods that are one statement: called on the store itself they run on the pool without
 * BEGIN/COMMIT (a single statement is atomic on its own). Every other method gets a transaction.
 */
const SINGLE_STATEMENT = new Set<keyof StoreTx>([
  'getFlow', 'listFlows', 'listPublishedFlowKeys', 'insertFlow', 'insertVersion', 'getVersion', 'listVersions', 'latestVersion', 'getReleasePolicy',
  'insertCase', 'getCase', 'updateCase', 'findChildCase', 'listCases',
  // insertTask and updateTask are not: their queue counters are written just before COMMIT.
  'getTask', 'getTaskByEngineId', 'listTasks', 'listCaseTasks', 'taskChanges',
  'insertTimer', 'getTimer', 'takeDueTimer', 'updateTimer', 'listCaseTimers', 'countDueTimers',
  'listAudit', 'auditHead',
  'insertOutbox', 'claimOutbox', 'getOutbox', 'updateOutbox', 'listCaseOutbox', 'countPendingOutbox',
  'getIdempotency', 'putIdempotency', 'purgeIdempotency',
  'listLists', 'getList', 'getListEntries', 'listsGeneration', 'allListValues',
  'listCalendars', 'getCalendar',
  'getCaseFacts', 'putCaseFacts', 'listCaseFacts', 'openWork', 'listCasesBehindFacts', 'factsCaughtUp', 'markFactsCaughtUp', 'clearFactsCaughtUp',
  'markCaseFactsDigested', 'putHealthDigest', 'listHealthDigests',
]);

/** Statement names for the server-side prepared statement cache, one per SQL text. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `fp_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

function execOn(q: Pick<PoolClient, 'query'> | Pool): Exec {
  return (text, values = [], prepared = true) =>
    (prepared ? q.query<Row>({ name: statementName(text), text, values }) : q.query<Row>(text, values)) as Promise<QueryResult<Row>>;
}

function poolConfig(opts: PgStoreOptions): PoolConfig {
  return {
    // A transaction never waits on anything outside the database, so one idle for a minute
    // belongs to a hung process: the server ends it and frees its row locks.
    idle_in_transaction_session_timeout: 60_000,
    // Notice a peer that vanished (host down, network cut) instead of holding its connection for hours.
    keepAlive: true,
    // A request waits at most this long for a free connection, then fails instead of queueing forever.
    connectionTimeoutMillis: 10_000,
    ...opts.pool,
    ...(opts.connectionString ? { connectionString: opts.connectionString } : {}),
    max: opts.poolMax ?? opts.pool?.max ?? 10,
    // Tells processes apart in pg_stat_activity.
    application_name: (opts.applicationName ?? opts.pool?.application_name ?? `flowpath ${hostname()} ${process.pid}`).slice(0, 63),
  };
}

function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`PostgreSQL schema name ${JSON.stringify(schema)} is not allowed: use lower-case letters, digits and _ (at most 63, not starting with a digit)`);
  }
  return schema;
}

/** Holds a session advisory lock on its own connection while `fn` runs (given that connection). */
async function withAdvisoryLock<T>(pool: Pool, schema: string, name: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error): void => {
    broken = e;
  };
  client.on('error', onError);
  const key = [LOCK_CLASS, `${schema}:${name}`];
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', key);
    try {
      return await fn(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key).catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
    }
  } finally {
    client.off('error', onError);
    // A connection that failed may still hold the lock: close it rather than reuse it.
    client.release(broken);
  }
}

/** Brings the schema up to date; several processes may call this at once. */
async function migrate(pool: Pool, schema: string): Promise<void> {
  await withAdvisoryLock(pool, schema, 'migrate', async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    // Created only when missing, so a role without CREATE on the database can use a schema made for it.
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
    const r = await client.query<{ v: number | null }>(`SELECT MAX(version) AS v FROM "${schema}".schema_migrations`);
    const current = r.rows[0]?.v ?? 0;
    if (current > pgMigrations.length) {
      throw new Error(`database schema "${schema}" is at version ${current}, newer than this Flowpath (${pgMigrations.length}); upgrade Flowpath`);
    }
    for (let v = current; v < pgMigrations.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO "${schema}"`);
        await client.query(pgMigrations[v] as string);
        await client.query(`INSERT INTO "${schema}".schema_migrations (version, applied_at) VALUES ($1, $2)`, [v + 1, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }
  });
}

/**
 * Connects, creates the schema if needed and migrates it (under an advisory lock), and returns
 * the store. Fails with the connection error when PostgreSQL cannot be reached.
 */
export async function openPgStore(opts: PgStoreOptions = {}): Promise<PgStore> {
  const schema = checkSchema(opts.schema ?? DEFAULT_PG_SCHEMA);
  const max = opts.poolMax ?? opts.pool?.max ?? 10;
  // withLock holds one connection while its callback uses others.
  if (!Number.isInteger(max) || max < 2) throw new Error(`the PostgreSQL pool needs at least 2 connections, got ${max}`);
  const pool = new Pool(poolConfig(opts));
  // Without a listener, a connection dropped while idle in the pool would crash the process.
  pool.on('error', (e) => opts.onError?.(e));
  try {
    await migrate(pool, schema);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return createPgStore(pool, schema);
}

function createPgStore(pool: Pool, schema: string): PgStore {
  const tables = tablesOf(schema);
  const autocommit = new PgOps(execOn(pool), tables);
  const inTransaction = new AsyncLocalStorage<true>();
  let closed = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  /**
   * Refuses calls from inside a transaction and after close, and counts what runs, for close().
   * `fn` runs marked as inside the store unless `nested` allows store calls in it (withLock).
   */
  const guarded = async <T>(fn: () => Promise<T>, nested = false): Promise<T> => {
    if (inTransaction.getStore()) throw new StoreMisuseError('store method called inside store.transaction(); use the tx argument');
    if (closed) throw new StoreMisuseError('store is closed');
    inFlight += 1;
    try {
      return await (nested ? fn() : inTransaction.run(true, fn));
    } finally {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    }
  };

  /** One attempt: BEGIN, fn, COMMIT on one connection; ROLLBACK if anything throws. */
  const attempt = async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A connection lost mid-transaction makes the pending query fail; this only keeps the
    // 'error' event from being unhandled, and the connection is then not reused.
    const onError = (e: Error): void => {
      broken = e;
    };
    client.on('error', onError);
    let open = true;
    let failure: unknown;
    const exec = execOn(client);
    const ops = new PgOps(async (text, values, prepared) => {
      try {
        return await exec(text, values, prepared);
      } catch (e) {
        // Remembered because PostgreSQL ends the transaction at the first error even if the callback catches it.
        failure ??= e;
        throw e;
      }
    }, tables);
    const tx = new Proxy(ops, {
      get: (target, prop, receiver) => {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (!open) return Promise.reject(new StoreMisuseError(`tx.${String(prop)} called after its transaction ended`));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    try {
      await client.query('BEGIN');
      let result: T;
      try {
        result = await fn(tx);
        await ops.flushTaskChanges();
      } catch (e) {
        open = false;
        await client.query('ROLLBACK').catch((re: unknown) => {
          broken ??= re instanceof Error ? re : new Error(String(re));
        });
        throw e;
      }
      open = false;
      let done: QueryResult;
      try {
        done = await client.query('COMMIT');
      } catch (e) {
        // Without an SQLSTATE the connection itself failed: whether it committed is unknown, and
        // the connection is not reused.
        if (sqlState(e) === undefined) broken ??= e instanceof Error ? e : new Error(String(e));
        throw e;
      }
      // COMMIT of a transaction that an error already ended is answered with ROLLBACK.
      if (done.command === 'ROLLBACK') throw failure ?? new Error('PostgreSQL rolled the transaction back');
      return result;
    } finally {
      open = false;
      client.off('error', onError);
      client.release(broken);
    }
  };

  const transaction = <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> =>
    guarded(async () => {
      for (let n = 1; ; n++) {
        try {
          return await attempt(fn);
        } catch (e) {
          if (!isTransient(e)) throw e;
          if (n >= MAX_TX_ATTEMPTS) throw new StoreConflictError('transaction.contention', { sqlState: sqlState(e) });
          // A short random pause so the transactions that collided do not collide again.
          await new Promise((ok) => setTimeout(ok, 5 + Math.random() * 20 * n));
        }
      }
    });

  const methods = Object.fromEntries(
    TX_METHODS.map((name) => {
      if (SINGLE_STATEMENT.has(name)) {
        const method = (autocommit[name] as (...a: unknown[]) => Promise<unknown>).bind(autocommit);
        return [name, (...args: unknown[]) => guarded(() => method(...args))];
      }
      return [name, (...args: unknown[]) => transaction((tx) => (tx[name] as (...a: unknown[]) => Promise<unknown>)(...args))];
    }),
  ) as unknown as StoreTx;

  return {
    ...methods,
    kind: 'postgres',
    pool,
    schema,
    table: (name: string) => `"${schema}".${name}`,
    transaction,
    withLock: (name, fn) => guarded(() => withAdvisoryLock(pool, schema, `app:${name}`, () => fn()), true),
    async ping() {
      await guarded(() => pool.query('SELECT 1'));
    },
    async close() {
      if (inTransaction.getStore()) throw new StoreMisuseError('store method called inside store.transaction(); use the tx argument');
      if (closed) return;
      closed = true;
      if (inFlight > 0) await new Promise<void>((ok) => (idle = ok));
      await pool.end();
    },
  };
}

/** Drops a schema and everything in it (tests and benchmarks clean up after themselves with this). */
export async function dropPgSchema(opts: Pick<PgStoreOptions, 'connectionString' | 'pool'>, schema: string): Promise<void> {
  checkSchema(schema);
  const client = new Client({ ...opts.pool, ...(opts.connectionString ? { connectionString: opts.connectionString } : {}) });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Connects and runs `SELECT 1`, failing with the connection error (for start-up checks and test set-up). */
export async function checkPgConnection(opts: Pick<PgStoreOptions, 'connectionString' | 'pool'>, timeoutMs = 3000): Promise<void> {
  const client = new Client({ ...opts.pool, ...(opts.connectionString ? { connectionString: opts.connectionString } : {}), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}
