/**
 * The Store: everything the runtime persists, behind one async interface so that the embedded
 * SQLite store and the PostgreSQL store (several processes on one database) are interchangeable.
 *
 * Transactions are explicit: `store.transaction(async (tx) => ...)` runs the callback in one
 * database transaction and commits only when it resolves; if it throws, nothing it wrote is kept.
 * Calling a method on the store itself runs that one call on its own (autocommit).
 * Inside a callback use only `tx`: the store refuses re-entrant calls so a mistake cannot run
 * outside the transaction (see StoreMisuseError).
 */
import type { CaseFacts, CaseState, CaseStatus, DimValue, FormField, HealthDigest, LocalizedText, FlowVersion, TimerPurpose } from '@flowpath/engine';

/** ISO 8601 time in UTC with milliseconds (`Date#toISOString`), so text order is time order. */
export type IsoTime = string;

export interface FlowRecord {
  key: string;
  /** The editable draft; may be incomplete or invalid while the analyst works on it. */
  draft: Record<string, unknown>;
  /** Bumped on every save; a save naming an older revision is a conflict. */
  draftRevision: number;
  owner: string | null;
  createdBy: string;
  createdAt: IsoTime;
  updatedBy: string;
  updatedAt: IsoTime;
}

export interface FlowSummary {
  key: string;
  name: unknown;
  owner: string | null;
  draftRevision: number;
  latestVersion: number | null;
  defaultVersion: number | null;
  updatedAt: IsoTime;
  updatedBy: string;
}

export type FlowVersionMeta = Omit<FlowVersion, 'definition'>;

/** A pilot: new cases whose data match `when` get `version`. */
export interface PilotRule {
  id: string;
  name?: string;
  when: unknown;
  version: number;
}

/** A stable percentage of new cases, chosen by hashing the customer reference (or case id). */
export interface ReleaseSplit {
  version: number;
  percent: number;
  by?: 'customerRef' | 'caseId';
}

export interface ReleasePolicy {
  flowKey: string;
  defaultVersion: number;
  pilots: PilotRule[];
  split: ReleaseSplit | null;
  revision: number;
  updatedBy: string;
  updatedAt: IsoTime;
}

