/**
 * Loads a generated history (engine `generateHistory`) into a store, as if the runtime had run
 * it: the versions are published with a release policy that pilots the new version at the chosen
 * branches, and each case gets its row, its hash-chained journal, its open tasks, its pending
 * timers (so SLA warnings and breaches fire once the server runs), the connector calls still in
 * flight, and its process-health projection. A store that already holds cases is refused: a demo
 * history never mixes with real ones.
 */
import { randomUUID } from 'node:crypto';
import {
  caseFacts,
  cnMainlandCalendar,
  generateHistory,
  type AuditRecord,
  type BusinessCalendar,
  type FlowDefinition,
  type HistoryCase,
  type HistorySpec,
} from '@flowpath/engine';
import { contentHash } from '../hash';
import { caseColumns, caseStream, channelOf, type FlowpathRuntime } from '../runtime/runtime';
import type { CaseRecord, OutboxRecord, StoreTx, TaskRecord, TimerRecord } from '../store/store';
import { drainDigests } from './digests';
import { caseFactsRow } from './projection';

/** Who the loaded history is recorded as (versions, policy, lists, case creator). */
export const SIMULATE_ACTOR = 'flowpath-simulate';

/** A history that cannot be loaded; `code` is stable. */
export class HistoryLoadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HistoryLoadError';
  }
}

export interface LoadHistoryOptions {
  spec: HistorySpec;
  /** Cases per transaction (default 100). */
  batch?: number;
  /** Called after each batch with the cases loaded so far. */
  progress?: (loaded: number) => void;
}

export interface LoadedHistory {
  flowKey: string;
  cases: number;
  open: number;
  byVersion: Record<number, number>;
  openTasks: number;
  timers: number;
  from: string;
  to: string;
}

/** Refuses a store that holds any case. */
export async function assertNoCases(rt: FlowpathRuntime): Promise<void> {
  const some = await rt.store.listCases({}, 1);
  if (some.length > 0) {
    throw new HistoryLoadError('simulate.data.has-cases', 'the data folder already holds cases; a demo history is only loaded into a folder without cases, so that it never mixes with real ones');
  }
}

/**
 * Publishes the spec's versions where the store lacks them, and checks those it has are the same
 * flow (a history must run on exactly the definitions the store serves).
 */
async function publish(rt: FlowpathRuntime, tx: StoreTx, spec: HistorySpec): Promise<void> {
  const now = rt.now();
  const first = spec.versions[0]?.definition as FlowDefinition;
  if (!(await tx.getFlow(first.key))) {
    await tx.insertFlow({ key: first.key, draft: first as unknown as Record<string, unknown>, draftRevision: 1, owner: first.owner ?? null, createdBy: SIMULATE_ACTOR, createdAt: now, updatedBy: SIMULATE_ACTOR, updatedAt: now });
  }
  for (const { version, definition } of [...spec.versions].sort((a, b) => a.version - b.version)) {
    const hash = contentHash(definition);
    const stored = await tx.getVersion(definition.key, version);
    if (stored) {
      if (stored.hash !== hash) {
        throw new HistoryLoadError('simulate.version.differs', `version ${version} of ${definition.key} in the data folder is not the flow the history runs on; use a fresh data folder`, { version });
      }
      continue;
    }
    const latest = await tx.latestVersion(definition.key);
    if (latest !== version - 1) {
      throw new HistoryLoadError('simulate.version.gap', `cannot publish version ${version} of ${definition.key}: the data folder's latest is ${latest}`, { version, latest });
    }
    await tx.insertVersion({ key: definition.key, version, definition, hash, author: SIMULATE_ACTOR, publishedBy: SIMULATE_ACTOR, publishedAt: now, note: version === spec.release.version ? 'Published for a demo history' : 'Pilot version of a demo history' });
    await tx.appendAudit(`flow:${definition.key}`, [{ at: now, actor: SIMULATE_ACTOR, entry: { type: 'version.published', at: now, details: { version, hash, source: 'flowpath simulate' } } }]);
  }
  const pilot = spec.release.pilot;
  const policy = await tx.getReleasePolicy(first.key);
  await tx.putReleasePolicy(
    {
      flowKey: first.key,
      defaultVersion: spec.release.version,
      pilots: pilot ? [{ id: 'demo-pilot', name: 'Demo pilot', when: { in: [{ var: pilot.field }, pilot.values] }, version: pilot.version }] : [],
      split: null,
      revision: policy?.revision ?? 0,
      updatedBy: SIMULATE_ACTOR,
      updatedAt: now,
    },
    policy?.revision ?? 0,
  );
  for (const [name, values] of Object.entries(spec.lists ?? {})) {
    if (await tx.getList(name)) continue;
    await tx.putList(
      { name, kind: /black|risk/.test(name) ? 'blacklist' : /white/.test(name) ? 'whitelist' : 'other', description: 'Loaded with a demo history', updatedBy: SIMULATE_ACTOR, updatedAt: now },
      values.map((v) => ({ value: String(v), note: null, addedBy: SIMULATE_ACTOR, addedAt: now })),
    );
  }
}

