/**
 * The runtime: it loads a case, lets the engine decide one step, and writes everything the step
 * caused (new state, tasks, timers, audit entries, outbox rows) in the same transaction.
 * HTTP handlers, the scheduler and the outbox worker all move cases through here.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { pino } from 'pino';
import {
  caseFields,
  cnMainlandCalendar,
  getPath,
  isRejected,
  step,
  type Actor,
  type AuditRecord,
  type BusinessCalendar,
  type CaseState,
  type Effect,
  type FlowDefinition,
  type StepEnv,
  type StepInput,
  type StepRejection,
  type StepResult,
} from '@flowpath/engine';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { HttpProblem } from '../http/problem';
import { newId } from '../ids';
import {
  StoreConflictError,
  type AuditEntryRecord,
  type CaseRecord,
  type IsoTime,
  type NewAuditEntry,
  type OutboxRecord,
  type Store,
  type StoreTx,
  type TaskRecord,
  type TimerRecord,
} from '../store/store';
import { ConnectorRegistry, type Connector } from '../connectors/connector';
import { CaseFactsProjection, caseIdOfStream } from '../health/projection';
import { CaseFactsProjector } from '../health/projector';
import { DefinitionCache } from './definitions';
import { ListsCache } from './lists-cache';
import { chooseVersion } from './release-policy';
import { OutboxWorker, type EventSink } from './outbox-worker';
import { Scheduler } from './scheduler';

export interface RuntimeOptions {
  store: Store;
  clock?: Clock;
  connectors?: readonly Connector[];
  logger?: Logger;
  /** Where `event.emit` and `notify` effects go after commit (default: the log). */
  eventSink?: EventSink;
  /** How long the outbox worker holds a row before another worker may take it over (default 60 s). */
  leaseMs?: number;
  /**
   * Keep the process-health projection (`case_facts`) current (default true; off only to measure
   * its cost). `deferred` folds the journal in batches shortly after the steps commit (the default
   * where the store keeps a commit order of its journal: the embedded store); `inline` folds each
   * step in its own transaction (the default on PostgreSQL). See docs/decisions/0073.
   */
  healthProjection?: boolean | 'inline' | 'deferred';
  /** With the deferred projection: how long after a step its journal is folded (default 200 ms; `Infinity`: only when asked). */
  healthProjectionDelayMs?: number;
}

/** Per-transaction bookkeeping: what to do once it has committed. */
export interface TxScope {
  outboxWritten: boolean;
  afterCommit: (() => void)[];
  /** Cases this transaction changed, announced on `runtime.changes` after commit. */
  changedCases: Set<string>;
}

/**
 * A step that was applied. `created` is there when the step started the case: everything the case
 * has was written by this step, so its tasks and history need not be read back.
 */
export type StepOutcome = { record: CaseRecord; result: StepResult; created?: { tasks: TaskRecord[]; history: AuditEntryRecord[] } } | { rejected: StepRejection };

export interface StartOptions {
  flowKey: string;
  /** Explicit version; otherwise the flow's release policy chooses. */
  version?: number;
  data: Record<string, unknown>;
  actor: Actor;
  /** Key name recorded as the case's creator (an app key sees its own cases). */
  createdBy: string;
  parentCaseId?: string;
  parentRequestId?: string;
}

/** Conflicts that mean "someone else wrote first": the transaction is retried from the start. */
const RETRYABLE = new Set(['case.changed', 'task.changed', 'idempotency.exists']);
const MAX_ATTEMPTS = 5;

/** The name of a case's audit stream. */
export const caseStream = (caseId: string): string => `case:${caseId}`;

export class FlowpathRuntime {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly connectors: ConnectorRegistry;
  readonly definitions = new DefinitionCache();
  readonly lists = new ListsCache();
  readonly scheduler: Scheduler;
  readonly worker: OutboxWorker;
  private readonly calendarCache = new Map<string, { revision: number; calendar: BusinessCalendar }>();
  /** The calendar last read, and in which transaction. */
  private calendarRead: { tx: StoreTx; id: string; calendar: BusinessCalendar } | undefined;
  /** Emits `case` with the case id after every commit that changed it (in this process). */
  readonly changes = new EventEmitter();
  /** The process-health projection; null when switched off. */
  readonly health: CaseFactsProjection | null;
  /** With the deferred projection, what folds the journal into it after the steps commit; null when each step folds its own entries. */
  readonly factsProjector: CaseFactsProjector | null;
  /** Without the projection, the first step clears the stores' "facts caught up" marks (cases now fall behind). */
  private factsMarkCleared = false;