export interface CaseRecord {
  id: string;
  flowKey: string;
  version: number;
  status: CaseStatus;
  state: CaseState;
  /** Columns derived from the state for searching. */
  customerRef: string | null;
  branch: string | null;
  priority: number;
  breached: boolean;
  openIncidents: number;
  /** Node ids where a token waits. */
  waitingAt: string[];
  /** Name of the API key that started the case (an `app` key sees only its own cases). */
  createdBy: string;
  parentCaseId: string | null;
  parentRequestId: string | null;
  /** Optimistic concurrency: an update names the row version it read. */
  rowVersion: number;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface CaseFilter {
  flowKey?: string;
  version?: number;
  status?: CaseStatus;
  waitingAt?: string;
  breached?: boolean;
  customerRef?: string;
  branch?: string;
  hasIncident?: boolean;
  createdBy?: string;
  /** Cases started at or after this instant. */
  startedFrom?: IsoTime;
  /** Cases started before this instant. */
  startedTo?: IsoTime;
}

/** Keyset cursor for case lists (newest first). */
export interface CaseCursor {
  createdAt: IsoTime;
  id: string;
}

export type TaskStatus = 'open' | 'claimed' | 'completed' | 'cancelled';

export interface TaskRecord {
  /** Globally unique id (the engine's task id is unique only within its case). */
  id: string;
  caseId: string;
  engineTaskId: string;
  tokenId: string;
  nodeId: string;
  flowKey: string;
  /** The flow version the case runs on. */
  version: number;
  /** Copied from the case when the task opens, so a work list needs no case reads. */
  customerRef: string | null;
  branch: string | null;
  channel: string | null;
  name: LocalizedText;
  queue: string;
  roles: string[];
  priority: number;
  form: FormField[];
  dueAt: IsoTime | null;
  warnAt: IsoTime | null;
  excludedActors: string[];
  status: TaskStatus;
  assignee: string | null;
  completedBy: string | null;
  createdAt: IsoTime;
  updatedAt: IsoTime;
  closedAt: IsoTime | null;
  rowVersion: number;
}

export interface TaskFilter {
  /** Only these queues; undefined = every queue. */
  queues?: string[];
  statuses: TaskStatus[];
  caseId?: string;
  assignee?: string;
  flowKey?: string;
  /** Only tasks of one of these branches. */
  branches?: string[];
  /** Only tasks due before this instant (tasks without a due time never match). */
  dueBefore?: IsoTime;
  /** Only tasks due at or after this instant. */
  dueAfter?: IsoTime;
  /** Only tasks past (true) or within (false) their due time at `at`, as `sla` says (closed tasks at their closing). */
  breached?: { value: boolean; at: IsoTime };
}

/** Keyset cursor for work lists (priority desc, due time asc with no due time last, then age). */
export interface TaskCursor {
  priority: number;
  dueAt: IsoTime | null;
  createdAt: IsoTime;
  id: string;
}

export type TimerStatus = 'scheduled' | 'fired' | 'cancelled' | 'stale' | 'failed';

export interface TimerRecord {
  caseId: string;
  timerId: string;
  dueAt: IsoTime;
  /** When the scheduler may next try it: the due time, later after a failed attempt. */
  runAt: IsoTime;
  purpose: TimerPurpose;
  nodeId: string | null;
  status: TimerStatus;
  attempts: number;
  lastError: string | null;
  createdAt: IsoTime;
  firedAt: IsoTime | null;
}

export type OutboxKind = 'service.call' | 'sub-flow.start' | 'sub-flow.cancel' | 'sub-flow.ended' | 'event' | 'notify';
export type OutboxStatus = 'pending' | 'done' | 'failed';

/** Work to do after a commit: connector calls, sub-flow plumbing, events and notifications. */
export interface OutboxRecord {
  id: string;
  caseId: string | null;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  runAt: IsoTime;
  leaseOwner: string | null;
  leaseUntil: IsoTime | null;
  lastError: string | null;
  createdAt: IsoTime;
  doneAt: IsoTime | null;
}

export interface AuditEntryRecord {
  /** `case:<id>`, `flow:<key>`, `list:<name>`, `calendar:<id>`: one hash chain per stream. */
  stream: string;
  seq: number;
  at: IsoTime;
  actor: string | null;
  /** The entry; null when the stored text no longer parses (tampering). */
  entry: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

export interface AuditHead {
  stream: string;
  seq: number;
  hash: string;
}

export interface NewAuditEntry {
  at: IsoTime;
  actor: string | null;
  entry: Record<string, unknown>;
}

export interface IdempotencyRecord {
  caller: string;
  key: string;
  /** Method, path and body hash of the first request: the same key with another request is refused. */
  requestHash: string;
  status: number;
  body: unknown;
  createdAt: IsoTime;
}

export type ListKind = 'whitelist' | 'blacklist' | 'other';

export interface ListRecord {
  name: string;
  kind: ListKind;
  description: string | null;
  revision: number;
  size: number;
  updatedBy: string;
  updatedAt: IsoTime;
}

export interface ListEntry {
  value: string;
  note: string | null;
  addedBy: string;
  addedAt: IsoTime;
}

export interface CalendarRecord {
  id: string;
  calendar: Record<string, unknown>;
  revision: number;
  updatedBy: string;
  updatedAt: IsoTime;
}

/**
 * The process-health projection of one case: its `CaseFacts` (engine/src/health), kept current in
 * the transaction of every step, with the columns health queries filter on copied out of it.
 */
export interface CaseFactsRecord {
  caseId: string;
  flowKey: string;
  version: number;
  status: CaseStatus;
  outcome: string | null;
  startedAt: IsoTime;
  endedAt: IsoTime | null;
  cycleMs: number | null;
  cycleWorkingMs: number | null;
  stp: boolean | null;
  rework: number;
  incidents: number;
  caseSla: string | null;
  dims: Record<string, DimValue>;
  facts: CaseFacts;
  /** Sequence number of the last entry of the case's audit stream folded into `facts`. */
  seq: number;
  updatedAt: IsoTime;
}

/** An ended case's facts row, and which digests do not hold it yet. */
export interface UndigestedCaseFacts extends CaseFactsRecord {
  missingFrom: HealthDigestRecord['basis'][];
}

/** The digests an ended case is not in yet, from its two marks. */
export function missingFrom(notEnded: boolean, notStarted: boolean): HealthDigestRecord['basis'][] {
  return [...(notEnded ? (['ended'] as const) : []), ...(notStarted ? (['started'] as const) : [])];
}

/** Which case facts to read: one flow, optionally some versions, and the cases alive during a period. */
export interface CaseFactsQuery {
  flowKey: string;
  versions?: number[];
  /** Cases not ended before this instant (open cases included). */
  endedFrom?: IsoTime;
  /** Cases started before this instant. */
  startedBefore?: IsoTime;
  /**
   * Only cases whose dimensions take one of the listed values, every dimension applying (typed as
   * the facts: the string "3" is not the number 3; `null` matches a missing value too) — the
   * engine's dimension filter, done by the database so a filtered report reads only its cases.
   */
  dims?: Record<string, DimValue[]>;
}

/** Which open work to gather: a flow's cases (versions, dimensions as for case facts) at a moment. */
export interface OpenWorkQuery {
  flowKey: string;
  versions?: number[];
  dims?: Record<string, DimValue[]>;
  /** The moment: cases started before it and not ended by it; tasks opened by it. */
  at: IsoTime;
  /** Tasks that operators completed on cases still open: those within [from, to), counted per local day at this offset (±HH:MM). */
  work: { from?: IsoTime; to?: IsoTime; utcOffset: string };
}

/**
 * What work-in-progress, queue and operator figures need of a flow's open cases, gathered by the
 * database (numbers, not documents), by flow version.
 */
export interface OpenWorkSummary {
  /** When each case open at the moment started (epoch ms); `open`: it is still open now (else it ended since). */
  starts: { version: number; open: boolean; startedMs: number[] }[];
  /** The tasks of open cases opened by the moment, by queue and whether claimed. */
  tasks: { version: number; queue: string; claimed: boolean; openedMs: number[]; oldest: string }[];
  /** Tasks completed on cases still open, per operator and local day. */
  work: { version: number; actor: string; day: string; tasks: number }[];
  /** Cases open now, however late they started. */
  openNow: { version: number; cases: number }[];
}

/**
 * The process-health figures of the cases of one flow version that ended on one local day (of the
 * flow's calendar), for all of them (`dim` and `value` empty) or for those whose dimension `dim`
 * has the value `value` (the value as JSON: `"B01"`, `3`, `true`, `null`).
 */
export interface HealthDigestRecord {
  flowKey: string;
  /** Which day keys the row: the local day the cases ended on (`ended`, table health_digests), or started on (`started`, health_start_digests). */
  basis: 'ended' | 'started';
  version: number;
  dim: string;
  value: string;
  day: string;
  cases: number;
  /** The mergeable digest, and the tasks those cases' operators completed, per staff id and local day. */
  digest: { digest: HealthDigest; work: Record<string, Record<string, number>> } | null;
}

export type HealthDigestKey = Pick<HealthDigestRecord, 'flowKey' | 'basis' | 'version' | 'dim' | 'value' | 'day'>;

/** Which digests to read: one flow and one dimension (empty for the totals), optionally some versions, values and days. */
export interface HealthDigestQuery {
  flowKey: string;
  /** Rows by end day (default) or by start day. */
  basis?: 'ended' | 'started';
  dim: string;
  versions?: number[];
  values?: string[];
  /** Inclusive local date. */
  fromDay?: string;
  /** Exclusive local date. */
  toDay?: string;
}

/** Every operation; inside `transaction` they share one database transaction. */
export interface StoreTx {
  // Flows, drafts and versions
  getFlow(key: string): Promise<FlowRecord | undefined>;
  listFlows(): Promise<FlowSummary[]>;
  /** Keys of the flows with at least one published version, in byte order (reads no drafts). */
  listPublishedFlowKeys(): Promise<string[]>;
  /** Throws StoreConflictError `flow.exists` when the key is taken. */
  insertFlow(flow: FlowRecord): Promise<void>;
  /** Saves the draft if its revision is still `expectedRevision`; else StoreConflictError `draft.revision.stale`. */
  saveDraft(key: string, expectedRevision: number, draft: Record<string, unknown>, actor: string, at: IsoTime): Promise<FlowRecord>;
  /** Throws StoreConflictError `version.exists` when that number is taken (a concurrent publish). */
  insertVersion(version: FlowVersion): Promise<void>;
  getVersion(key: string, version: number): Promise<FlowVersion | undefined>;
  listVersions(key: string): Promise<FlowVersionMeta[]>;
  /** Highest published version, 0 when none. */
  latestVersion(key: string): Promise<number>;
  getReleasePolicy(key: string): Promise<ReleasePolicy | undefined>;
  /** Writes the policy if its stored revision is `expectedRevision` (0 = none yet). */
  putReleasePolicy(policy: ReleasePolicy, expectedRevision: number): Promise<ReleasePolicy>;