/** Connector calls the history left in flight: the runtime's worker makes them once the server runs. */
function pendingCalls(h: HistoryCase): Omit<OutboxRecord, 'id'>[] {
  const out: Omit<OutboxRecord, 'id'>[] = [];
  for (const token of h.state.tokens) {
    const wait = token.wait;
    if (wait?.type !== 'service' || wait.retryTimerId !== undefined) continue;
    const called = [...h.audit].reverse().find((r) => r.type === 'service.called' && r.details.requestId === wait.requestId);
    if (!called) continue;
    out.push({
      caseId: h.caseId,
      kind: 'service.call',
      payload: { caseId: h.caseId, flowKey: h.flowKey, version: h.version, type: 'service.call', requestId: wait.requestId, nodeId: token.nodeId, connector: called.details.connector, input: called.details.input, attempt: wait.attempt },
      status: 'pending',
      attempts: 0,
      runAt: called.at,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      createdAt: called.at,
      doneAt: null,
    });
  }
  return out;
}

async function loadCase(tx: StoreTx, h: HistoryCase, def: FlowDefinition, cal: BusinessCalendar, now: string): Promise<{ tasks: number; timers: number }> {
  const state = h.state;
  const record: CaseRecord = {
    id: h.caseId,
    flowKey: h.flowKey,
    version: h.version,
    state,
    ...caseColumns(def, state),
    createdBy: SIMULATE_ACTOR,
    parentCaseId: null,
    parentRequestId: null,
    rowVersion: 1,
    createdAt: state.startedAt,
    updatedAt: state.updatedAt,
  };
  await tx.insertCase(record);
  const appended = await tx.appendAudit(
    caseStream(h.caseId),
    h.audit.map((a: AuditRecord) => ({ at: a.at, actor: a.actor ?? null, entry: a as unknown as Record<string, unknown> })),
  );
  for (const t of h.openTasks) {
    const task: TaskRecord = {
      id: randomUUID(),
      caseId: h.caseId,
      engineTaskId: t.taskId,
      tokenId: t.tokenId,
      nodeId: t.nodeId,
      flowKey: h.flowKey,
      version: h.version,
      customerRef: record.customerRef,
      branch: record.branch,
      channel: channelOf(def, state.data),
      name: t.name,
      queue: t.queue,
      roles: t.roles,
      priority: t.priority,
      form: t.form,
      dueAt: t.dueAt ?? null,
      warnAt: t.warnAt ?? null,
      excludedActors: t.excludedActors,
      status: t.assignee ? 'claimed' : 'open',
      assignee: t.assignee ?? null,
      completedBy: null,
      createdAt: t.openedAt,
      updatedAt: t.claimedAt ?? t.openedAt,
      closedAt: null,
      rowVersion: 1,
    };
    await tx.insertTask(task);
  }
  for (const t of h.timers) {
    const timer: TimerRecord = {
      caseId: h.caseId,
      timerId: t.timerId,
      dueAt: t.dueAt,
      runAt: t.dueAt,
      purpose: t.purpose as TimerRecord['purpose'],
      nodeId: t.nodeId ?? null,
      status: 'scheduled',
      attempts: 0,
      lastError: null,
      createdAt: state.updatedAt,
      firedAt: null,
    };
    await tx.insertTimer(timer);
  }
  const calls = pendingCalls(h);
  if (calls.length > 0) await tx.insertOutbox(calls.map((c) => ({ ...c, id: randomUUID() })));
  const last = appended[appended.length - 1];
  if (last) await tx.putCaseFacts(caseFactsRow(h.caseId, caseFacts(def, h.audit, cal), last.seq, now), null);
  return { tasks: h.openTasks.length, timers: h.timers.length };
}