  constructor(opts: RuntimeOptions) {
    this.store = opts.store;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? pino({ level: 'silent' });
    this.connectors = new ConnectorRegistry(opts.connectors ?? []);
    this.scheduler = new Scheduler(this);
    this.worker = new OutboxWorker(this, { leaseMs: opts.leaseMs ?? 60_000, sink: opts.eventSink });
    this.health =
      opts.healthProjection === false
        ? null
        : new CaseFactsProjection({ definition: (tx, key, version) => this.definitions.definition(tx, key, version), calendar: (tx, id) => this.calendar(tx, id), logger: this.logger });
    const deferred = opts.healthProjection === 'deferred' || ((opts.healthProjection ?? true) === true && CaseFactsProjector.supports(this.store));
    if (opts.healthProjection === 'deferred' && !CaseFactsProjector.supports(this.store)) {
      throw new Error(`the deferred process-health projection needs a journal in commit order, which the ${this.store.kind} store does not keep`);
    }
    this.factsProjector =
      this.health && deferred
        ? new CaseFactsProjector(this.store, this.health, () => this.now(), this.logger, opts.healthProjectionDelayMs !== undefined ? { delayMs: opts.healthProjectionDelayMs } : {})
        : null;
  }

  /** Current time as stored: ISO 8601 UTC. */
  now(): IsoTime {
    return this.clock.now().toISOString();
  }