  // Cases
  insertCase(c: CaseRecord): Promise<void>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  /** Writes `c` if the stored row version is still `c.rowVersion`; returns it with the next row version. */
  updateCase(c: CaseRecord): Promise<CaseRecord>;
  findChildCase(parentCaseId: string, parentRequestId: string): Promise<CaseRecord | undefined>;
  /** Newest first. */
  listCases(filter: CaseFilter, limit: number, after?: CaseCursor): Promise<CaseRecord[]>;

  // Tasks
  insertTask(t: TaskRecord): Promise<void>;
  getTask(id: string): Promise<TaskRecord | undefined>;
  getTaskByEngineId(caseId: string, engineTaskId: string): Promise<TaskRecord | undefined>;
  /** Writes `t` if the stored row version is still `t.rowVersion`; returns it with the next row version. */
  updateTask(t: TaskRecord): Promise<TaskRecord>;
  listTasks(filter: TaskFilter, limit: number, after?: TaskCursor): Promise<TaskRecord[]>;
  listCaseTasks(caseId: string): Promise<TaskRecord[]>;
  /**
   * The sum of the change counters of these queues (every queue when undefined). Each task
   * written (opened, or updated in any way) adds one to the counter of its queue, and a task moved
   * to another queue to both; so the sum changes whenever a work list of those queues may have.
   */
  taskChanges(queues?: string[]): Promise<number>;