/**
 * Generates the history and loads it, batch by batch, into the runtime's store. Refuses a store
 * that holds cases, flows with sub-flows (their child cases are not generated), and a history that
 * ends after the runtime's "now".
 */
export async function loadHistory(rt: FlowpathRuntime, opts: LoadHistoryOptions): Promise<LoadedHistory> {
  const { spec } = opts;
  const defs = new Map(spec.versions.map((v) => [v.version, v.definition]));
  const first = spec.versions[0]?.definition;
  if (!first) throw new HistoryLoadError('simulate.versions.missing', 'the history needs at least one version of the flow');
  if ([...defs.values()].some((d) => d.nodes.some((n) => n.kind === 'sub-flow'))) {
    throw new HistoryLoadError('simulate.sub-flows', `${first.key} starts sub-flows, whose cases a demo history does not generate; pick a flow without sub-flow nodes`, { flow: first.key });
  }
  if (Date.parse(spec.to) > Date.parse(rt.now())) {
    throw new HistoryLoadError('simulate.future', `the history must end by now (${rt.now()}), not at ${spec.to}: its timers would fire in the wrong order`, { to: spec.to, now: rt.now() });
  }
  await assertNoCases(rt);
  await rt.transact(async (tx) => publish(rt, tx, spec));
  const cal = spec.calendar ?? cnMainlandCalendar;
  const now = rt.now();
  const result: LoadedHistory = { flowKey: first.key, cases: 0, open: 0, byVersion: {}, openTasks: 0, timers: 0, from: spec.from, to: spec.to };
  const batchSize = opts.batch ?? 100;
  let batch: HistoryCase[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const cases = batch;
    batch = [];
    await rt.store.transaction(async (tx) => {
      // Checked again in the transaction that writes: a server started meanwhile may have taken cases.
      if (result.cases === 0 && (await tx.listCases({}, 1)).length > 0) {
        throw new HistoryLoadError('simulate.data.has-cases', 'cases appeared in the data folder while the history was being prepared; nothing was loaded');
      }
      for (const h of cases) {
        const loaded = await loadCase(tx, h, defs.get(h.version) as FlowDefinition, cal, now);
        result.openTasks += loaded.tasks;
        result.timers += loaded.timers;
      }
    });
    for (const h of cases) {
      result.cases += 1;
      if (h.state.status === 'waiting') result.open += 1;
      result.byVersion[h.version] = (result.byVersion[h.version] ?? 0) + 1;
    }
    opts.progress?.(result.cases);
  };
  for (const h of generateHistory(spec)) {
    batch.push(h);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  // The loaded cases' facts were written with their journals: the deferred projector reads past
  // them now (it finds each row current), rather than at the first health query.
  await rt.factsProjector?.drain();
  // The daily digests now, so the first report over the history is as fast as later ones.
  await drainDigests(rt);
  return result;
}