  /**
   * Runs `fn` in one store transaction, retrying it whole when another writer changed a case or
   * task first (optimistic concurrency), then runs the after-commit hooks (waking the worker).
   */
  async transact<T>(fn: (tx: StoreTx, scope: TxScope) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const scope: TxScope = { outboxWritten: false, afterCommit: [], changedCases: new Set() };
      try {
        const result = await this.store.transaction((tx) => fn(tx, scope));
        if (scope.outboxWritten) this.worker.kick();
        for (const f of scope.afterCommit) f();
        for (const id of scope.changedCases) this.changes.emit('case', id);
        return result;
      } catch (e) {
        if (e instanceof StoreConflictError && RETRYABLE.has(e.code) && attempt < MAX_ATTEMPTS) continue;
        throw e;
      }
    }
  }

  /** The business calendar a flow counts working time in (read once per transaction: the step and the health projection both ask). */
  async calendar(tx: StoreTx, id: string): Promise<BusinessCalendar> {
    const last = this.calendarRead;
    if (last?.tx === tx && last.id === id) return last.calendar;
    const calendar = await this.readCalendar(tx, id);
    this.calendarRead = { tx, id, calendar };
    return calendar;
  }

  private async readCalendar(tx: StoreTx, id: string): Promise<BusinessCalendar> {
    const rec = await tx.getCalendar(id);
    if (!rec) {
      if (id === cnMainlandCalendar.id) return cnMainlandCalendar;
      throw new Error(`business calendar ${id} is not configured`);
    }
    const hit = this.calendarCache.get(id);
    if (hit && hit.revision === rec.revision) return hit.calendar;
    const calendar = rec.calendar as unknown as BusinessCalendar;
    this.calendarCache.set(id, { revision: rec.revision, calendar });
    return calendar;
  }

  /** What a step may consult besides the case: calendar and list membership. */
  async env(tx: StoreTx, def: FlowDefinition): Promise<StepEnv> {
    await this.lists.refresh(tx);
    return {
      calendar: await this.calendar(tx, def.calendar ?? cnMainlandCalendar.id),
      isInList: (list, value) => this.lists.has(list, value),
    };
  }

  /** Starts a case inside `tx`. The version comes from `opts.version` or the release policy. */
  async startCase(tx: StoreTx, scope: TxScope, opts: StartOptions): Promise<StepOutcome> {
    // A published version proves the flow exists; the flow row (with its whole draft) is read only
    // to tell a missing flow from an unpublished one or a missing version.
    const assertFlow = async (): Promise<void> => {
      if (!(await tx.getFlow(opts.flowKey))) throw new HttpProblem(404, 'flow.not-found', `There is no flow ${opts.flowKey}.`);
    };
    const caseId = newId();
    let version = opts.version;
    if (version === undefined) {
      const policy = await tx.getReleasePolicy(opts.flowKey);
      const latest = await tx.latestVersion(opts.flowKey);
      if (latest === 0) {
        await assertFlow();
        throw new HttpProblem(409, 'flow.unpublished', `Flow ${opts.flowKey} has no published version yet.`);
      }
      const probe = await this.probeCustomerRef(tx, opts.flowKey, policy?.defaultVersion ?? latest, opts.data);
      await this.lists.refresh(tx);
      version = chooseVersion(policy, latest, opts.data, caseId, probe, (list, value) => this.lists.has(list, value), this.now());
    }
    const v = await this.definitions.get(tx, opts.flowKey, version);
    if (!v) {
      await assertFlow();
      throw new HttpProblem(404, 'flow.version.not-found', `Flow ${opts.flowKey} has no version ${version}.`);
    }
    const now = this.now();
    const input: StepInput = { type: 'start', caseId, flowKey: opts.flowKey, version, data: opts.data, actor: opts.actor };
    const out = step(v.definition, null, input, now, await this.env(tx, v.definition));
    if (isRejected(out)) return out;
    const { record, tasks, history } = await this.apply(tx, scope, null, v.definition, out, {
      now,
      actor: opts.actor.id,
      createdBy: opts.createdBy,
      parentCaseId: opts.parentCaseId ?? null,
      parentRequestId: opts.parentRequestId ?? null,
    });
    return { record, result: out, created: { tasks, history } };
  }

  private async probeCustomerRef(tx: StoreTx, key: string, version: number, data: Record<string, unknown>): Promise<string | null> {
    const v = await this.definitions.get(tx, key, version);
    return v ? customerRefOf(v.definition, data) : null;
  }

  /** Applies one input to a case inside `tx`; a refusal is returned, not thrown, and writes nothing. */
  async stepCase(tx: StoreTx, scope: TxScope, c: CaseRecord, input: StepInput, actor: string | null): Promise<StepOutcome> {
    const def = await this.definitions.definition(tx, c.flowKey, c.version);
    const now = this.now();
    const out = step(def, c.state, input, now, await this.env(tx, def));
    if (isRejected(out)) return out;
    const { record } = await this.apply(tx, scope, c, def, out, {
      now,
      actor,
      createdBy: c.createdBy,
      parentCaseId: c.parentCaseId,
      parentRequestId: c.parentRequestId,
    });
    return { record, result: out };
  }

  /** Appends entries to an audit stream. */
  async audit(tx: StoreTx, stream: string, entries: NewAuditEntry[]): Promise<void> {
    const appended = await tx.appendAudit(stream, entries);
    const caseId = caseIdOfStream(stream);
    if (caseId === undefined) return;
    await this.journaled(tx, caseId, appended, this.now());
  }

  /**
   * Entries were appended to a case's journal: the deferred projector folds them after commit, or
   * they are folded now (inline); without the projection the facts fall behind.
   */
  private async journaled(tx: StoreTx, caseId: string, appended: readonly AuditEntryRecord[], now: IsoTime, def?: FlowDefinition): Promise<void> {
    if (this.factsProjector) this.factsProjector.noteAppended();
    else if (this.health) await this.health.appended(tx, caseId, appended, now, def);
    else await this.factsFallBehind(tx);
  }

  /** A step without the projection leaves its case's facts behind the journal: the next health query must look. */
  private async factsFallBehind(tx: StoreTx): Promise<void> {
    if (this.factsMarkCleared) return;
    this.factsMarkCleared = true;
    await tx.clearFactsCaughtUp();
  }

  /** Writes outbox rows and remembers to wake the worker after commit. */
  async enqueue(tx: StoreTx, scope: TxScope, rows: Omit<OutboxRecord, 'id' | 'status' | 'attempts' | 'leaseOwner' | 'leaseUntil' | 'lastError' | 'doneAt' | 'createdAt' | 'runAt'>[]): Promise<void> {
    if (rows.length === 0) return;
    const now = this.now();
    await tx.insertOutbox(
      rows.map((r) => ({
        ...r,
        id: newId(),
        status: 'pending',
        attempts: 0,
        runAt: now,
        leaseOwner: null,
        leaseUntil: null,
        lastError: null,
        createdAt: now,
        doneAt: null,
      })),
    );
    scope.outboxWritten = true;
  }

  private async apply(
    tx: StoreTx,
    scope: TxScope,
    before: CaseRecord | null,
    def: FlowDefinition,
    result: StepResult,
    meta: { now: IsoTime; actor: string | null; createdBy: string; parentCaseId: string | null; parentRequestId: string | null },
  ): Promise<{ record: CaseRecord; tasks: TaskRecord[]; history: AuditEntryRecord[] }> {
    const state = result.state;
    /** Tasks this step opened or changed, as written. */
    const tasks = new Map<string, TaskRecord>();
    const columns = caseColumns(def, state);
    let record: CaseRecord;
    if (before === null) {
      record = {
        id: state.id,
        flowKey: state.flowKey,
        version: state.version,
        state,
        ...columns,
        createdBy: meta.createdBy,
        parentCaseId: meta.parentCaseId,
        parentRequestId: meta.parentRequestId,
        rowVersion: 1,
        createdAt: meta.now,
        updatedAt: meta.now,
      };
      await tx.insertCase(record);
    } else {
      record = await tx.updateCase({ ...before, state, ...columns, updatedAt: meta.now });
    }

    scope.changedCases.add(record.id);
    const outbox: Parameters<FlowpathRuntime['enqueue']>[2] = [];
    const effectMeta = { ...meta, channel: channelOf(def, state.data) };
    for (const effect of result.effects) {
      await this.applyEffect(tx, record, effect, effectMeta, outbox, tasks);
    }

    const ended = record.status !== 'waiting' && (before === null || before.status === 'waiting');
    if (ended) {
      await this.closeLeftovers(tx, record, meta.now, tasks);
      if (record.parentCaseId && record.parentRequestId) {
        outbox.push({
          caseId: record.parentCaseId,
          kind: 'sub-flow.ended',
          payload: {
            parentCaseId: record.parentCaseId,
            requestId: record.parentRequestId,
            childCaseId: record.id,
            status: record.status,
            outcome: state.outcome ?? record.status,
            data: state.data,
          },
        });
      }
    }
    await this.enqueue(tx, scope, outbox);
    const appended = await tx.appendAudit(caseStream(record.id), result.audit.map((a) => auditEntry(a, meta.actor)));
    await this.journaled(tx, record.id, appended, meta.now, def);
    return { record, tasks: [...tasks.values()], history: appended };
  }

  private async applyEffect(
    tx: StoreTx,
    c: CaseRecord,
    effect: Effect,
    meta: { now: IsoTime; actor: string | null; createdBy: string; channel: string | null },
    outbox: Parameters<FlowpathRuntime['enqueue']>[2],
    written: Map<string, TaskRecord>,
  ): Promise<void> {
    switch (effect.type) {
      case 'task.open': {
        const t = effect.task;
        const task: TaskRecord = {
          id: newId(),
          caseId: c.id,
          engineTaskId: t.taskId,
          tokenId: t.tokenId,
          nodeId: t.nodeId,
          flowKey: c.flowKey,
          version: c.version,
          customerRef: c.customerRef,
          branch: c.branch,
          channel: meta.channel,
          name: t.name,
          queue: t.queue,
          roles: t.roles,
          priority: t.priority,
          form: t.form,
          dueAt: t.dueAt ?? null,
          warnAt: t.warnAt ?? null,
          excludedActors: t.excludedActors,
          status: 'open',
          assignee: null,
          completedBy: null,
          createdAt: meta.now,
          updatedAt: meta.now,
          closedAt: null,
          rowVersion: 1,
        };
        await tx.insertTask(task);
        written.set(task.id, task);
        return;
      }
      case 'task.close': {
        const t = await tx.getTaskByEngineId(c.id, effect.taskId);
        if (!t) throw new Error(`case ${c.id} closes unknown task ${effect.taskId}`);
        if (t.status === 'completed' || t.status === 'cancelled') return;
        const closed = await tx.updateTask({
          ...t,
          status: effect.reason,
          completedBy: effect.reason === 'completed' ? (meta.actor ?? t.assignee) : null,
          updatedAt: meta.now,
          closedAt: meta.now,
        });
        written.set(closed.id, closed);
        return;
      }
      case 'task.update': {
        const t = await tx.getTaskByEngineId(c.id, effect.taskId);
        if (!t || t.status === 'completed' || t.status === 'cancelled') return;
        const requeued = effect.queue !== undefined && effect.queue !== t.queue;
        const updated = await tx.updateTask({
          ...t,
          priority: effect.priority ?? t.priority,
          queue: effect.queue ?? t.queue,
          // A task escalated to another queue is up for grabs there.
          status: requeued ? 'open' : t.status,
          assignee: requeued ? null : t.assignee,
          updatedAt: meta.now,
        });
        written.set(updated.id, updated);
        return;
      }
      case 'timer.schedule': {
        const timer: TimerRecord = {
          caseId: c.id,
          timerId: effect.timerId,
          dueAt: effect.dueAt,
          runAt: effect.dueAt,
          purpose: effect.purpose,
          nodeId: effect.nodeId ?? null,
          status: 'scheduled',
          attempts: 0,
          lastError: null,
          createdAt: meta.now,
          firedAt: null,
        };
        await tx.insertTimer(timer);
        return;
      }
      case 'timer.cancel': {
        const t = await tx.getTimer(c.id, effect.timerId);
        if (t && t.status === 'scheduled') await tx.updateTimer({ ...t, status: 'cancelled' }, 'scheduled');
        return;
      }
      case 'service.call':
        outbox.push({
          caseId: c.id,
          kind: 'service.call',
          payload: { caseId: c.id, flowKey: c.flowKey, version: c.version, ...effect },
        });
        return;
      case 'sub-flow.start':
        outbox.push({
          caseId: c.id,
          kind: 'sub-flow.start',
          payload: { parentCaseId: c.id, createdBy: meta.createdBy, ...effect },
        });
        return;
      case 'sub-flow.cancel':
        outbox.push({ caseId: c.id, kind: 'sub-flow.cancel', payload: { parentCaseId: c.id, requestId: effect.requestId } });
        return;
      case 'event.emit':
        outbox.push({ caseId: c.id, kind: 'event', payload: { caseId: c.id, flowKey: c.flowKey, name: effect.name, payload: effect.payload } });
        return;
      case 'notify':
        outbox.push({ caseId: c.id, kind: 'notify', payload: { caseId: c.id, flowKey: c.flowKey, ...effect } });
        return;
    }
  }

  /** An ended case keeps no open task or pending timer, whatever the engine closed itself. */
  private async closeLeftovers(tx: StoreTx, c: CaseRecord, now: IsoTime, written: Map<string, TaskRecord>): Promise<void> {
    for (const t of await tx.listCaseTasks(c.id)) {
      if (t.status === 'open' || t.status === 'claimed') {
        const cancelled = await tx.updateTask({ ...t, status: 'cancelled', updatedAt: now, closedAt: now });
        written.set(cancelled.id, cancelled);
      }
    }
    for (const t of await tx.listCaseTimers(c.id)) {
      if (t.status === 'scheduled') await tx.updateTimer({ ...t, status: 'cancelled' }, 'scheduled');
    }
  }

  /**
   * Waits (up to `maxMs`) until the case no longer waits on an automatic step (a connector call
   * in flight, a sub-flow) — for callers that want the outcome of instant decisions in one call.
   * Returns the case as it is then.
   */
  async awaitAutomaticSteps(caseId: string, maxMs: number): Promise<CaseRecord | undefined> {
    const deadline = Date.now() + maxMs;
    for (;;) {
      const c = await this.store.getCase(caseId);
      const busy = c?.status === 'waiting' && c.state.tokens.some((t) => t.wait?.type === 'sub-flow' || (t.wait?.type === 'service' && t.wait.retryTimerId === undefined));
      const left = deadline - Date.now();
      if (!busy || left <= 0) return c;
      await new Promise<void>((resolve) => {
        const onChange = (id: string): void => {
          if (id !== caseId) return;
          done();
        };
        const timer = setTimeout(() => done(), Math.min(left, 250));
        const done = (): void => {
          clearTimeout(timer);
          this.changes.off('case', onChange);
          resolve();
        };
        this.changes.on('case', onChange);
      });
    }
  }

  /**
   * Fires due timers and works the outbox until neither has anything left to do now. Tests call
   * this after moving a manual clock; the server instead runs the scheduler and worker on intervals.
   */
  async settle(maxRounds = 100): Promise<{ timers: number; jobs: number }> {
    let timers = 0;
    let jobs = 0;
    for (let i = 0; i < maxRounds; i++) {
      const t = await this.scheduler.runDue();
      const j = await this.worker.runPending();
      timers += t;
      jobs += j;
      if (t === 0 && j === 0) break;
    }
    await this.factsProjector?.drain();
    return { timers, jobs };
  }

  /** Starts the background scheduler and outbox worker. */
  start(opts: { timerPollMs?: number; outboxPollMs?: number } = {}): void {
    this.scheduler.start(opts.timerPollMs ?? 250);
    this.worker.start(opts.outboxPollMs ?? 500);
  }

  /** Stops them and waits for the work in hand to finish. */
  async stop(): Promise<void> {
    await Promise.all([this.scheduler.stop(), this.worker.stop()]);
    // What is left of the journal is folded now; if the store cannot take it, the next process will.
    await this.factsProjector?.stop().catch((e: unknown) => this.logger.warn({ err: e }, 'process-health facts not folded at stop; the next start folds them'));
  }
}