  // Timers
  insertTimer(t: TimerRecord): Promise<void>;
  getTimer(caseId: string, timerId: string): Promise<TimerRecord | undefined>;
  /**
   * The next scheduled timer whose run time has come. PostgreSQL locks it
   * (`FOR UPDATE SKIP LOCKED`) until the transaction ends, so two processes never take the same one.
   */
  takeDueTimer(now: IsoTime): Promise<TimerRecord | undefined>;
  /** Conditional update: writes `t` only if the stored status is still `fromStatus`. Returns whether it did. */
  updateTimer(t: TimerRecord, fromStatus: TimerStatus): Promise<boolean>;
  listCaseTimers(caseId: string): Promise<TimerRecord[]>;
  countDueTimers(now: IsoTime): Promise<number>;

  // Audit (hash-chained per stream)
  appendAudit(stream: string, entries: NewAuditEntry[]): Promise<AuditEntryRecord[]>;
  listAudit(stream: string, afterSeq?: number, limit?: number): Promise<AuditEntryRecord[]>;
  auditHead(stream: string): Promise<AuditHead | undefined>;

  // Outbox
  insertOutbox(rows: OutboxRecord[]): Promise<void>;
  /** Leases up to `limit` pending rows whose run time has come and whose lease (if any) expired. */
  claimOutbox(now: IsoTime, owner: string, leaseUntil: IsoTime, limit: number): Promise<OutboxRecord[]>;
  getOutbox(id: string): Promise<OutboxRecord | undefined>;
  /** Writes `row` only if `owner` still holds its lease (or the row is unleased when owner is null). */
  updateOutbox(row: OutboxRecord, owner: string | null): Promise<boolean>;
  listCaseOutbox(caseId: string): Promise<OutboxRecord[]>;
  countPendingOutbox(): Promise<number>;

  // Idempotency
  getIdempotency(caller: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Throws StoreConflictError `idempotency.exists` when the key is taken. */
  putIdempotency(rec: IdempotencyRecord): Promise<void>;
  /** Forgets keys older than `before` (the idempotency window). Returns how many. */
  purgeIdempotency(before: IsoTime): Promise<number>;

  // Lists (whitelists and blacklists for `inList` rules)
  listLists(): Promise<ListRecord[]>;
  getList(name: string): Promise<ListRecord | undefined>;
  getListEntries(name: string): Promise<ListEntry[]>;
  /** Creates or replaces a list and its entries. */
  putList(list: Omit<ListRecord, 'revision' | 'size'>, entries: ListEntry[]): Promise<ListRecord>;
  addListEntries(name: string, entries: ListEntry[], actor: string, at: IsoTime): Promise<ListRecord>;
  removeListEntries(name: string, values: string[], actor: string, at: IsoTime): Promise<ListRecord>;
  /** Bumped by every list change, so each process can tell when its cache is stale. */
  listsGeneration(): Promise<number>;
  /** Every entry of every list, for the cache behind `inList`. */
  allListValues(): Promise<{ name: string; value: string }[]>;

  // Process-health projection (one row per case)
  getCaseFacts(caseId: string): Promise<CaseFactsRecord | undefined>;
  /**
   * Writes the case's row. With `expectedSeq`, only if the stored row is still at that `seq`
   * (null: there is none yet), and flow, version, start and dimensions are written with the first
   * row only (they never change for a case); without it, inserts or replaces the whole row.
   * Returns whether it wrote.
   */
  putCaseFacts(row: CaseFactsRecord, expectedSeq?: number | null): Promise<boolean>;
  /** Rows of a flow, oldest case first. */
  listCaseFacts(query: CaseFactsQuery): Promise<CaseFactsRecord[]>;
  /** The open work of a flow's cases at a moment (see `OpenWorkSummary`). */
  openWork(query: OpenWorkQuery): Promise<OpenWorkSummary>;
  /** Ids of up to `limit` cases of the flow whose projection is missing or behind their audit stream. */
  listCasesBehindFacts(flowKey: string, limit: number): Promise<string[]>;
  /**
   * Whether every case of the flow was found folded into its projection (`markFactsCaughtUp`) and
   * nothing since made a case fall behind (`clearFactsCaughtUp`): then a health query need not
   * check every case against its journal first.
   */
  factsCaughtUp(flowKey: string): Promise<boolean>;
  markFactsCaughtUp(flowKey: string, at: IsoTime): Promise<void>;
  /** Forgets the mark of every flow: a fold failed, or a runtime steps cases without the projection. */
  clearFactsCaughtUp(): Promise<void>;
  /**
   * Entries of case streams appended after `position` in the order they were committed, oldest
   * first, at most `limit`, and the position of the last one (`position` itself when there are
   * none). Only a store whose journal has a commit order has it (the embedded store: one writer at
   * a time); in PostgreSQL, transactions commit out of the order their rows were numbered in, and
   * the runtime folds each step in its own transaction instead.
   */
  caseEntriesAfter?(position: number, limit: number): Promise<{ entries: AuditEntryRecord[]; position: number }>;
  /** How far into the journal (`caseEntriesAfter`) the process-health facts have been folded. */
  factsPosition?(): Promise<number>;
  setFactsPosition?(position: number): Promise<void>;
  /**
   * Up to `limit` rows of ended cases missing from the digests by end day or by start day, each
   * saying which (PostgreSQL: locked, skipping rows another process holds).
   */
  takeUndigestedCaseFacts(limit: number): Promise<UndigestedCaseFacts[]>;
  /** Marks cases as in both kinds of digests. */
  markCaseFactsDigested(caseIds: string[]): Promise<void>;
  /** The digest row for a key, created empty if missing and locked until the transaction ends (PostgreSQL). */
  lockHealthDigest(key: HealthDigestKey): Promise<HealthDigestRecord>;
  putHealthDigest(row: HealthDigestRecord): Promise<void>;
  /** Digest rows, by version, value and day. */
  listHealthDigests(query: HealthDigestQuery): Promise<HealthDigestRecord[]>;

  // Business calendars
  listCalendars(): Promise<CalendarRecord[]>;
  getCalendar(id: string): Promise<CalendarRecord | undefined>;
  /** Writes if the stored revision is `expectedRevision` (0 = new). */
  putCalendar(id: string, calendar: Record<string, unknown>, expectedRevision: number, actor: string, at: IsoTime): Promise<CalendarRecord>;
}

export interface Store extends StoreTx {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: all of its writes commit together, or none do. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** A quick round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** An optimistic check failed or a unique key was taken. `current` carries what is stored now. */
export class StoreConflictError extends Error {
  constructor(
    readonly code: string,
    readonly current?: Record<string, unknown>,
  ) {
    super(code);
    this.name = 'StoreConflictError';
  }
}

/** A store method was called on the store from inside one of its own transactions. */
export class StoreMisuseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreMisuseError';
  }
}

/** The filter with each status, queue and branch named once. */
export function distinctTaskFilter(f: TaskFilter): TaskFilter {
  return {
    ...f,
    statuses: [...new Set(f.statuses)],
    ...(f.queues ? { queues: [...new Set(f.queues)] } : {}),
    ...(f.branches ? { branches: [...new Set(f.branches)] } : {}),
  };
}