/** The searchable columns of a case, derived from its state. */
export function caseColumns(
  def: FlowDefinition,
  state: CaseState,
): Pick<CaseRecord, 'status' | 'customerRef' | 'branch' | 'priority' | 'breached' | 'openIncidents' | 'waitingAt'> {
  return {
    status: state.status,
    customerRef: customerRefOf(def, state.data),
    branch: branchOf(def, state.data),
    priority: state.priority,
    breached: state.breaches.length > 0,
    openIncidents: state.incidents.length,
    waitingAt: [...new Set(state.tokens.filter((t) => t.wait !== undefined).map((t) => t.nodeId))],
  };
}

function scalarText(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/** Names a branch field may have (`branch`, `branchId`, `branchCode`). */
const BRANCH_FIELD = /^branch(?:Id|Code)?$/;

/** Where a case schema keeps the customer reference and the branch; derived once per schema object. */
interface KeyFieldPaths {
  customerRef: string | undefined;
  branch: string | undefined;
}

const keyFieldCache = new WeakMap<FlowDefinition['caseSchema'], KeyFieldPaths>();

/** The paths of the `customerRef` field and the branch field of a definition's case schema (cached: published schemas never change). */
export function keyFieldPaths(def: FlowDefinition): KeyFieldPaths {
  const hit = keyFieldCache.get(def.caseSchema);
  if (hit) return hit;
  const fields = caseFields(def.caseSchema);
  const branch = fields.find((x) => BRANCH_FIELD.test(x.path)) ?? fields.find((x) => x.field.dimension && BRANCH_FIELD.test(x.path.split('.').at(-1) as string));
  const paths: KeyFieldPaths = { customerRef: fields.find((x) => x.field.customerRef)?.path, branch: branch?.path };
  keyFieldCache.set(def.caseSchema, paths);
  return paths;
}

/** The value of the case-schema field marked `customerRef`, as text. */
export function customerRefOf(def: FlowDefinition, data: Record<string, unknown>): string | null {
  const path = keyFieldPaths(def).customerRef;
  return path === undefined ? null : scalarText(getPath(data, path));
}

/** The branch a case belongs to: a top-level or dimension field named branch, branchId or branchCode. */
export function branchOf(def: FlowDefinition, data: Record<string, unknown>): string | null {
  const path = keyFieldPaths(def).branch;
  return path === undefined ? null : scalarText(getPath(data, path));
}

/** The channel a case came in through: a top-level field named `channel`, as text. */
export function channelOf(def: FlowDefinition, data: Record<string, unknown>): string | null {
  return caseFields(def.caseSchema).some((x) => x.path === 'channel') ? scalarText(data.channel) : null;
}

function auditEntry(a: AuditRecord, actor: string | null): NewAuditEntry {
  return { at: a.at, actor: a.actor ?? actor, entry: a as unknown as Record<string, unknown> };
}
